/**
 * How long a connection may take over each part of a request, pure. A slow client holds a
 * connection, and connections are what runners need: every phase is bounded.
 *
 *   firstByte  a connection without a valid token yet, silent this long (before its first byte,
 *              or between bytes of its request head), is dropped.
 *   headers    from accepting a connection to having its whole request head: a client sending
 *              its head byte by byte (never silent long enough for `firstByte`) is dropped here.
 *              Later requests on a kept-alive connection get the same bound from their first byte.
 *   idle       a connection with no byte either way this long is dropped (a stalled upload or a
 *              reader that stopped reading); uploads in progress leave nothing behind.
 *   request    from the first byte of a request to its last (head and body). A token holder
 *              trickling a body a byte at a time, never idle long enough for `idle`, is dropped
 *              here. It bounds receiving the request only, not sending a response.
 */
export interface Timeouts {
  firstByteMs: number;
  headersMs: number;
  idleMs: number;
  requestMs: number;
  /** How often Node checks the header and request deadlines of the requests in progress. */
  checkEveryMs: number;
}

export interface TimeoutOptions {
  firstByteTimeoutMs?: number;
  headersTimeoutMs?: number;
  idleTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 5_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/**
 * The slowest upload the default request timeout allows for. Runners reach the cache over their
 * private network at tens of MB/s or more; 1 MiB/s leaves ten times that margin for a congested
 * link or a busy runner, yet still ends a body trickled by a token holder in minutes rather than
 * never.
 */
export const MIN_UPLOAD_BYTES_PER_SECOND = 1024 * 1024;

/**
 * Default request timeout: the time to receive the head, plus the largest entry the server accepts
 * at the minimum upload rate. Tied to `maxEntryBytes` because a fixed bound would either cut off
 * the largest legitimate uploads or be far too loose for a small limit.
 */
export function defaultRequestTimeoutMs(maxEntryBytes: number, headersMs: number): number {
  return headersMs + Math.ceil((maxEntryBytes / MIN_UPLOAD_BYTES_PER_SECOND) * 1000);
}

/**
 * Node checks header and request deadlines on an interval (30 s unless told), so a deadline
 * may be passed by up to one interval. A tenth of the header timeout keeps that lateness small
 * beside the timeout, within 50 ms to 1 s.
 */
export function checkInterval(headersMs: number): number {
  return Math.min(1000, Math.max(50, Math.floor(headersMs / 10)));
}

export type TimeoutsDecision = { ok: true; timeouts: Timeouts } | { ok: false; problem: string };

/** The timeouts for these options (defaults filled in), or why they do not hold together. */
export function resolveTimeouts(o: TimeoutOptions, maxEntryBytes: number): TimeoutsDecision {
  for (const [name, v] of Object.entries(o)) {
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) return { ok: false, problem: `${name} must be a positive number of milliseconds, not ${v}` };
  }
  // Whole milliseconds, rounded up: Node takes only integers, and a bound is never shortened.
  const ms = (v: number | undefined) => (v === undefined ? undefined : Math.ceil(v));
  const idleMs = ms(o.idleTimeoutMs) ?? DEFAULT_IDLE_TIMEOUT_MS;
  const headersMs = ms(o.headersTimeoutMs) ?? DEFAULT_HEADERS_TIMEOUT_MS;
  // Silence before a token is shorter than the general idle bound; never longer than it or than
  // the header timeout, which would make it moot.
  const firstByteMs = ms(o.firstByteTimeoutMs) ?? Math.min(DEFAULT_FIRST_BYTE_TIMEOUT_MS, idleMs, headersMs);
  const requestMs = ms(o.requestTimeoutMs) ?? defaultRequestTimeoutMs(maxEntryBytes, headersMs);
  const s = (ms: number) => `${ms / 1000} s`;
  if (firstByteMs > headersMs) return { ok: false, problem: `the first-byte timeout (${s(firstByteMs)}) is longer than the header timeout (${s(headersMs)}), so it would never apply` };
  if (headersMs > requestMs) return { ok: false, problem: `the header timeout (${s(headersMs)}) is longer than the request timeout (${s(requestMs)}), which includes the head` };
  return { ok: true, timeouts: { firstByteMs, headersMs, idleMs, requestMs, checkEveryMs: checkInterval(headersMs) } };
}
