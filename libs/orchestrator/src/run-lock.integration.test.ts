import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunLockedError, runLockPaths, withRunLock } from './run-lock';

let ws: string;
beforeEach(async () => {
  ws = await mkdtemp(join(tmpdir(), 'run-lock-'));
});
afterEach(async () => rm(ws, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('withRunLock', () => {
  it('runs one holder at a time: the second waits for the first, then runs', async () => {
    const order: string[] = [];
    const lines: string[] = [];
    const first = withRunLock(ws, { command: 'handle-event a', waitMs: 10_000, progress: (l) => lines.push(l) }, async () => {
      order.push('a start');
      await sleep(1500);
      order.push('a end');
    });
    await sleep(100);
    const second = withRunLock(ws, { command: 'handle-event b', waitMs: 10_000, progressMs: 500, progress: (l) => lines.push(l) }, async () => {
      order.push('b start');
    });
    await Promise.all([first, second]);
    expect(order).toEqual(['a start', 'a end', 'b start']);
    // The waiting run says whom it waits for: this process, running "handle-event a".
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines[0]).toMatch(new RegExp(`^waiting for the checkout lock, held by pid ${process.pid} \\(handle-event a, since `));
  });

  it('refuses after the bounded wait, naming the holder and what to do', async () => {
    let refused: unknown;
    await withRunLock(ws, { command: 'nightly --push', waitMs: 10_000, progress: () => undefined }, async () => {
      refused = await withRunLock(ws, { command: 'pin', waitMs: 1200, progress: () => undefined }, async () => 'ran').catch((e: unknown) => e);
    });
    expect(refused).toBeInstanceOf(RunLockedError);
    expect((refused as Error).message).toMatch(new RegExp(`^this checkout is in use by pid ${process.pid} \\(nightly --push, since .*\\); waited [12]s\\. Only one pin, handle-event, build or release command runs per checkout`));
    // Released after the holder ended: the next run gets it at once, and no owner record is left.
    expect(await withRunLock(ws, { command: 'pin', waitMs: 0, progress: () => undefined }, async () => 'ran')).toBe('ran');
    await expect(readFile(runLockPaths(ws).owner)).rejects.toThrow(/ENOENT/);
  });

  it('releases the lock when the run throws', async () => {
    await expect(withRunLock(ws, { command: 'build', waitMs: 0, progress: () => undefined }, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withRunLock(ws, { command: 'build', waitMs: 0, progress: () => undefined }, async () => 'again')).toBe('again');
  });

  it("takes over a dead process's lock once it has gone stale", async () => {
    // What a SIGKILLed holder leaves: the lock directory, last refreshed long ago, and its owner record.
    const { target, owner } = runLockPaths(ws);
    await mkdir(`${target}.lock`, { recursive: true });
    const old = new Date(Date.now() - 60_000);
    await utimes(`${target}.lock`, old, old);
    await writeFile(owner, JSON.stringify({ pid: 999_999, host: 'x', command: 'nightly', since: old.toISOString() }));
    expect(await withRunLock(ws, { command: 'nightly', waitMs: 0, progress: () => undefined }, async () => 'took over')).toBe('took over');
  });

  it('does not take over a fresh lock', async () => {
    const { target } = runLockPaths(ws);
    await mkdir(`${target}.lock`, { recursive: true });
    await expect(withRunLock(ws, { command: 'nightly', waitMs: 0, progress: () => undefined }, async () => 'ran')).rejects.toThrow(
      /in use by another run \(owner not recorded yet\)/,
    );
  });
});
