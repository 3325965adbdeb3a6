/**
 * repository_dispatch events. GitHub accepts at most 10 top-level client_payload keys and under
 * 64 KB of payload; checking here turns a vague 422 in the middle of a release into a clear error
 * before anything is sent.
 */
import type { ClientCore } from './core';
import { GitHubApiError } from './errors';

export const MAX_PAYLOAD_KEYS = 10;
const MAX_PAYLOAD_BYTES = 64 * 1024;

export interface DeployParams {
  owner: string;
  repo: string;
  tag: string;
  /** Full image reference, e.g. ghcr.io/<owner>/<component>:<tag>. */
  image: string;
}

export async function sendDispatch(core: ClientCore, owner: string, repo: string, eventType: string, payload: Record<string, unknown> = {}): Promise<void> {
  const context = { operation: `dispatch ${eventType}`, owner, repo };
  const invalid = (reason: string) => new GitHubApiError(context, { code: 'invalid_dispatch', reason });
  if (typeof eventType !== 'string' || eventType.length < 1 || eventType.length > 100) {
    throw invalid('event_type must be 1 to 100 characters');
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw invalid('client_payload must be an object');
  const keys = Object.keys(payload);
  if (keys.length > MAX_PAYLOAD_KEYS) {
    throw invalid(`client_payload has ${keys.length} top-level keys (${keys.join(', ')}); GitHub allows at most ${MAX_PAYLOAD_KEYS}`);
  }
  const size = Buffer.byteLength(JSON.stringify(payload));
  if (size >= MAX_PAYLOAD_BYTES) throw invalid(`client_payload is ${size} bytes; GitHub requires less than 64 KB`);

  await core.write(
    context,
    { method: 'POST', route: `/repos/${owner}/${repo}/dispatches`, description: `send ${eventType} dispatch to ${owner}/${repo} with ${JSON.stringify(payload)}` },
    () => core.octokit.rest.repos.createDispatchEvent({ owner, repo, event_type: eventType, client_payload: payload }),
  );
}

/** The orchestrator's hand-off to the deploy component's repository. */
export function sendDeploy(core: ClientCore, params: DeployParams): Promise<void> {
  return sendDispatch(core, params.owner, params.repo, 'deploy', { tag: params.tag, image: params.image });
}
