import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdtemp, readFile, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HEADER_BYTES } from './entry-format';
import { emptyStats } from './stats';
import { Store, type StoreOptions } from './store';

let dir: string;
let logs: string[];
const MAX_ENTRY = 1 << 20;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cache-store-'));
  logs = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = (o: Partial<StoreOptions> = {}) => Store.open({ dir, maxStoreBytes: 10 << 20, stats: emptyStats(), log: (l) => logs.push(l), ...o });
const body = (n: number, seed = 1) => Buffer.alloc(n, seed);
const put = (s: Store, hash: string, b: Buffer, length = b.length) => s.write(hash, Readable.from(chunks(b)), length, MAX_ENTRY);
function* chunks(b: Buffer) {
  for (let i = 0; i < b.length; i += 4096) yield b.subarray(i, i + 4096);
}
async function get(s: Store, hash: string): Promise<Buffer | undefined> {
  const r = await s.read(hash);
  if (r.kind === 'miss') return undefined;
  const parts: Buffer[] = [];
  for await (const c of r.body) parts.push(c as Buffer);
  r.release();
  return Buffer.concat(parts);
}
const ls = (sub: string) => readdir(join(dir, sub));

describe('the store', () => {
  it('stores a body and serves exactly it back', async () => {
    const s = await open();
    const b = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 251));
    expect(await put(s, '42', b)).toEqual({ kind: 'stored' });
    expect((await get(s, '42'))!.equals(b)).toBe(true);
    expect(await get(s, '43')).toBeUndefined();
    expect(await ls('tmp')).toEqual([]);
  });

  it('never overwrites: a second write of a hash is refused and the first body stays', async () => {
    const s = await open();
    await put(s, '1', body(10, 1));
    expect(await put(s, '1', body(10, 2))).toEqual({ kind: 'exists' });
    expect(await get(s, '1')).toEqual(body(10, 1));
  });

  it('lets exactly one of many racing writes of one hash win, and serves the winner whole', async () => {
    const s = await open();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => put(s, '7', body(200_000, i + 1))));
    expect(results.filter((r) => r.kind === 'stored')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'exists')).toHaveLength(7);
    const served = (await get(s, '7'))!;
    const winner = results.findIndex((r) => r.kind === 'stored');
    expect(served.equals(body(200_000, winner + 1))).toBe(true);
    expect(await ls('tmp')).toEqual([]);
  });

  it('leaves nothing behind for a short body, one over its length, or one that fails mid-way', async () => {
    const s = await open();
    expect(await put(s, '1', body(10), 20)).toEqual({ kind: 'incomplete' });
    expect(await put(s, '2', body(30), 20)).toEqual({ kind: 'too-large' });
    expect(await s.write('3', Readable.from((async function* () {
      yield body(10);
      throw new Error('connection reset');
    })()), 20, MAX_ENTRY)).toEqual({ kind: 'incomplete' });
    expect(await s.write('4', Readable.from(chunks(body(MAX_ENTRY + 1))), MAX_ENTRY + 1, MAX_ENTRY)).toEqual({ kind: 'too-large' });
    expect(await ls('entries')).toEqual([]);
    expect(await ls('tmp')).toEqual([]);
    expect(s.usedBytes).toBe(0);
  });

  it('quarantines an entry whose bytes changed on disk instead of serving it', async () => {
    const stats = emptyStats();
    const s = await open({ stats });
    await put(s, '5', body(1000, 3));
    const file = join(dir, 'entries', '5');
    await chmod(file, 0o600);
    const bytes = await readFile(file);
    bytes[HEADER_BYTES + 500] = bytes[HEADER_BYTES + 500]! ^ 1;
    await writeFile(file, bytes);
    expect(await get(s, '5')).toBeUndefined();
    expect(await ls('entries')).toEqual([]);
    expect(await ls('quarantine')).toHaveLength(1);
    expect(stats.quarantined).toBe(1);
    expect(logs.join('\n')).toMatch(/quarantined "5": body does not match its recorded sha256/);
    // a miss: a fresh write of the hash is accepted
    expect(await put(s, '5', body(1000, 3))).toEqual({ kind: 'stored' });
    expect(await get(s, '5')).toEqual(body(1000, 3));
  });

  it('never serves a file planted in the store, even one carrying its own correct sha256', async () => {
    const s1 = await open();
    await put(s1, '100', body(50, 9));
    // Planted before a start: a plain body, and a genuine entry copied under another hash.
    await writeFile(join(dir, 'entries', '200'), body(50, 6));
    await copyFile(join(dir, 'entries', '100'), join(dir, 'entries', '300'));
    const digest = createHash('sha256').update(body(50, 6)).digest('hex');
    await writeFile(join(dir, 'entries', '400'), Buffer.concat([Buffer.from(`BLLVMCACHE1 ${digest} ${'0'.repeat(64)}\n`), body(50, 6)]));
    await writeFile(join(dir, 'entries', 'not-a-hash'), 'x');
    await symlink(join(dir, 'server.key'), join(dir, 'entries', '500'));
    const stats = emptyStats();
    const s = await open({ stats });
    for (const h of ['200', '300', '400', '500']) expect(await get(s, h), h).toBeUndefined();
    expect(await get(s, '100')).toEqual(body(50, 9));
    expect((await ls('entries')).sort()).toEqual(['100']);
    expect(stats.quarantined).toBe(5);
  });

  it('does not serve a file planted while running, and moves it aside when its hash is written', async () => {
    const stats = emptyStats();
    const s = await open({ stats });
    await writeFile(join(dir, 'entries', '77'), body(20, 6));
    expect(await get(s, '77')).toBeUndefined();
    expect(await put(s, '77', body(20, 1))).toEqual({ kind: 'stored' });
    expect(await get(s, '77')).toEqual(body(20, 1));
    expect(stats.quarantined).toBe(1);
  });

  it('never follows an entry swapped for a symlink', async () => {
    const stats = emptyStats();
    const s = await open({ stats });
    await put(s, '88', body(20, 1));
    await rm(join(dir, 'entries', '88'));
    await symlink(join(dir, 'server.key'), join(dir, 'entries', '88'));
    expect(await get(s, '88')).toBeUndefined();
    expect(stats.quarantined).toBe(1);
    expect(await ls('entries')).toEqual([]);
  });

  it('evicts least recently used entries to stay within its bound', async () => {
    const size = 100_000;
    const stats = emptyStats();
    const s = await open({ maxStoreBytes: 3 * (size + HEADER_BYTES), stats });
    for (const h of ['1', '2', '3']) {
      await put(s, h, body(size));
      await new Promise((r) => setTimeout(r, 5));
    }
    await get(s, '1'); // now 2 is the least recently used
    expect(await put(s, '4', body(size))).toEqual({ kind: 'stored' });
    expect((await ls('entries')).sort()).toEqual(['1', '3', '4']);
    expect(s.usedBytes).toBe(3 * (size + HEADER_BYTES));
    expect(stats.evictions).toBe(1);
  });

  it('never evicts an entry being read: a write waits for the reader, or is refused', async () => {
    const size = 100_000;
    const s = await open({ maxStoreBytes: size + HEADER_BYTES, roomWaitMs: 200 });
    await put(s, '1', body(size, 1));
    const reading = await s.read('1');
    expect(reading.kind).toBe('hit');
    expect(await put(s, '2', body(size, 2))).toMatchObject({ kind: 'store-full' });
    const waiting = put(s, '3', body(size, 3));
    await new Promise((r) => setTimeout(r, 50));
    const parts: Buffer[] = [];
    if (reading.kind === 'hit') {
      for await (const c of reading.body) parts.push(c as Buffer);
      reading.release();
    }
    expect(Buffer.concat(parts).equals(body(size, 1))).toBe(true);
    expect(await waiting).toEqual({ kind: 'stored' });
    expect(await ls('entries')).toEqual(['3']);
  });

  it('refuses an entry larger than the whole store', async () => {
    const s = await open({ maxStoreBytes: 1000 });
    expect(await put(s, '1', body(2000))).toMatchObject({ kind: 'store-full', why: expect.stringMatching(/larger than the whole store/) });
    expect(await ls('entries')).toEqual([]);
  });

  it('on start, forgets unfinished uploads and takes the LRU order from file times', async () => {
    const size = 1000;
    const s1 = await open();
    for (const h of ['1', '2', '3']) await put(s1, h, body(size));
    await utimes(join(dir, 'entries', '1'), new Date(3000_000), new Date(3000_000));
    await utimes(join(dir, 'entries', '2'), new Date(1000_000), new Date(1000_000));
    await utimes(join(dir, 'entries', '3'), new Date(2000_000), new Date(2000_000));
    await writeFile(join(dir, 'tmp', '9.partial'), 'half an upload');
    const s = await open({ maxStoreBytes: 3 * (size + HEADER_BYTES) });
    expect(await ls('tmp')).toEqual([]);
    expect(s.usedBytes).toBe(3 * (size + HEADER_BYTES));
    await put(s, '4', body(size));
    expect((await ls('entries')).sort()).toEqual(['1', '3', '4']);
  });

  it('keeps its MAC key: entries stay valid across restarts', async () => {
    const s1 = await open();
    await put(s1, '8', body(100, 4));
    const s2 = await open();
    expect(await get(s2, '8')).toEqual(body(100, 4));
    expect(await readdir(dir)).toContain('server.key');
  });
});
