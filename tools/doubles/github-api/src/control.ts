/**
 * Test-control endpoints under `/_`: read the request log, arm faults, look at the state, seed pull
 * requests. They are
 * not GitHub's, so they need no token and are not themselves logged (a test asserting "no
 * mutating requests" must not count its own fault set-up).
 */
import { parseFault, type FaultSet } from './faults';
import type { Reply } from './handlers';
import type { RequestLog } from './log';
import { errorBody } from './render';
import type { GitHubState, PullRequestSeed } from './state';

const PULL = /^\/_pulls\/([^/]+)\/([^/]+)\/(\d+)$/;

function object(raw: Buffer): Record<string, unknown> {
  const input = JSON.parse(raw.toString('utf8')) as unknown;
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new Error('expected a JSON object');
  return input as Record<string, unknown>;
}

/** A seed read from a test's JSON: every field checked, so a typo is a 400 and not a half-made pull request. */
function pullSeed(input: Record<string, unknown>): PullRequestSeed {
  const known = ['owner', 'repo', 'headSha', 'number', 'title', 'body', 'state', 'headRef', 'headRepository', 'baseRef', 'baseSha'];
  const unknown = Object.keys(input).filter((k) => !known.includes(k));
  if (unknown.length) throw new Error(`pull request seed: unknown field(s) ${unknown.join(', ')} (known: ${known.join(', ')})`);
  for (const key of ['owner', 'repo', 'headSha']) {
    if (typeof input[key] !== 'string' || !input[key]) throw new Error(`pull request seed: ${key} must be a non-empty string`);
  }
  for (const key of ['title', 'headRef', 'headRepository', 'baseRef', 'baseSha']) {
    if (input[key] !== undefined && typeof input[key] !== 'string') throw new Error(`pull request seed: ${key} must be a string`);
  }
  if (input['body'] !== undefined && input['body'] !== null && typeof input['body'] !== 'string') throw new Error('pull request seed: body must be a string or null');
  if (input['number'] !== undefined && typeof input['number'] !== 'number') throw new Error('pull request seed: number must be a number');
  if (input['state'] !== undefined && input['state'] !== 'open' && input['state'] !== 'closed') throw new Error('pull request seed: state must be open or closed');
  return input as unknown as PullRequestSeed;
}

export function control(method: string, path: string, raw: Buffer, ctx: { log: RequestLog; faults: FaultSet; state: GitHubState }): Reply {
  const ok = (body: unknown, status = 200): Reply => ({ status, body });
  try {
    switch (`${method} ${path}`) {
      case 'GET /_health':
        return ok({ ok: true });
      case 'GET /_log':
        return ok({ requests: ctx.log.requests(), validationErrors: ctx.log.validationErrors() });
      case 'DELETE /_log':
        ctx.log.clear();
        return ok({ cleared: true });
      case 'GET /_faults':
        return ok(ctx.faults.list());
      case 'POST /_faults': {
        const input = JSON.parse(raw.toString('utf8')) as unknown;
        // Parse them all before arming any, so a bad entry arms nothing.
        const list = (Array.isArray(input) ? input : [input]).map(parseFault);
        list.forEach((f) => ctx.faults.add(f));
        return ok({ armed: list.length }, 201);
      }
      case 'DELETE /_faults':
        ctx.faults.clear();
        return ok({ cleared: true });
      case 'GET /_state':
        return ok(ctx.state.snapshot());
      case 'POST /_pulls':
        return ok(ctx.state.insertPullRequest(pullSeed(object(raw))), 201);
      default: {
        const pull = method === 'PATCH' ? PULL.exec(path) : null;
        if (pull) {
          const changes = object(raw);
          const unknown = Object.keys(changes).filter((k) => k !== 'headSha' && k !== 'state');
          if (unknown.length) throw new Error(`pull request update: unknown field(s) ${unknown.join(', ')} (known: headSha, state)`);
          const [owner, repo, number] = pull.slice(1).map(decodeURIComponent) as [string, string, string];
          return ok(ctx.state.updatePullRequest(owner, repo, Number(number), changes as { headSha?: string; state?: 'open' | 'closed' }));
        }
        return { status: 404, body: errorBody(404, 'Not Found') };
      }
    }
  } catch (error) {
    return { status: 400, body: errorBody(400, error instanceof Error ? error.message : String(error)) };
  }
}
