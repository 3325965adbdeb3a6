import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { RepoError } from './errors';

/**
 * One run per checkout: commands that move pins, build or publish share the checkout's pins, its
 * dist/ and Nx's cache, so two of them at once lose pin moves or store mismatched outputs. The lock
 * is proper-lockfile's (an atomic mkdir kept fresh while held, so a killed holder's lock goes stale
 * and is taken over); beside it an owner file says who holds it, for the waiting run's messages.
 */
export const RUN_LOCK_DIR = '.bllvm';
const LOCK_NAME = 'run';
/** A holder refreshes its lock every UPDATE_MS; one untouched for STALE_MS belongs to a dead process. */
const STALE_MS = 20_000;
const UPDATE_MS = 5_000;
const POLL_MS = 500;

export interface RunLockOwner {
  pid: number;
  host: string;
  command: string;
  since: string;
}

export interface RunLockOptions {
  /** What this run is, as the waiting run's message shows it (e.g. "handle-event --push"). */
  command: string;
  /** How long a second run waits before refusing. */
  waitMs: number;
  /** How often the waiting run says it is still waiting. */
  progressMs?: number;
  /** Where those progress lines go. */
  progress: (line: string) => void;
  /** For tests: the time source. */
  now?: () => number;
}

/** A second run gave up waiting: exit 1 with who holds the checkout and what to do. */
export class RunLockedError extends RepoError {
  override name = 'RunLockedError';
}

function describeOwner(o: RunLockOwner | undefined): string {
  return o ? `pid ${o.pid}${o.host === hostname() ? '' : ` on ${o.host}`} (${o.command}, since ${o.since})` : 'another run (owner not recorded yet)';
}

async function readOwner(file: string): Promise<RunLockOwner | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as RunLockOwner;
  } catch {
    return undefined;
  }
}

/** The lock's paths in a checkout: the locked file (never created) and the owner record beside it. */
export function runLockPaths(workspaceRoot: string): { target: string; owner: string } {
  const dir = join(workspaceRoot, RUN_LOCK_DIR);
  return { target: join(dir, LOCK_NAME), owner: join(dir, `${LOCK_NAME}.owner.json`) };
}

/**
 * Run `fn` holding the checkout's run lock. Waits up to `waitMs` for a live holder (a progress line
 * every `progressMs` naming it), then throws RunLockedError; a dead holder's lock is taken over.
 */
export async function withRunLock<T>(workspaceRoot: string, o: RunLockOptions, fn: () => Promise<T>): Promise<T> {
  const { target, owner } = runLockPaths(workspaceRoot);
  await mkdir(join(workspaceRoot, RUN_LOCK_DIR), { recursive: true });
  const now = o.now ?? Date.now;
  const start = now();
  const progressMs = o.progressMs ?? 30_000;
  let nextProgress = start + progressMs;
  let release: (() => Promise<void>) | undefined;
  for (;;) {
    try {
      release = await lockfile.lock(target, { realpath: false, stale: STALE_MS, update: UPDATE_MS, retries: 0 });
      break;
    } catch (e) {
      if ((e as { code?: string }).code !== 'ELOCKED') throw e;
    }
    const t = now();
    if (t - start >= o.waitMs) {
      throw new RunLockedError(
        `this checkout is in use by ${describeOwner(await readOwner(owner))}; waited ${Math.round((t - start) / 1000)}s. ` +
          'Only one pin, handle-event, build or release command runs per checkout at a time: let it finish, then run this again ' +
          `(a lock left by a killed run is taken over after ${STALE_MS / 1000}s).`,
      );
    }
    if (t >= nextProgress) {
      o.progress(`waiting for the checkout lock, held by ${describeOwner(await readOwner(owner))} (${Math.round((t - start) / 1000)}s so far)`);
      nextProgress += progressMs;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const me: RunLockOwner = { pid: process.pid, host: hostname(), command: o.command, since: new Date().toISOString() };
  await writeFile(owner, JSON.stringify(me) + '\n');
  try {
    return await fn();
  } finally {
    // Remove the owner record only if it is still ours (a takeover after a long stall rewrites it).
    const current = await readOwner(owner);
    if (current?.pid === me.pid && current.since === me.since) await rm(owner, { force: true });
    await release().catch(() => undefined);
  }
}
