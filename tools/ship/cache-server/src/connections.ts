import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type AdmissionLimits, admitRequest, crowdedOut } from './admission';
import { authorize } from './auth';
import { type CacheStats, countDrop, countRefusal } from './stats';
import type { Timeouts } from './timeouts';
import type { TokenDigests } from './tokens';

/** What became of a request at the gate. */
export type Admitted =
  /** It carries a valid token; its connection holds a runner slot. */
  | 'authenticated'
  /** No valid token: answer it from its headers (the connection closes afterwards). */
  | 'unauthenticated'
  /** Already answered (every runner slot taken). */
  | 'answered';

export interface ConnectionGate {
  admit(req: IncomingMessage, res: ServerResponse): Admitted;
}

interface Connection {
  authenticated: boolean;
  /** The header deadline of a connection that has shown no valid token yet. */
  deadline?: NodeJS.Timeout;
}

/**
 * The effects of admission.ts on a server's sockets: the two budgets, and the deadlines of
 * connections that have not shown a token. Decisions are made there; this only counts, arms
 * timers and closes.
 */
export function guardConnections(
  server: Server,
  o: { limits: AdmissionLimits; timeouts: Timeouts; tokens: () => TokenDigests; stats: CacheStats; log: (line: string) => void },
): ConnectionGate {
  const connections = new WeakMap<Socket, Connection>();
  /** Connections without a valid token yet, oldest first (a Set keeps insertion order). */
  const unauthenticated = new Set<Socket>();
  let authenticated = 0;

  const drop = (socket: Socket, reason: string) => {
    // Out of the budget now, not at its 'close' (a tick later): a burst of new connections in one
    // tick must see the room each drop made.
    unauthenticated.delete(socket);
    countDrop(o.stats, reason);
    socket.destroy();
  };

  // After Node's own listener (it set the socket up and gave it the server's idle timeout).
  server.on('connection', (socket: Socket) => {
    for (const oldest of [...unauthenticated].slice(0, crowdedOut(unauthenticated.size, o.limits))) drop(oldest, 'crowded-out');
    const c: Connection = { authenticated: false };
    connections.set(socket, c);
    unauthenticated.add(socket);
    // Silent this long before its request head is whole: Node's timeout handler closes it.
    socket.setTimeout(o.timeouts.firstByteMs);
    socket.on('timeout', () => unauthenticated.has(socket) && countDrop(o.stats, 'idle'));
    // Node's own header timeout starts at a request's first byte and is checked on an interval;
    // this one starts at accept and is exact, so no connection without a token outlives it.
    c.deadline = setTimeout(() => unauthenticated.has(socket) && drop(socket, 'header-timeout'), o.timeouts.headersMs).unref();
    socket.once('close', () => {
      clearTimeout(c.deadline);
      unauthenticated.delete(socket);
      if (c.authenticated) authenticated--;
    });
  });

  return {
    admit(req, res) {
      const socket = req.socket;
      const c = connections.get(socket);
      if (!c) {
        // A socket that never passed 'connection' cannot be counted: serve it nothing but a refusal.
        res.setHeader('Connection', 'close');
        return 'unauthenticated';
      }
      // Only whether some token is valid; what it may do (read or write) is the handler's check.
      const validToken = authorize(req.headers.authorization, o.tokens(), 'read').ok;
      const d = admitRequest({ authenticatedConnection: c.authenticated, validToken, authenticated }, o.limits);
      switch (d.kind) {
        case 'serve':
          return 'authenticated';
        case 'promote':
          c.authenticated = true;
          authenticated++;
          unauthenticated.delete(socket);
          clearTimeout(c.deadline);
          socket.setTimeout(o.timeouts.idleMs);
          return 'authenticated';
        case 'refuse-and-close':
          res.setHeader('Connection', 'close');
          return 'unauthenticated';
        case 'busy':
          countRefusal(o.stats, 'busy');
          o.log(`cache-server: ${req.method} - → 503 busy (all ${o.limits.maxConnections} runner connections in use)`);
          res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '1', Connection: 'close' }).end('busy: every connection is in use, try again\n');
          return 'answered';
      }
    },
  };
}
