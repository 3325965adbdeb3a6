import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { HEADER_BYTES } from './entry-format';
import { emptyStats } from './stats';
import { Store } from './store';

// Unlinking a large file takes a while on a real disk (the load test met it); here each unlink
// of an entry is held for 100 ms, so that window is wide and the race below is deterministic.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    unlink: async (path: string) => {
      if (path.includes('/entries/')) await new Promise((r) => setTimeout(r, 100));
      return real.unlink(path);
    },
  };
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cache-race-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('a write of a hash whose entry is being evicted waits for the unlink and is stored, not taken for a planted stranger', async () => {
  const size = 10_000;
  const logs: string[] = [];
  const stats = emptyStats();
  const unit = size + HEADER_BYTES; // one small entry on disk
  const s = await Store.open({ dir, maxStoreBytes: 4 * unit, stats, log: (l) => logs.push(l) });
  const put = (hash: string, n: number, fill: number) => s.write(hash, Readable.from([Buffer.alloc(n, fill)]), n, 1 << 20);

  // A writer of '2' that starts before '2' exists and finishes only when released.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const late = s.write('2', Readable.from((async function* () {
    yield Buffer.alloc(size / 2, 9);
    await held;
    yield Buffer.alloc(size / 2, 9);
  })()), size, 1 << 20);

  for (const h of ['1', '2', '4']) expect(await put(h, size, 1)).toEqual({ kind: 'stored' });
  // A big entry (three units) evicts the two least recently used, '1' and '2', whose files take
  // 100 ms each to go; the late writer of '2' then makes its room by evicting '4' and publishes
  // while the old '2' is still on disk.
  const big = put('3', 3 * unit - HEADER_BYTES, 3);
  await new Promise((r) => setTimeout(r, 30));
  release();
  expect(await late).toEqual({ kind: 'stored' });
  expect(await big).toEqual({ kind: 'stored' });

  expect(stats.quarantined).toBe(0);
  expect(logs).toEqual([]);
  expect(await readdir(join(dir, 'quarantine'))).toEqual([]);
});
