import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileByRename, writeOutputDir } from './atomic-output';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'atomic-output-'));
});
afterEach(async () => rm(root, { recursive: true, force: true }));

describe('writeOutputDir', () => {
  it('shows nothing at outDir until the whole output is in place, then replaces it in one rename', async () => {
    const out = join(root, 'dist', 'bllvm', 'build');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'stale'), 'old run');
    const r = await writeOutputDir(out, async (dir) => {
      await writeFile(join(dir, 'bllvm'), 'binary');
      // Half-way: the reader of outDir still sees the previous output only.
      expect(await readdir(out)).toEqual(['stale']);
      await writeFile(join(dir, 'build.json'), '{}');
      return { success: true };
    });
    expect(r).toEqual({ success: true });
    expect((await readdir(out)).sort()).toEqual(['bllvm', 'build.json']);
    expect(await readFile(join(out, 'bllvm'), 'utf8')).toBe('binary');
    expect(await readdir(join(root, 'dist', 'bllvm'))).toEqual(['build']);
  });

  it('leaves outDir alone and no temporary folder when the fill fails or throws', async () => {
    const out = join(root, 'dist', 'c', 'test');
    expect(await writeOutputDir(out, async (dir) => (await writeFile(join(dir, 'x'), 'partial'), { success: false }))).toEqual({ success: false });
    await expect(writeOutputDir(out, async () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
    expect(await readdir(join(root, 'dist', 'c'))).toEqual([]);
  });
});

describe('writeFileByRename', () => {
  it('makes the folder, writes the whole text, and leaves no temporary file; writers of the same file at once both land whole', async () => {
    const file = join(root, 'work', 'commit-dates', 'a'.repeat(40));
    await Promise.all([writeFileByRename(file, '1700000000\n'), writeFileByRename(file, '1700000000\n')]);
    expect(await readFile(file, 'utf8')).toBe('1700000000\n');
    expect(await readdir(join(root, 'work', 'commit-dates'))).toEqual(['a'.repeat(40)]);
  });
});
