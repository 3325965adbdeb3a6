/**
 * Test-control endpoints under `/_`: read the request log, arm faults, look at the state. They are
 * not GitHub's, so they need no token and are not themselves logged (a test asserting "no
 * mutating requests" must not count its own fault set-up).
 */
import { parseFault, type FaultSet } from './faults';
import type { Reply } from './handlers';
import type { RequestLog } from './log';
import { errorBody } from './render';
import type { GitHubState } from './state';

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
      default:
        return { status: 404, body: errorBody(404, 'Not Found') };
    }
  } catch (error) {
    return { status: 400, body: errorBody(400, error instanceof Error ? error.message : String(error)) };
  }
}
