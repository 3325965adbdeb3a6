import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * Run `fn` holding a cross-process lock. Nx runs tasks in parallel processes that share mirrors
 * and checkouts; proper-lockfile handles stale locks left by a killed process.
 */
export async function withLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(dirname(path), { recursive: true });
  const release = await lockfile.lock(path, {
    realpath: false,
    stale: 30_000,
    update: 5_000,
    retries: { retries: 1200, factor: 1.2, minTimeout: 50, maxTimeout: 500 },
  });
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
