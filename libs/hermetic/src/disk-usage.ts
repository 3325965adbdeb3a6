import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Bytes a folder tree holds on disk (allocated blocks, each inode once, no symlink followed),
 * stopping early once past `stopAbove`: what the disk limit watches, so a sparse file cannot hide
 * and a huge tree costs no more than needed to tell it is too big.
 */
export async function treeBytes(dir: string, stopAbove = Number.POSITIVE_INFINITY): Promise<number> {
  const seen = new Set<string>();
  let total = 0;
  const pending = [dir];
  while (pending.length && total <= stopAbove) {
    const d = pending.pop()!;
    const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const path = join(d, e.name);
      const st = await lstat(path, { bigint: true }).catch(() => undefined);
      if (!st) continue;
      const id = `${st.dev}:${st.ino}`;
      if (seen.has(id)) continue;
      seen.add(id);
      total += Number(st.blocks) * 512;
      if (st.isDirectory()) pending.push(path);
    }
  }
  return total;
}

/**
 * Call `over` once when the trees under `dirs` hold more than `limitBytes`, checking every few
 * seconds (less often when a check is slow, so watching never costs more than a tenth of a core).
 * Returns the function that stops watching.
 */
export function watchDisk(dirs: readonly string[], limitBytes: number, over: () => void): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    const started = Date.now();
    let total = 0;
    for (const d of dirs) total += await treeBytes(d, limitBytes - total);
    if (stopped) return;
    if (total > limitBytes) {
      stopped = true;
      over();
      return;
    }
    timer = setTimeout(() => void check(), Math.max(1000, 10 * (Date.now() - started)));
  };
  timer = setTimeout(() => void check(), 500);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
