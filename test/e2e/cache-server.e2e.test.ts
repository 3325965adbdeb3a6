import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CacheServer, HEADER_BYTES, startCacheServer } from '@bllvm/cache-server/testing';
import { type WorkspaceCopy, copyWorkspace } from '@bllvm/demo';
import { prngFraction } from '@bllvm/sandbox';

/**
 * The shared cache as the fleet uses it: real Nx (its native HTTP cache client) in two separate
 * clones, one a protected-branch runner with the write token, one a pull-request runner with the
 * read token; then tampering on disk; then many clients at once.
 */

const PR_TOKEN = 'pull-request-read-token';
const MAIN_TOKEN = 'protected-branch-write-token';
const TASK = 'cache-server:bundle'; // cacheable, esbuild only: a task of this workspace that costs ~0.1 s
const OUTPUT = 'tools/ship/cache-server/dist/cache-server.cjs';

describe('real Nx against the cache server', () => {
  let store: string;
  let server: CacheServer;
  let main: WorkspaceCopy;
  let pr: WorkspaceCopy;
  const logs: string[] = [];
  const run = async (ws: WorkspaceCopy) => {
    // A fresh runner: nothing in its local cache, no output on disk.
    await rm(join(ws.dir, '.nx'), { recursive: true, force: true });
    await rm(join(ws.dir, 'tools/ship/cache-server/dist'), { recursive: true, force: true });
    const r = await ws.nx('run', TASK, '--outputStyle=static');
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(existsSync(join(ws.dir, OUTPUT))).toBe(true);
    return { remoteHit: r.stdout.includes('[remote cache]'), output: await readFile(join(ws.dir, OUTPUT)) };
  };
  const entries = () => readdir(join(store, 'entries'));

  beforeAll(async () => {
    store = await mkdtemp(join(tmpdir(), 'bllvm-cache-store-'));
    server = await startCacheServer({ storeDir: store, readTokens: [PR_TOKEN], writeTokens: [MAIN_TOKEN], log: (l) => logs.push(l) });
    [main, pr] = [await copyWorkspace('bllvm-cache-main-'), await copyWorkspace('bllvm-cache-pr-')];
    for (const [ws, token] of [[main, MAIN_TOKEN], [pr, PR_TOKEN]] as const) {
      Object.assign(ws.env, { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token, FORCE_COLOR: '0' });
    }
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await Promise.all([main?.remove(), pr?.remove(), rm(store, { recursive: true, force: true })]);
  });

  it('a pull request runner reads, but its write is refused (403) and its task still succeeds', async () => {
    const r = await run(pr);
    expect(r.remoteHit).toBe(false);
    const s = server.stats();
    expect(s.misses).toBe(1);
    expect(s.refused['read-only-token']).toBe(1);
    expect(s.writes).toBe(0);
    expect(await entries()).toEqual([]);
  });

  it('the protected branch runner stores its outputs; the pull request runner then restores them from the cache', async () => {
    const built = await run(main);
    expect(built.remoteHit).toBe(false);
    expect(server.stats().writes).toBe(1);
    expect(await entries()).toHaveLength(1);

    const restored = await run(pr);
    expect(restored.remoteHit).toBe(true);
    expect(restored.output.equals(built.output)).toBe(true);
    expect(server.stats().hits).toBe(1);
  });

  it('an entry changed on disk is never served: quarantined, and Nx rebuilds the task instead', async () => {
    const [hash] = await entries();
    const file = join(store, 'entries', hash!);
    await chmod(file, 0o600);
    const bytes = await readFile(file);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff; // inside the tar, where a swapped file would be
    await writeFile(file, bytes);

    const r = await run(pr);
    expect(r.remoteHit).toBe(false);
    const s = server.stats();
    expect(s.quarantined).toBe(1);
    expect(s.hits).toBe(1);
    expect(await entries()).toEqual([]);
    expect(await readdir(join(store, 'quarantine'))).toHaveLength(1);
    expect(logs.join('\n')).toMatch(new RegExp(`quarantined "${hash}": body does not match its recorded sha256`));
    for (const token of [PR_TOKEN, MAIN_TOKEN]) expect(logs.join('\n')).not.toContain(token);
  });
});

describe('poisoning the store directly', () => {
  it('a file planted under a hash is never served, whether planted while running or before a start', async () => {
    const store = await mkdtemp(join(tmpdir(), 'bllvm-cache-plant-'));
    const opts = { storeDir: store, readTokens: [PR_TOKEN], writeTokens: [MAIN_TOKEN], log: () => {} };
    let server = await startCacheServer(opts);
    try {
      const body = Buffer.from('a tar with a back-doored binary');
      const digest = createHash('sha256').update(body).digest('hex');
      // The planter knows the format and the digest, but not the server's key.
      await writeFile(join(store, 'entries', '5555'), Buffer.concat([Buffer.from(`BLLVMCACHE1 ${digest} ${'f'.repeat(64)}\n`), body]));
      const get = async (h: string) => (await fetch(`${server.url}/v1/cache/${h}`, { headers: { authorization: `Bearer ${PR_TOKEN}` } })).status;
      expect(await get('5555')).toBe(404);
      await server.stop();
      server = await startCacheServer(opts);
      expect(await get('5555')).toBe(404);
      expect(server.stats().quarantined).toBe(1);
      expect(await readdir(join(store, 'entries'))).toEqual([]);
      // and a read token cannot put it there through the front door either
      const put = await fetch(`${server.url}/v1/cache/5555`, { method: 'PUT', headers: { authorization: `Bearer ${PR_TOKEN}` }, body });
      expect(put.status).toBe(403);
      expect(await readdir(join(store, 'entries'))).toEqual([]);
    } finally {
      await server.stop();
      await rm(store, { recursive: true, force: true });
    }
  });
});

describe('load', () => {
  const CLIENTS = 50;
  const OPS_PER_CLIENT = 7;
  const KEYS = 30;
  const MB = 1 << 20;
  const MAX_STORE = 150 * MB;

  const pool = (() => {
    const r = prngFraction(7);
    const b = Buffer.alloc(4 * MB);
    for (let i = 0; i < b.length; i += 4) b.writeUInt32LE(Math.floor(r() * 2 ** 32), i);
    return b;
  })();
  /** A body of `size` bytes unique to (key, writer), made of slices of the pool, never held whole. */
  function* bodyOf(key: number, writer: number, size: number) {
    const r = prngFraction(key * 1000 + writer);
    yield Buffer.from(`key ${key} writer ${writer} `.padEnd(64));
    for (let sent = 64; sent < size; ) {
      const n = Math.min(256 * 1024, size - sent);
      const at = Math.floor(r() * (pool.length - n));
      yield pool.subarray(at, at + n);
      sent += n;
    }
  }

  it(`${CLIENTS} clients at once, reads and writes of 1 to 50 MB: every hit is bytes some writer stored, no 5xx, the store stays bounded and whole`, async () => {
    const store = await mkdtemp(join(tmpdir(), 'bllvm-cache-load-'));
    const logs: string[] = [];
    const server = await startCacheServer({ storeDir: store, readTokens: [PR_TOKEN], writeTokens: [MAIN_TOKEN], maxEntryBytes: 64 * MB, maxStoreBytes: MAX_STORE, log: (l) => logs.push(l) });
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const { port } = new URL(server.url);
    /** digests of bodies a PUT of that key answered 200 to */
    const stored = new Map<number, Set<string>>();
    const hits: { key: number; digest: string }[] = [];
    const statuses: Record<number, number> = {};
    let bytesMoved = 0;

    const call = (method: 'GET' | 'PUT', key: number, body?: { chunks: Iterable<Buffer>; size: number }) =>
      new Promise<{ status: number; digest?: string }>((resolve, reject) => {
        const headers: Record<string, string> = { authorization: `Bearer ${method === 'PUT' ? MAIN_TOKEN : PR_TOKEN}` };
        if (body) headers['content-length'] = String(body.size);
        const req = request({ host: '127.0.0.1', port, path: `/v1/cache/${key}`, method, headers, agent }, (res) => {
          const sha = createHash('sha256');
          res.on('data', (c: Buffer) => {
            sha.update(c);
            if (res.statusCode === 200 && method === 'GET') bytesMoved += c.length;
          });
          res.on('end', () => resolve({ status: res.statusCode!, digest: sha.digest('hex') }));
          res.on('error', reject);
        });
        req.on('error', reject);
        if (!body) return void req.end();
        const sha = createHash('sha256');
        const it = body.chunks[Symbol.iterator]();
        const pump = () => {
          for (;;) {
            const next = it.next();
            if (next.done) return void req.end();
            sha.update(next.value);
            bytesMoved += next.value.length;
            if (!req.write(next.value)) return void req.once('drain', pump);
          }
        };
        req.once('response', (res) => {
          if (res.statusCode === 200) {
            const set = stored.get(key) ?? new Set();
            set.add(sha.digest('hex'));
            stored.set(key, set);
          }
        });
        pump();
      });

    const plan = prngFraction(42);
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let op = 0; op < OPS_PER_CLIENT; op++) {
          const key = 1 + Math.floor(KEYS * plan() ** 2); // a few hot keys, like the tasks every run restores
          const write = plan() < 0.45;
          // 1 to 50 MB, mostly small: mean about 13 MB
          const size = Math.floor(MB + 49 * MB * plan() ** 3);
          const r = write ? await call('PUT', key, { chunks: bodyOf(key, client * 10 + op, size), size }) : await call('GET', key);
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
          if (!write && r.status === 200) hits.push({ key, digest: r.digest! });
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    agent.destroy();
    const s = server.stats();
    console.log(
      `cache-server load: ${CLIENTS} clients, ${CLIENTS * OPS_PER_CLIENT} requests, ${(bytesMoved / MB).toFixed(0)} MB moved in ${seconds.toFixed(1)} s ` +
        `(${(bytesMoved / MB / seconds).toFixed(0)} MB/s); statuses ${JSON.stringify(statuses)}; ` +
        `${s.writes} stored, ${s.hits} hits, ${s.misses} misses, ${s.evictions} evictions; store ${(server.storeBytes() / MB).toFixed(0)} of ${MAX_STORE / MB} MB`,
    );
    try {
      expect(Object.keys(statuses).filter((c) => Number(c) >= 500)).toEqual([]);
      expect(Object.keys(statuses).map(Number).every((c) => [200, 404, 409].includes(c))).toBe(true);
      expect(s.writes).toBeGreaterThan(10);
      expect(s.evictions).toBeGreaterThan(0); // the bound was reached and held
      expect(hits.length).toBeGreaterThan(0);
      for (const h of hits) expect(stored.get(h.key)?.has(h.digest), `GET ${h.key} returned bytes no writer stored`).toBe(true);

      // The store afterwards: no upload left half-way, every entry whole and one a writer stored.
      expect(await readdir(join(store, 'tmp'))).toEqual([]);
      expect(logs.filter((l) => /quarantined|failed/.test(l))).toEqual([]);
      expect(await readdir(join(store, 'quarantine'))).toEqual([]);
      let onDisk = 0;
      for (const name of await readdir(join(store, 'entries'))) {
        const size = (await stat(join(store, 'entries', name))).size;
        onDisk += size;
        const r = await call('GET', Number(name));
        expect(r.status).toBe(200);
        expect(stored.get(Number(name))?.has(r.digest!)).toBe(true);
        expect(size).toBeGreaterThan(HEADER_BYTES);
      }
      expect(onDisk).toBe(server.storeBytes());
      expect(onDisk).toBeLessThanOrEqual(MAX_STORE);
    } finally {
      await server.stop();
      await rm(store, { recursive: true, force: true });
    }
  }, 180_000);
});
