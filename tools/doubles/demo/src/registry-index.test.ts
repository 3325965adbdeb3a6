import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RegistryState, loadSeedCrates } from '@bllvm/cargo-registry';
import { manifestCrates, registryLine, writeRegistryIndex } from './registry-index';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('the registry kept with the sandbox', () => {
  it('is its index in cargo\'s layout, one JSON line per version as served, and every .crate whose sha256 is its cksum', async () => {
    const state = new RegistryState();
    for (const seed of await loadSeedCrates()) state.publish(seed.metadata, seed.crate);
    const dir = await mkdtemp(join(tmpdir(), 'bllvm-demo-index-'));
    dirs.push(dir);
    const index = await writeRegistryIndex(state, dir, 'http://127.0.0.1:1/api/v1/crates');
    expect(JSON.parse(await readFile(join(index, 'config.json'), 'utf8'))).toEqual({ dl: 'http://127.0.0.1:1/api/v1/crates' });
    expect(await readFile(join(index, 'le/af/leaf'), 'utf8')).toBe(state.indexFile('leaf'));
    expect(await readFile(join(index, '3/m/mid'), 'utf8')).toBe(state.indexFile('mid'));
    const lines = (await readFile(join(index, 'le/af/leaf'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { vers: string; cksum: string });
    expect(lines.map((l) => l.vers)).toEqual(['0.1.0', '0.1.3', '0.1.4', '0.2.0']);
    expect((await readdir(join(dir, 'crates', 'leaf'))).sort()).toEqual(lines.map((l) => `leaf-${l.vers}.crate`));
    for (const l of lines) expect(createHash('sha256').update(await readFile(join(dir, 'crates', 'leaf', `leaf-${l.vers}.crate`))).digest('hex')).toBe(l.cksum);
  });

  it('prints one line per crate: name, version, the index\'s checksum and where its index file is', () => {
    expect(registryLine({ name: 'blvm-node', version: '0.2.0' }, 'ab'.repeat(32), '/s/registry/index/')).toBe(`crate blvm-node 0.2.0  cksum ${'ab'.repeat(32)}  (/s/registry/index/bl/vm/blvm-node)`);
    expect(registryLine({ name: 'blvm-node', version: '0.2.0' }, undefined, 'i/')).toBe('crate blvm-node 0.2.0  cksum NOT IN THE INDEX  (i/bl/vm/blvm-node)');
  });

  it('takes the release\'s crates from its manifest, in its order', () => {
    const crate = (name: string) => ({ name, version: '0.2.0', file: `${name}-0.2.0.crate`, size: 1, sha256: 'c'.repeat(64), commit: 'a'.repeat(40) });
    const text = JSON.stringify({ components: [{ component: 'a', crate: crate('blvm-a') }, { component: 'app' }, { component: 'b', crate: crate('blvm-b') }] });
    expect(manifestCrates(text)).toEqual([
      { name: 'blvm-a', version: '0.2.0', file: 'blvm-a-0.2.0.crate', sha256: 'c'.repeat(64) },
      { name: 'blvm-b', version: '0.2.0', file: 'blvm-b-0.2.0.crate', sha256: 'c'.repeat(64) },
    ]);
    expect(manifestCrates(JSON.stringify({ components: [{ component: 'app' }] }))).toEqual([]);
  });
});
