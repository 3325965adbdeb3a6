import { mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearDeclaredOutputs, collectArtifacts } from './artifacts';

describe('collectArtifacts', () => {
  let dir: string;
  let target: string;
  let out: string;
  let hostFile: string;
  const bin = [{ name: 'node', path: 'release/node', kind: 'binary' as const }];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bllvm-artifacts-'));
    target = join(dir, 'target');
    out = join(dir, 'out');
    hostFile = join(dir, 'host-secret');
    await mkdir(join(target, 'release'), { recursive: true });
    await mkdir(out);
    await writeFile(hostFile, 'HOST-ONLY-SECRET');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('copies a declared output that is a plain file, with its digest beside it', async () => {
    await writeFile(join(target, 'release', 'node'), 'ELF', { mode: 0o4755 });
    const records = await collectArtifacts(out, target, bin);
    expect(records).toEqual([{ name: 'node', kind: 'binary', size: 3, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(await readFile(join(out, 'node'), 'utf8')).toBe('ELF');
    expect((await stat(join(out, 'node'))).mode & 0o7777).toBe(0o755);
    expect((await readdir(out)).sort()).toEqual(['node', 'node.sha256']);
  });

  it('refuses an output swapped for a symlink to a host file, and copies nothing of it', async () => {
    await symlink(hostFile, join(target, 'release', 'node'));
    await expect(collectArtifacts(out, target, bin)).rejects.toThrow('is a symlink');
    expect(await readdir(out)).toEqual([]);
  });

  it('refuses a folder on the way swapped for a symlink', async () => {
    await rm(join(target, 'release'), { recursive: true });
    await mkdir(join(dir, 'elsewhere'));
    await writeFile(join(dir, 'elsewhere', 'node'), 'HOST');
    await symlink(join(dir, 'elsewhere'), join(target, 'release'));
    await expect(collectArtifacts(out, target, bin)).rejects.toThrow('is a symlink');
  });

  it('refuses a declared output that is a folder, and skips one that is absent', async () => {
    await mkdir(join(target, 'release', 'node'));
    await expect(collectArtifacts(out, target, bin)).rejects.toThrow('not a regular file');
    await rm(join(target, 'release', 'node'), { recursive: true });
    expect(await collectArtifacts(out, target, bin)).toEqual([]);
  });

  it('clears what an earlier build left at the declared paths before the next one', async () => {
    await writeFile(join(target, 'release', 'node'), 'stale');
    await clearDeclaredOutputs(target, bin);
    expect(await collectArtifacts(out, target, bin)).toEqual([]);
  });
});
