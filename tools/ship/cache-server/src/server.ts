import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type HandlerContext, handle } from './handlers';
import { type CacheStats, copyStats, emptyStats } from './stats';
import { Store } from './store';
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
  /** A connection idle this long (no byte either way) is dropped: a slow client holds nothing. */
  idleTimeoutMs?: number;
  /** Connections at once (default 128; more are refused): with maxEntryBytes, bounds the disk uploads in flight take. */
  maxConnections?: number;
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

/** Start the cache server; resolves once it listens. */
export async function startCacheServer(o: CacheServerOptions): Promise<CacheServer> {
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stats = emptyStats();
  const loadTokens = async (): Promise<TokenDigests> => {
    const fromFile = o.tokensFile ? parseTokensFile(await readFile(o.tokensFile, 'utf8'), o.tokensFile) : { read: [], write: [] };
    const given = digestsOf(o.readTokens ?? [], o.writeTokens ?? []);
    return { read: [...fromFile.read, ...given.read], write: [...fromFile.write, ...given.write] };
  };
  let tokens = await loadTokens();
  const maxEntryBytes = o.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  const maxStoreBytes = o.maxStoreBytes ?? DEFAULT_MAX_STORE_BYTES;
  const store = await Store.open({ dir: o.storeDir, maxStoreBytes, keyFile: o.keyFile, roomWaitMs: o.roomWaitMs, stats, log });
  const ctx: HandlerContext = { store, tokens: () => tokens, maxEntryBytes, stats, log };

  const inFlight = new Set<Promise<void>>();
  const server: Server = createServer((req, res) => {
    const p = handle(req, res, ctx)
      .catch((err: Error) => {
        log(`cache-server: ${req.method} failed: ${err.message}`);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end('internal error\n');
        else res.destroy();
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  });
  // Slow clients: no progress for idleTimeoutMs drops the connection (an upload then leaves
  // nothing behind); headers must arrive within 20 s.
  server.setTimeout(o.idleTimeoutMs ?? 30_000);
  server.headersTimeout = 20_000;
  server.maxConnections = o.maxConnections ?? 128;
  server.requestTimeout = 0; // a 500 MB upload may take long; idleness is what is bounded
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
