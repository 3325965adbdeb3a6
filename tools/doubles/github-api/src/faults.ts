/**
 * Programmable failures, so clients can be tested against the ways GitHub really fails:
 * 5xx bursts, primary and secondary rate limits, uploads cut off mid-body, and state changing
 * under the client's feet between two of its requests.
 */
import { randomUUID } from 'node:crypto';
import type { Reply } from './handlers';
import { errorBody } from './render';
import type { GitHubState } from './state';

export interface FaultMatch {
  /** HTTP method; any method when omitted. */
  method?: string;
  /** Tested against the request target (path and query), e.g. `/releases/\d+/assets\?name=`. */
  path: string | RegExp;
  /** How many matching requests this fault affects (default 1). */
  times?: number;
}

export type FaultAction =
  /** Answer with a bare server error. */
  | { kind: 'status'; status: 500 | 502 | 503 }
  /** 403 with `retry-after` and GitHub's secondary-rate-limit message. */
  | { kind: 'secondary-rate-limit'; retryAfterSeconds?: number }
  /** 403 (or 429) with `x-ratelimit-remaining: 0` and a reset time this many seconds ahead. */
  | { kind: 'primary-rate-limit'; status?: 403 | 429; resetAfterSeconds?: number }
  /**
   * Read part of the body, then destroy the socket. On an asset upload, `leave: 'starter'` (the
   * default) leaves the empty `starter` asset GitHub leaves, which blocks re-uploading that name.
   */
  | { kind: 'drop-connection'; afterBytes?: number; leave?: 'starter' | 'nothing' }
  /** Accept the request and never answer, as a stuck proxy or an overloaded server does. */
  | { kind: 'hang' }
  /** A gateway in front of GitHub failing: an HTML page, not GitHub's JSON. */
  | { kind: 'gateway-html'; status: 502 | 504 }
  /** Before handling the request, delete a release (its tag stays), then carry on normally. */
  | { kind: 'delete-release'; owner: string; repo: string; tag: string }
  /** In-process only: run arbitrary code against the state before handling the request. */
  | { kind: 'hook'; run: (state: GitHubState) => void | Promise<void> };

export type Fault = FaultMatch & FaultAction;

interface ArmedFault {
  fault: Fault;
  pattern: RegExp;
  remaining: number;
}

export class FaultSet {
  private armed: ArmedFault[] = [];

  add(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`fault.times must be a positive integer, got ${times}`);
    const pattern = fault.path instanceof RegExp ? fault.path : new RegExp(fault.path);
    this.armed.push({ fault, pattern, remaining: times });
  }

  clear(): void {
    this.armed = [];
  }

  /** The first armed fault matching the request, consuming one of its uses. */
  take(method: string, target: string): Fault | undefined {
    const hit = this.armed.find(
      (a) => (!a.fault.method || a.fault.method.toUpperCase() === method.toUpperCase()) && a.pattern.test(target),
    );
    if (!hit) return undefined;
    if (--hit.remaining === 0) this.armed = this.armed.filter((a) => a !== hit);
    return hit.fault;
  }

  list(): (Omit<Fault, 'path'> & { path: string; remaining: number })[] {
    return this.armed.map((a) => ({ ...a.fault, path: a.pattern.source, remaining: a.remaining }) as never);
  }
}

const KINDS = new Set(['status', 'secondary-rate-limit', 'primary-rate-limit', 'drop-connection', 'delete-release', 'hang', 'gateway-html']);

/** Parses a fault posted over HTTP; hooks carry code and so exist only in-process. */
export function parseFault(input: unknown): Fault {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new Error('a fault must be a JSON object');
  const f = input as Record<string, unknown>;
  if (typeof f['kind'] !== 'string' || !KINDS.has(f['kind'])) {
    throw new Error(`fault.kind must be one of ${[...KINDS].join(', ')}`);
  }
  if (typeof f['path'] !== 'string') throw new Error('fault.path must be a regular expression source string');
  new RegExp(f['path']); // throws on a bad pattern, before the fault is armed
  if (f['method'] !== undefined && typeof f['method'] !== 'string') throw new Error('fault.method must be a string');
  if (f['kind'] === 'status' && ![500, 502, 503].includes(f['status'] as number)) {
    throw new Error('fault.status must be 500, 502 or 503');
  }
  if (f['kind'] === 'gateway-html' && ![502, 504].includes(f['status'] as number)) throw new Error('fault.status must be 502 or 504');
  if (f['kind'] === 'delete-release' && !['owner', 'repo', 'tag'].every((k) => typeof f[k] === 'string')) {
    throw new Error('a delete-release fault needs owner, repo and tag');
  }
  return f as unknown as Fault;
}

/**
 * The reply a fault stands in for, or null when the fault only acts on the state and the request
 * should then be handled normally.
 */
export async function faultReply(fault: Fault, state: GitHubState): Promise<Reply | null> {
  switch (fault.kind) {
    case 'status': {
      const message = { 500: 'Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' }[fault.status];
      return { status: fault.status, body: errorBody(fault.status, message) };
    }
    case 'secondary-rate-limit':
      return {
        status: 403,
        headers: { 'retry-after': String(fault.retryAfterSeconds ?? 1) },
        body: errorBody(
          403,
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
            `If you reach out to GitHub Support for help, please include the request ID ${randomUUID()}.`,
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        ),
      };
    case 'primary-rate-limit': {
      const status = fault.status ?? 403;
      const reset = Math.floor(Date.now() / 1000) + (fault.resetAfterSeconds ?? 1);
      return {
        status,
        headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '5000', 'x-ratelimit-reset': String(reset), 'x-ratelimit-resource': 'core' },
        body: errorBody(status, 'API rate limit exceeded for user ID 1000001.', 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api'),
      };
    }
    case 'gateway-html': {
      const title = fault.status === 502 ? '502 Bad Gateway' : '504 Gateway Time-out';
      const page = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`;
      return { status: fault.status, raw: Buffer.from(page), headers: { 'content-type': 'text/html' } };
    }
    case 'hang':
      return null; // handled by the server: it never calls back
    case 'delete-release':
      state.deleteReleaseByTag(fault.owner, fault.repo, fault.tag);
      return null;
    case 'hook':
      await fault.run(state);
      return null;
    case 'drop-connection':
      return null; // handled before the body is read
  }
}
