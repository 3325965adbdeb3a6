import { request } from 'node:http';
import { type Socket, connect } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CacheServer, startCacheServer } from './server';

/**
 * Clients that connect and then go slow: the server must drop them on time, and those without a
 * token must never hold the connections the runners need. Everything listens on 127.0.0.1 and
 * every slow client is bounded in count and in time by the test itself.
 */

const WRITE = 'write-token-for-main';
const READ = 'read-token-for-pull-requests';
const SLOTS = 4; // maxConnections: the runners' slots
const UNAUTHENTICATED = 2; // the separate budget for connections that have shown no token yet
const HEADERS_MS = 1500;
const FIRST_BYTE_MS = 700;
const REQUEST_MS = 2000;
const IDLE_MS = 6000; // longer than the request timeout: a trickling body must meet the latter
/** How late a drop may come: Node checks request deadlines on an interval, and the machine is shared. */
const SLACK_MS = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dir: string;
let server: CacheServer;
let port: number;
const logs: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cache-server-slow-'));
  server = await startCacheServer({
    storeDir: dir,
    readTokens: [READ],
    writeTokens: [WRITE],
    host: '127.0.0.1',
    maxEntryBytes: 1 << 20,
    maxConnections: SLOTS,
    maxUnauthenticated: UNAUTHENTICATED,
    headersTimeoutMs: HEADERS_MS,
    firstByteTimeoutMs: FIRST_BYTE_MS,
    requestTimeoutMs: REQUEST_MS,
    idleTimeoutMs: IDLE_MS,
    log: (l) => logs.push(l),
  });
  port = Number(new URL(server.url).port);
});
/** Every slow client a test opened: one a test leaves open must not weigh on the next. */
const opened: Slow[] = [];
afterEach(async () => {
  for (const c of opened.splice(0)) c.socket.destroy();
  await sleep(50);
});
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

interface Slow {
  socket: Socket;
  connectedAt: number;
  /** When the server closed it; undefined while open. */
  closedAt?: number;
  received: string;
  closed: Promise<void>;
}

/**
 * A client that sends `text` one byte every `everyMs`, then keeps sending `pad` the same way: it
 * never completes what it started (`everyMs` 0: it sends nothing by itself). It gives up on its
 * own only after `giveUpMs`, so a server that never drops it fails the test instead of hanging it.
 */
function slowClient(text: string, o: { everyMs: number; pad: string; giveUpMs: number }): Promise<Slow> {
  return new Promise((ready, fail) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.removeListener('error', fail);
      socket.on('error', () => {});
      let i = 0;
      const tick = o.everyMs > 0 ? setInterval(() => socket.write(i < text.length ? text[i++]! : o.pad), o.everyMs) : undefined;
      let gaveUp = false;
      const giveUp = setTimeout(() => ((gaveUp = true), socket.destroy()), o.giveUpMs);
      const slow: Slow = {
        socket,
        connectedAt: Date.now(),
        received: '',
        closed: new Promise<void>((closed) =>
          socket.once('close', () => {
            clearInterval(tick);
            clearTimeout(giveUp);
            if (!gaveUp) slow.closedAt = Date.now(); // closed from the server's side
            closed();
          }),
        ),
      };
      socket.on('data', (d: Buffer) => (slow.received += d.toString('latin1')));
      opened.push(slow);
      ready(slow);
    });
  });
}

function runner(method: 'GET' | 'PUT', path: string, token: string, body?: Buffer): Promise<{ status: number; body: Buffer; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body) headers['content-length'] = String(body.length);
    // A fresh connection each time, as a runner's first request makes: no slot is reused.
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false, timeout: 5000 }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(parts), ms: Date.now() - started }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 5 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

describe('slow clients without a token', () => {
  it('more of them than the server has slots starve no runner, and each is dropped within the header timeout', async () => {
    const count = SLOTS + UNAUTHENTICATED + 2;
    const slow: Slow[] = [];
    // A request head sent byte by byte, never finished: faster than the first-byte timeout, so
    // only the header deadline can end it.
    for (let i = 0; i < count; i++) slow.push(await slowClient(`GET /v1/cache/${i + 1} HTTP/1.1\r\nHost: x\r\nX-Pad: `, { everyMs: 100, pad: 'a', giveUpMs: 8000 }));
    await sleep(300);

    const entry = Buffer.from('an entry a runner stores while the slow clients hang on');
    const put = await runner('PUT', '/v1/cache/abc1', WRITE, entry);
    const get = await runner('GET', '/v1/cache/abc1', READ);
    expect(put.status).toBe(200);
    expect(get.status).toBe(200);
    expect(get.body.equals(entry)).toBe(true);
    // Promptly: well before the slow clients' header deadline has freed anything.
    expect(put.ms + get.ms).toBeLessThan(HEADERS_MS - 300);

    await Promise.all(slow.map((s) => s.closed));
    const held = slow.map((s) => (s.closedAt === undefined ? Infinity : s.closedAt - s.connectedAt));
    console.log(`slow connections without a token held for ${held.map((ms) => `${ms} ms`).join(', ')} (header timeout ${HEADERS_MS} ms)`);
    for (const ms of held) expect(ms).toBeLessThanOrEqual(HEADERS_MS + SLACK_MS);
    // None of them was served: dropped without a reply, or told its request timed out.
    for (const s of slow) expect(s.received).toMatch(/^$|^HTTP\/1\.1 408 /);
    const s = server.stats();
    expect(s.reads).toBe(1);
    expect(s.writes).toBe(1);
    // Every one of them was dropped by the server, most to make room for newer connections.
    expect(s.dropped['crowded-out']! + s.dropped['header-timeout']!).toBe(count);
    expect(s.dropped['crowded-out']).toBeGreaterThanOrEqual(count - UNAUTHENTICATED);
  }, 20_000);

  it('a connection that sends nothing at all is dropped after the first-byte timeout', async () => {
    const before = server.stats().dropped.idle ?? 0;
    const silent = await slowClient('', { everyMs: 60_000, pad: '', giveUpMs: 8000 });
    await silent.closed;
    expect(silent.closedAt).toBeDefined();
    const held = silent.closedAt! - silent.connectedAt;
    expect(held).toBeGreaterThanOrEqual(FIRST_BYTE_MS - 50);
    expect(held).toBeLessThanOrEqual(FIRST_BYTE_MS + SLACK_MS);
    expect(server.stats().dropped.idle).toBe(before + 1);
  }, 20_000);

  it('is answered 401 from its headers at once: no 100 Continue, no body awaited, the connection closed', async () => {
    const head = 'PUT /v1/cache/abc2 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n';
    const started = Date.now();
    const c = await slowClient('', { everyMs: 0, pad: '', giveUpMs: 8000 });
    c.socket.write(head); // the head at once; the body announced never comes
    await c.closed;
    expect(c.received.split('\r\n')[0]).toBe('HTTP/1.1 401 Unauthorized');
    expect(c.received).not.toContain('100 Continue');
    expect(c.closedAt! - started).toBeLessThan(FIRST_BYTE_MS);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  }, 20_000);

  it('a refused request does not keep its connection: a 401 closes it at once instead of keeping it alive', async () => {
    const refused: Slow[] = [];
    for (let i = 0; i < SLOTS + UNAUTHENTICATED; i++) {
      const c = await slowClient('', { everyMs: 0, pad: '', giveUpMs: 8000 });
      c.socket.write(`GET /v1/cache/abc1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer guessed-${i}\r\n\r\n`);
      refused.push(c);
    }
    await Promise.all(refused.map((c) => c.closed));
    for (const c of refused) {
      expect(c.received.split('\r\n')[0]).toBe('HTTP/1.1 401 Unauthorized');
      expect(c.closedAt! - c.connectedAt).toBeLessThan(FIRST_BYTE_MS);
    }
    expect((await runner('GET', '/v1/cache/abc1', READ)).status).toBe(200);
  }, 20_000);
});

describe('a runner that goes slow', () => {
  it('a later request on its kept-alive connection gets the same header timeout, from its first byte', async () => {
    const c = await slowClient('', { everyMs: 0, pad: '', giveUpMs: 8000 });
    c.socket.write(`GET /v1/cache/abc9 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${READ}\r\n\r\n`);
    while (!c.received.includes('no such entry\n')) await sleep(20);
    expect(c.received.split('\r\n')[0]).toBe('HTTP/1.1 404 Not Found');
    // The next head, byte by byte, never finished.
    const next = `GET /v1/cache/abc9 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${READ}\r\nX-Pad: `;
    const started = Date.now();
    let i = 0;
    const tick = setInterval(() => c.socket.write(i < next.length ? next[i++]! : 'a'), 100);
    await c.closed;
    clearInterval(tick);
    expect(c.closedAt).toBeDefined();
    const held = c.closedAt! - started;
    expect(held).toBeGreaterThanOrEqual(HEADERS_MS - 50);
    expect(held).toBeLessThanOrEqual(HEADERS_MS + SLACK_MS);
    expect(c.received).toContain('HTTP/1.1 408 Request Timeout');
  }, 20_000);

  it('with a token, stalling its upload, is dropped after the request timeout even while it trickles, and nothing of it is stored', async () => {
    const before = server.stats().refused.incomplete ?? 0;
    const head = `PUT /v1/cache/abc3 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${WRITE}\r\nContent-Length: 1000\r\n\r\n`;
    const c = await slowClient('', { everyMs: 200, pad: 'b', giveUpMs: IDLE_MS + 2000 });
    c.socket.write(head);
    await c.closed;
    expect(c.closedAt).toBeDefined();
    const held = c.closedAt! - c.connectedAt;
    console.log(`an upload trickling a byte every 200 ms was dropped after ${held} ms (request timeout ${REQUEST_MS} ms)`);
    expect(held).toBeGreaterThanOrEqual(REQUEST_MS - 50);
    expect(held).toBeLessThanOrEqual(REQUEST_MS + SLACK_MS);
    await sleep(100);
    expect(server.stats().refused.incomplete).toBe(before + 1);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
    expect(await readdir(join(dir, 'entries'))).not.toContain('abc3');
    expect((await runner('GET', '/v1/cache/abc3', READ)).status).toBe(404);
  }, 20_000);

  it('never logs a token', () => {
    const all = logs.join('\n');
    expect(all).not.toContain(WRITE);
    expect(all).not.toContain(READ);
  });
});
