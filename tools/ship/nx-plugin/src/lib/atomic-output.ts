import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Fill a temporary sibling of `outDir`, then rename it into place: Nx caches and restores outDir,
 * so it must never be seen half-written or holding files of two different runs. `fill` returns
 * whether the result should be kept; on false or a throw the temporary folder is removed and
 * outDir stays absent (the caller cleared it before the tool ran).
 */
export async function writeOutputDir<T extends { success: boolean }>(outDir: string, fill: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(dirname(outDir), { recursive: true });
  const work = await mkdtemp(join(dirname(outDir), `.${basename(outDir)}.partial-`));
  try {
    const result = await fill(work);
    if (!result.success) return result;
    await rm(outDir, { recursive: true, force: true });
    await rename(work, outDir);
    return result;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Files written into `work` (a temporary folder beside them) moved into `dir` under the same names,
 * each by one rename: a reader sees the old file or the new one, never a partial one.
 */
export async function moveInto(work: string, dir: string, names: readonly string[]): Promise<void> {
  for (const name of names) await rename(join(work, name), join(dir, name));
}

/**
 * `text` as `file` (its folder made if missing), written under a unique temporary name beside it
 * and renamed into place: a reader, in this process or a task running beside it, sees the whole
 * file or none, and writers of the same file never share a temporary one.
 */
export async function writeFileByRename(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}
