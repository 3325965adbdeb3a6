import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardConnections } from './connections';
import { type HandlerContext, handle } from './handlers';
import { type CacheStats, copyStats, emptyStats } from './stats';
import { Store } from './store';
import { resolveTimeouts } from './timeouts';
import { type TokenDigests, digestsOf, parseTokensFile } from './tokens';

export interface CacheServerOptions {
  storeDir: string;
  /** Tokens in plain; hashed on start and never kept. */
  readTokens?: readonly string[];
  writeTokens?: readonly string[];
  /** A tokens file (`read <sha256>` / `write <sha256>` lines); re-read by `reloadTokens()`. */
  tokensFile?: string;
  host?: string;
  /** 0 (the default): any free port. */
  port?: number;
  maxEntryBytes?: number;
  maxStoreBytes?: number;
  /** The MAC key file; default `<storeDir>/server.key`, made on first start. */
  keyFile?: string;
  /** A connection idle this long (no byte either way) is dropped: a slow client holds nothing (default 30 s). */
  idleTimeoutMs?: number;
  /** A connection without a valid token yet, silent this long, is dropped (default 5 s, at most the idle and header timeouts). */
  firstByteTimeoutMs?: number;
  /** From accepting a connection (or a later request's first byte) to its whole request head (default 10 s). */
  headersTimeoutMs?: number;
  /** From a request's first byte to its last, body included (default: the header timeout plus maxEntryBytes at 1 MiB/s). */
  requestTimeoutMs?: number;
  /**
   * Connections with a valid token at once (default 128; a request over it is answered 503): with
   * maxEntryBytes, bounds the disk uploads in flight take.
   */
  maxConnections?: number;
  /** Connections that have not shown a valid token yet, at once (default 64); a new one closes the oldest (admission.ts). */
  maxUnauthenticated?: number;
  /** How long a write may wait for readers to free the room it needs (default 10 s; keep it under the idle timeout). */
  roomWaitMs?: number;
  log?: (line: string) => void;
}

export interface CacheServer {
  url: string;
  stop(): Promise<void>;
  stats(): CacheStats;
  /** Re-read the tokens file (rotation); throws, keeping the old tokens, if it is malformed. */
  reloadTokens(): Promise<void>;
  /** Bytes the published entries take on disk. */
  storeBytes(): number;
}

export const DEFAULT_MAX_ENTRY_BYTES = 512 * 1024 * 1024;
export const DEFAULT_MAX_STORE_BYTES = 20 * 1024 * 1024 * 1024;
export const DEFAULT_MAX_CONNECTIONS = 128;
export const DEFAULT_MAX_UNAUTHENTICATED = 64;

/** Start the cache server; resolves once it listens. */
export async function startCacheServer(o: CacheServerOptions): Promise<CacheServer> {
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stats = emptyStats();
  const loadTokens = async (): Promise<TokenDigests> => {
    const fromFile = o.tokensFile ? parseTokensFile(await readFile(o.tokensFile, 'utf8'), o.tokensFile) : { read: [], write: [] };
    const given = digestsOf(o.readTokens ?? [], o.writeTokens ?? []);
    return { read: [...fromFile.read, ...given.read], write: [...fromFile.write, ...given.write] };
  };
  const maxEntryBytes = o.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  const maxStoreBytes = o.maxStoreBytes ?? DEFAULT_MAX_STORE_BYTES;
  const { firstByteTimeoutMs, headersTimeoutMs, idleTimeoutMs, requestTimeoutMs } = o;
  const timeouts = resolveTimeouts({ firstByteTimeoutMs, headersTimeoutMs, idleTimeoutMs, requestTimeoutMs }, maxEntryBytes);
  if (!timeouts.ok) throw new Error(`cache-server: ${timeouts.problem}`);
  const limits = { maxConnections: o.maxConnections ?? DEFAULT_MAX_CONNECTIONS, maxUnauthenticated: o.maxUnauthenticated ?? DEFAULT_MAX_UNAUTHENTICATED };
  for (const [name, n] of Object.entries(limits)) if (!(Number.isInteger(n) && n > 0)) throw new Error(`cache-server: ${name} must be a positive whole number, not ${n}`);
  let tokens = await loadTokens();
  const store = await Store.open({ dir: o.storeDir, maxStoreBytes, keyFile: o.keyFile, roomWaitMs: o.roomWaitMs, stats, log });
  const ctx: HandlerContext = { store, tokens: () => tokens, maxEntryBytes, stats, log };

  const inFlight = new Set<Promise<void>>();
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    const p = handle(req, res, ctx)
      .catch((err: Error) => {
        log(`cache-server: ${req.method} failed: ${err.message}`);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end('internal error\n');
        else res.destroy();
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  const t = timeouts.timeouts;
  // Every phase of a request is bounded (timeouts.ts): a slow client is dropped in seconds while
  // it has shown no token, and a token holder's upload within the time the largest entry takes
  // at the minimum upload rate. A dropped upload leaves nothing behind.
  const server: Server = createServer({ headersTimeout: t.headersMs, requestTimeout: t.requestMs, connectionsCheckingInterval: t.checkEveryMs });
  server.setTimeout(t.idleMs);
  // No server.maxConnections: refusing at accept cannot tell a runner from a stranger, so a few
  // strangers holding connections would shut the runners out. The gate counts the two apart.
  const gate = guardConnections(server, { limits, timeouts: t, tokens: () => tokens, stats, log });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (gate.admit(req, res) !== 'answered') serve(req, res);
  });
  // `Expect: 100-continue`: the body is invited only from a client with a valid token; anyone
  // else gets its refusal from the headers alone and never sends the body.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const admitted = gate.admit(req, res);
    if (admitted === 'answered') return;
    if (admitted === 'authenticated') res.writeContinue();
    serve(req, res);
  });
  server.listen(o.port ?? 0, o.host ?? '127.0.0.1');
  await once(server, 'listening');
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;

  return {
    url: `http://${host}:${addr.port}`,
    stats: () => copyStats(stats),
    storeBytes: () => store.usedBytes,
    reloadTokens: async () => {
      tokens = await loadTokens();
    },
    stop: async () => {
      // Stop accepting, let requests in progress finish (bounded), then drop what is left.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), 10_000);
      await Promise.allSettled([...inFlight]);
      server.closeAllConnections();
      clearTimeout(grace);
      await closed;
    },
  };
}
