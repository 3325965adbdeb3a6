/**
 * Which connections the server keeps, pure. Two budgets, so that clients without a token can
 * never take what the runners need:
 *   - authenticated: connections that have presented a valid token (read or write), at most
 *     `maxConnections`. Only these can upload, so with `maxEntryBytes` this bounds the disk that
 *     uploads in flight take.
 *   - unauthenticated: connections that have not (yet) presented one, at most
 *     `maxUnauthenticated`. Every connection starts here: its token is in its request head, and
 *     until that head has arrived nothing is known about it.
 */
export interface AdmissionLimits {
  maxConnections: number;
  maxUnauthenticated: number;
}

/**
 * A new connection is always let in; when the unauthenticated budget is full, this many of the
 * oldest unauthenticated connections are closed to make room. Refusing the newcomer instead would
 * let whoever holds the budget (slow clients that never finish a request head) keep every runner
 * out. The oldest has had the longest to show a token, and a runner shows its token in the first
 * packet it sends: to crowd a runner out, a client would have to open `maxUnauthenticated`
 * connections within that runner's round trip. The same rule means a burst of more new
 * connections than the budget, all arriving before any is read, closes the earliest of them, so
 * the budget must exceed the runners' largest burst of new connections.
 */
export function crowdedOut(unauthenticated: number, limits: AdmissionLimits): number {
  return Math.max(0, unauthenticated + 1 - limits.maxUnauthenticated);
}

export type RequestAdmission =
  /** A valid token on a connection already counted as authenticated: serve it. */
  | { kind: 'serve' }
  /** A valid token on a new connection, and a runner slot free: move it to the authenticated budget. */
  | { kind: 'promote' }
  /**
   * No valid token: answer from the headers (401, or 404/405 off the cache route) without reading
   * any body, then close; keep-alive is for runners, not for clients that showed no token.
   */
  | { kind: 'refuse-and-close' }
  /** A valid token, but every runner slot is taken: 503 and close, rather than queue it. */
  | { kind: 'busy' };

/** What to do with a request whose head has arrived, decided before any of its body is read. */
export function admitRequest(o: { authenticatedConnection: boolean; validToken: boolean; authenticated: number }, limits: AdmissionLimits): RequestAdmission {
  if (!o.validToken) return { kind: 'refuse-and-close' };
  if (o.authenticatedConnection) return { kind: 'serve' };
  return o.authenticated < limits.maxConnections ? { kind: 'promote' } : { kind: 'busy' };
}
