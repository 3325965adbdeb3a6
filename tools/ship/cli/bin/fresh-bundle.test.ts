import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALSO_INPUTS, staleReason } from './fresh-bundle.cjs';

// staleReason decides, from esbuild's metafile, whether the CLI's bundle is older than what went
// into it. Times are set explicitly: a decision by mtime must not depend on how fast the disk is.
describe('staleReason', () => {
  let root: string;
  const at = (s: number) => new Date(1_700_000_000_000 + s * 1000);
  const touch = (file: string, s: number) => utimes(join(root, file), at(s), at(s));

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'bllvm-fresh-'));
    for (const f of ['main.ts', 'part.ts', ...ALSO_INPUTS]) await writeFile(join(root, f), f);
    await writeFile(join(root, 'out.cjs'), 'module.exports = {};');
    await writeFile(join(root, 'out.meta.json'), JSON.stringify({ inputs: { 'main.ts': {}, 'part.ts': {} }, outputs: {} }));
    for (const f of ['main.ts', 'part.ts', ...ALSO_INPUTS]) await touch(f, 0);
    await touch('out.cjs', 10);
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  const reason = () => staleReason(join(root, 'out.cjs'), join(root, 'out.meta.json'), root);

  it('is current when every input is older than the bundle', () => {
    expect(reason()).toBeUndefined();
  });

  it('is stale when an input the bundle was built from changed since', async () => {
    await touch('part.ts', 11);
    expect(reason()).toBe('part.ts changed');
  });

  it('is stale when tsconfig.base.json or the lockfile changed (they decide how imports resolve)', async () => {
    await touch('tsconfig.base.json', 11);
    expect(reason()).toBe('tsconfig.base.json changed');
    await touch('tsconfig.base.json', 0);
    await touch('package-lock.json', 11);
    expect(reason()).toBe('package-lock.json changed');
  });

  it('is stale when an input is gone, the bundle is missing, or the metafile is unreadable', async () => {
    await rm(join(root, 'part.ts'));
    expect(reason()).toBe('part.ts is gone');
    await writeFile(join(root, 'part.ts'), '');
    await touch('part.ts', 0);
    await writeFile(join(root, 'out.meta.json'), '{ not json');
    expect(reason()).toBe('no readable record of its inputs');
    await rm(join(root, 'out.cjs'));
    expect(reason()).toBe('not built yet');
  });
});
