import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { authorize } from './auth';
import { parseCachePath } from './cache-path';
import { checkContentLength } from './limits';
import { type CacheStats, countRefusal } from './stats';
import type { Store } from './store';
import type { TokenDigests } from './tokens';

export interface HandlerContext {
  store: Store;
  tokens: () => TokenDigests;
  maxEntryBytes: number;
  stats: CacheStats;
  log: (line: string) => void;
}

/**
 * One request of Nx's self-hosted cache protocol: GET and PUT of `/v1/cache/{hash}`, bearer
 * token, body an opaque tar. Order of checks: route, token, hash, size, then the store. The token
 * is never logged or echoed; a refused request's log line names the method, the hash (once it
 * is known to be a valid one) and the reason.
 */
export async function handle(req: IncomingMessage, res: ServerResponse, ctx: HandlerContext): Promise<void> {
  const refuse = (status: number, reason: string, message: string, hash?: string) => {
    countRefusal(ctx.stats, reason);
    if (reason !== 'exists') ctx.log(`cache-server: ${req.method} ${hash ?? '-'} → ${status} ${reason}`);
    // A PUT refused before its body was read: close rather than read a body nobody will keep
    // (it may be huge, or from a stranger). Except a 409: its writer is known and its body within
    // the limit, and Node drains it, so the client reads the 409 instead of a reset connection.
    if (req.method === 'PUT' && !req.readableEnded && reason !== 'exists') res.setHeader('Connection', 'close');
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
  };

  const route = parseCachePath(req.url ?? '');
  if (route.kind === 'not-found') return refuse(404, 'not-found', 'not found: the cache serves /v1/cache/{hash}');
  if (req.method !== 'GET' && req.method !== 'PUT') {
    res.setHeader('Allow', 'GET, PUT');
    return refuse(405, 'method', 'only GET and PUT are supported');
  }
  const auth = authorize(req.headers.authorization, ctx.tokens(), req.method === 'PUT' ? 'write' : 'read');
  if (!auth.ok) return refuse(auth.status, auth.reason, auth.message, route.kind === 'entry' ? route.hash : undefined);
  if (route.kind === 'bad-hash') return refuse(400, 'bad-hash', 'the hash must be 1 to 128 lowercase hex digits');
  const { hash } = route;

  if (req.method === 'GET') {
    ctx.stats.reads++;
    const r = await ctx.store.read(hash);
    if (r.kind === 'miss') {
      ctx.stats.misses++;
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('no such entry\n');
      return;
    }
    ctx.stats.hits++;
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(r.size) });
    try {
      await pipeline(r.body, res);
    } catch {
      // The client went away or timed out; the entry is unharmed.
    } finally {
      r.release();
    }
    return;
  }

  const length = checkContentLength(req.headers['content-length'], ctx.maxEntryBytes);
  if (!length.ok) return refuse(length.status, length.reason, length.message, hash);
  if (ctx.store.has(hash)) return refuse(409, 'exists', 'cannot override an existing record', hash);
  const w = await ctx.store.write(hash, req, length.length, ctx.maxEntryBytes);
  switch (w.kind) {
    case 'stored':
      ctx.stats.writes++;
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('stored\n');
      return;
    case 'exists':
      return refuse(409, 'exists', 'cannot override an existing record', hash);
    case 'too-large':
      return refuse(413, 'too-large', `body over its Content-Length or over ${ctx.maxEntryBytes} bytes`, hash);
    case 'incomplete':
      countRefusal(ctx.stats, 'incomplete');
      ctx.log(`cache-server: PUT ${hash} → body ended early (client gone or too slow); nothing stored`);
      if (!res.headersSent && !res.destroyed) res.writeHead(400, { Connection: 'close' }).end('incomplete body\n');
      return;
    case 'store-full':
      return refuse(507, 'store-full', `not stored: ${w.why}`, hash);
  }
}
