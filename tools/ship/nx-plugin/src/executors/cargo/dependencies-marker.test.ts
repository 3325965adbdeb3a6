import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DependencyInputs, dependencyKey, passStillHolds, recordPass, sha256 } from './dependencies-marker';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const inputs: DependencyInputs = {
  commits: { '/w/.bllvm/sources/bllvm-node': A, '/w/.bllvm/sources/bllvm-protocol': B },
  crateDir: '.',
  config: ['--config', 'patch.crates-io.p.path="/src/bllvm-protocol"'],
  locked: 'auto',
  registryHome: '/w/.bllvm/cargo-home/bllvm-node',
};

describe('dependencyKey', () => {
  it('is the same for the same checkouts in any order', () => {
    const swapped = { ...inputs, commits: Object.fromEntries(Object.entries(inputs.commits).reverse()) };
    expect(dependencyKey(swapped)).toBe(dependencyKey(inputs));
  });

  it('changes with any commit, checkout, flag, lock mode, cache or given lock', () => {
    const key = dependencyKey(inputs);
    const variants: DependencyInputs[] = [
      { ...inputs, commits: { ...inputs.commits, '/w/.bllvm/sources/bllvm-protocol': A } },
      { ...inputs, commits: { ...inputs.commits, '/w/.bllvm/sources/bllvm-consensus': A } },
      { ...inputs, crateDir: 'node' },
      { ...inputs, config: [] },
      { ...inputs, locked: true },
      { ...inputs, registryHome: '/w/.bllvm/cargo-home/other' },
      { ...inputs, givenLock: sha256('lock') },
    ];
    for (const v of variants) expect(dependencyKey(v), JSON.stringify(v)).not.toBe(key);
  });
});

describe('the marker of a pass', () => {
  let dir: string;
  const lockText = 'version = 4\n\n[[package]]\nname = "serde"\nversion = "1.0.0"\nsource = "sparse+http://127.0.0.1:1/index/"\nchecksum = "00"\n';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bllvm-deps-marker-'));
    await mkdir(join(dir, 'checkout', '.git'), { recursive: true });
    await mkdir(join(dir, 'home', 'registry', 'cache', 'local'), { recursive: true });
    await writeFile(join(dir, 'checkout', 'Cargo.lock'), lockText);
    await writeFile(join(dir, 'home', 'registry', 'cache', 'local', 'serde-1.0.0.crate'), 'x');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const held = () => passStillHolds(join(dir, 'work'), 'k', join(dir, 'checkout'), join(dir, 'home'));

  it('holds while the lock is unchanged and the cache has every package', async () => {
    expect(await held()).toBeUndefined();
    await recordPass(join(dir, 'work'), 'k', { lock: 'Cargo.lock', lockSha256: sha256(lockText), lockGenerated: true });
    expect(await held()).toEqual({ lock: 'Cargo.lock', lockSha256: sha256(lockText), lockGenerated: true });
  });

  it('no longer holds when the lock changed or went, or the cache lost a package', async () => {
    await recordPass(join(dir, 'work'), 'k', { lock: 'Cargo.lock', lockSha256: sha256(lockText), lockGenerated: false });
    await writeFile(join(dir, 'checkout', 'Cargo.lock'), lockText.replace('1.0.0', '1.0.1'));
    expect(await held()).toBeUndefined();
    await rm(join(dir, 'checkout', 'Cargo.lock'));
    expect(await held()).toBeUndefined();
    await writeFile(join(dir, 'checkout', 'Cargo.lock'), lockText);
    expect(await held()).toBeDefined();
    await rm(join(dir, 'home', 'registry', 'cache', 'local', 'serde-1.0.0.crate'));
    expect(await held()).toBeUndefined();
  });

  it('ignores a marker it cannot read as a pass', async () => {
    await mkdir(join(dir, 'work', 'dependencies'), { recursive: true });
    await writeFile(join(dir, 'work', 'dependencies', 'k'), '{"lock": 1}\n');
    expect(await held()).toBeUndefined();
  });
});
