import { request } from 'node:http';
import { connect } from 'node:net';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CacheServer, startCacheServer } from './server';
import { hashToken } from './tokens';

/** The HTTP surface against Nx's self-hosted cache specification, status by status. */

const READ = 'read-token-for-pull-requests';
const WRITE = 'write-token-for-main';
let dir: string;
let server: CacheServer;
const logs: string[] = [];

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}
function call(method: string, path: string, o: { token?: string; body?: Buffer; headers?: Record<string, string> } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.body && !('transfer-encoding' in headers)) headers['content-length'] = String(o.body.length);
    const req = request(`${server.url}${path}`, { method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(o.body);
  });
}
/** Raw bytes to the server; the status line of the reply, or what happened to the connection. */
function raw(text: string, opts: { waitMs?: number } = {}): Promise<string> {
  const { port } = new URL(server.url);
  return new Promise((resolve) => {
    const s = connect(Number(port), '127.0.0.1', () => s.write(text));
    let got = '';
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('close', () => resolve(got.split('\r\n')[0] || 'closed without reply'));
    s.on('error', () => {});
    if (opts.waitMs) setTimeout(() => s.destroy(), opts.waitMs);
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cache-server-'));
  server = await startCacheServer({ storeDir: dir, readTokens: [READ], writeTokens: [WRITE], maxEntryBytes: 1 << 20, maxStoreBytes: 4 << 20, idleTimeoutMs: 500, roomWaitMs: 100, log: (l) => logs.push(l) });
});
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

const body = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));

describe('PUT /v1/cache/{hash}', () => {
  it('200: stores the body', async () => {
    expect((await call('PUT', '/v1/cache/1001', { token: WRITE, body })).status).toBe(200);
  });

  it('409: cannot override an existing record, whatever the body', async () => {
    const r = await call('PUT', '/v1/cache/1001', { token: WRITE, body: Buffer.alloc(900_000, 1) });
    expect(r.status).toBe(409); // a reply, not a reset connection, even for a body it does not read
    expect((await call('PUT', '/v1/cache/1001', { token: WRITE, body: Buffer.from('other bytes') })).status).toBe(409);
    expect(r.body.toString()).toMatch(/cannot override an existing record/);
    expect((await call('GET', '/v1/cache/1001', { token: READ })).body.equals(body)).toBe(true);
  });

  it('401: no token, or a token it does not know', async () => {
    expect((await call('PUT', '/v1/cache/1002', { body })).status).toBe(401);
    expect((await call('PUT', '/v1/cache/1002', { token: 'guess', body })).status).toBe(401);
  });

  it('403: a read-only token may not write, and nothing is stored', async () => {
    const r = await call('PUT', '/v1/cache/1003', { token: READ, body });
    expect(r.status).toBe(403);
    expect(r.body.toString()).toMatch(/may read the cache but not write/);
    expect((await call('GET', '/v1/cache/1003', { token: WRITE })).status).toBe(404);
  });

  it('400: a body without Content-Length (chunked) is refused', async () => {
    const r = await call('PUT', '/v1/cache/1004', { token: WRITE, body, headers: { 'transfer-encoding': 'chunked' } });
    expect(r.status).toBe(400);
    expect(r.body.toString()).toMatch(/Content-Length/);
  });

  it('413: an entry over the size limit is refused from its Content-Length, before its body', async () => {
    const reply = await raw(`PUT /v1/cache/1005 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${WRITE}\r\nContent-Length: ${(1 << 20) + 1}\r\n\r\nonly a few bytes`);
    expect(reply).toBe('HTTP/1.1 413 Payload Too Large');
    expect((await call('GET', '/v1/cache/1005', { token: WRITE })).status).toBe(404);
  });

  it('507: an entry larger than the whole store is not kept', async () => {
    const small = await startCacheServer({ storeDir: join(dir, 'small'), writeTokens: [WRITE], maxStoreBytes: 1000, log: () => {} });
    try {
      const r = await fetch(`${small.url}/v1/cache/1`, { method: 'PUT', headers: { authorization: `Bearer ${WRITE}` }, body: Buffer.alloc(2000) });
      expect(r.status).toBe(507);
      expect(await readdir(join(dir, 'small', 'entries'))).toEqual([]);
    } finally {
      await small.stop();
    }
  });

  it('a client that stalls mid-body is dropped after the idle timeout and leaves nothing', async () => {
    const before = server.stats().refused.incomplete ?? 0;
    const reply = await raw(`PUT /v1/cache/1006 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${WRITE}\r\nContent-Length: 1000\r\n\r\nten bytes.`);
    expect(reply).toBe('closed without reply');
    await new Promise((r) => setTimeout(r, 100));
    expect(server.stats().refused.incomplete).toBe(before + 1);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
    expect((await call('GET', '/v1/cache/1006', { token: WRITE })).status).toBe(404);
  });
});

describe('GET /v1/cache/{hash}', () => {
  it('200: the exact bytes, as application/octet-stream with their length, for a read or a write token', async () => {
    for (const token of [READ, WRITE]) {
      const r = await call('GET', '/v1/cache/1001', { token });
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/octet-stream');
      expect(r.headers['content-length']).toBe(String(body.length));
      expect(r.body.equals(body)).toBe(true);
    }
  });

  it('404: no such record', async () => {
    expect((await call('GET', '/v1/cache/999999', { token: READ })).status).toBe(404);
  });

  it('401: no token, or an unknown one', async () => {
    expect((await call('GET', '/v1/cache/1001')).status).toBe(401);
    expect((await call('GET', '/v1/cache/1001', { token: `${READ}x` })).status).toBe(401);
  });

  it('400: a hash that is not one, however it is spelled; no file outside the entries is reachable', async () => {
    // Sent as raw bytes: an HTTP client would normalise some of these paths before sending them.
    const get = (p: string) => raw(`GET ${p} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${READ}\r\nConnection: close\r\n\r\n`);
    for (const p of ['/v1/cache/..%2Fserver.key', '/v1/cache/%2e%2e', '/v1/cache/..', '/v1/cache/ABC', '/v1/cache/1.tmp', `/v1/cache/${'1'.repeat(129)}`]) {
      expect(await get(p), p).toBe('HTTP/1.1 400 Bad Request');
    }
    // A path with more segments is no cache route at all.
    expect(await get('/v1/cache/../server.key')).toBe('HTTP/1.1 400 Bad Request');
    expect(await get('/v1/cache/1/../../server.key')).toBe('HTTP/1.1 400 Bad Request');
    expect(await get('/v1/../server.key')).toBe('HTTP/1.1 404 Not Found');
  });
});

describe('the rest', () => {
  it('404 off the cache route, 405 for other methods', async () => {
    expect((await call('GET', '/', { token: READ })).status).toBe(404);
    const r = await call('DELETE', '/v1/cache/1001', { token: WRITE });
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET, PUT');
  });

  it('counts what happened, and never logs a token', async () => {
    const s = server.stats();
    expect(s.writes).toBe(1);
    expect(s.hits).toBeGreaterThanOrEqual(3);
    expect(s.misses).toBeGreaterThanOrEqual(3);
    expect(s.refused).toMatchObject({ exists: 2, 'read-only-token': 1, 'too-large': 1, 'no-length': 1 });
    expect(s.refused['no-token']).toBeGreaterThanOrEqual(2);
    expect(s.refused['unknown-token']).toBeGreaterThanOrEqual(2);
    const all = logs.join('\n');
    expect(all).toMatch(/PUT 1003 → 403 read-only-token/);
    expect(all).not.toContain(READ);
    expect(all).not.toContain(WRITE);
  });

  it('holds no more connections with a token than its limit, so uploads in flight are bounded too: one more is answered 503', async () => {
    const s = await startCacheServer({ storeDir: join(dir, 'conns'), writeTokens: [WRITE], maxConnections: 1, log: () => {} });
    try {
      const { port } = new URL(s.url);
      const first = connect(Number(port), '127.0.0.1');
      await new Promise((r) => first.once('connect', r));
      first.write(`PUT /v1/cache/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${WRITE}\r\nContent-Length: 100\r\n\r\nsome`);
      await new Promise((r) => setTimeout(r, 100)); // its head read: it holds the one slot
      const second = await fetch(`${s.url}/v1/cache/2`, { method: 'PUT', headers: { authorization: `Bearer ${WRITE}` }, body: Buffer.alloc(10) });
      expect(second.status).toBe(503);
      expect(second.headers.get('retry-after')).toBe('1');
      expect(s.stats().refused.busy).toBe(1);
      // The first upload, holding the slot, still completes.
      const answered = new Promise<string>((r) => first.once('data', (d: Buffer) => r(d.toString('latin1').split('\r\n')[0]!)));
      first.write('x'.repeat(96));
      expect(await answered).toBe('HTTP/1.1 200 OK');
      first.destroy();
      expect(await readdir(join(dir, 'conns', 'entries'))).toEqual(['1']);
    } finally {
      await s.stop();
    }
  });

  it('takes tokens from a file of digests and picks up a rotation on reload', async () => {
    const tokens = join(dir, 'tokens');
    await writeFile(tokens, `# rotated monthly\nread ${hashToken('old-read')}\nwrite ${hashToken('w')}\n`);
    const s = await startCacheServer({ storeDir: join(dir, 'rot'), tokensFile: tokens, log: () => {} });
    try {
      const get = (t: string) => fetch(`${s.url}/v1/cache/1`, { headers: { authorization: `Bearer ${t}` } }).then((r) => r.status);
      expect(await get('old-read')).toBe(404);
      await writeFile(tokens, `read ${hashToken('new-read')}\nwrite ${hashToken('w')}\n`);
      await s.reloadTokens();
      expect(await get('old-read')).toBe(401);
      expect(await get('new-read')).toBe(404);
      await writeFile(tokens, 'read not-a-digest\n');
      await expect(s.reloadTokens()).rejects.toThrow(/tokens:1: not a token line/);
      expect(await get('new-read')).toBe(404);
    } finally {
      await s.stop();
    }
  });
});
