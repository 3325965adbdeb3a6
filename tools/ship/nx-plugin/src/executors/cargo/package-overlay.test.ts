import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crateOf } from './crate-fixture';
import { type OverlayCrate, cachedRegistryCrates, chooseOverlayCrates, dependsOnOf, indexEntry, manifestDependencies, overlayConfigArgs, writeOverlay } from './package-overlay';
import { indexPath } from '@bllvm/crates';

// A normalized manifest as cargo packages one: path dependencies gone, tables spelled out.
const NODE = parse(`[package]
name = "bllvm-node"
version = "0.1.0"
links = "node"

[dependencies.bllvm-consensus]
version = "0.1"
optional = true

[dependencies.proto]
version = ">=0.1, <1"
package = "bllvm-protocol"
default-features = false
features = ["production"]

[dev-dependencies.leaf]
version = "0.1"

[target."cfg(unix)".build-dependencies.mid]
version = "0.3"

[features]
default = ["consensus"]
consensus = ["dep:bllvm-consensus"]
production = ["proto/production"]
`) as Record<string, unknown>;

describe('the registry index of the overlay', () => {
  it('lays crates out as crates.io does', () => {
    expect(['a', 'ab', 'abc', 'leaf', 'Bllvm-Node'].map(indexPath)).toEqual(['1/a', '2/ab', '3/a/abc', 'le/af/leaf', 'bl/lv/bllvm-node']);
  });

  it('lists every dependency with its kind, target, rename and options', () => {
    expect(manifestDependencies(NODE)).toEqual([
      { name: 'bllvm-consensus', req: '0.1', features: [], optional: true, default_features: true, target: null, kind: 'normal' },
      { name: 'proto', req: '>=0.1, <1', features: ['production'], optional: false, default_features: false, target: null, kind: 'normal', package: 'bllvm-protocol' },
      { name: 'leaf', req: '0.1', features: [], optional: false, default_features: true, target: null, kind: 'dev' },
      { name: 'mid', req: '0.3', features: [], optional: false, default_features: true, target: 'cfg(unix)', kind: 'build' },
    ]);
    expect(dependsOnOf(NODE)).toEqual(['bllvm-consensus', 'bllvm-protocol', 'leaf', 'mid']);
  });

  it('gives the entry its checksum, links, and `dep:` features in features2 (index v2)', () => {
    const e = indexEntry({ name: 'bllvm-node', version: '0.1.0', sha256: 'ab'.repeat(32), manifest: NODE });
    expect(e).toMatchObject({ name: 'bllvm-node', vers: '0.1.0', cksum: 'ab'.repeat(32), links: 'node', yanked: false, v: 2 });
    expect(e.features).toEqual({ default: ['consensus'], production: ['proto/production'] });
    expect(e.features2).toEqual({ consensus: ['dep:bllvm-consensus'] });
    expect(indexEntry({ name: 'leaf', version: '0.1.3', sha256: 'cd'.repeat(32), manifest: { package: {} } })).toEqual({ name: 'leaf', vers: '0.1.3', deps: [], cksum: 'cd'.repeat(32), features: {}, yanked: false, links: null });
  });

  it('replaces crates.io by the overlay for the task', () => {
    expect(overlayConfigArgs()).toEqual(['--config', 'source.crates-io.replace-with="release-crates"', '--config', 'source.release-crates.local-registry="/release-crates"']);
  });
});

const crate = (name: string, version: string, sha256: string, from: string): OverlayCrate => ({ file: `/x/${name}-${version}.crate`, archive: { name, version, sha256, size: 1, manifest: {} }, from });

describe('chooseOverlayCrates', () => {
  it("prefers the release's crate over a cached one of the same version, and keeps every other", () => {
    const chosen = chooseOverlayCrates([crate('bllvm-consensus', '0.1.1', 'aa', 'bllvm-consensus')], [crate('bllvm-consensus', '0.1.1', 'bb', 'cache'), crate('leaf', '0.1.3', 'cc', 'cache'), crate('bllvm-consensus', '0.1.0', 'dd', 'cache')]);
    expect(chosen.map((c) => `${c.archive.name}@${c.archive.version}:${c.archive.sha256}`)).toEqual(['bllvm-consensus@0.1.0:dd', 'bllvm-consensus@0.1.1:aa', 'leaf@0.1.3:cc']);
  });

  it('refuses two different files of one version from the cache, naming both', () => {
    expect(() => chooseOverlayCrates([], [crate('leaf', '0.1.3', 'aa', 'registry A'), crate('leaf', '0.1.3', 'bb', 'registry B')])).toThrow('two different leaf 0.1.3 crates: registry A and registry B');
  });
});

describe('writeOverlay and cachedRegistryCrates', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bllvm-overlay-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("reads the cache's crates as data and writes a local registry cargo can read", async () => {
    const cache = join(dir, 'home', 'registry', 'cache', 'index.example-1234');
    await mkdir(cache, { recursive: true });
    await writeFile(join(cache, 'leaf-0.1.3.crate'), crateOf('leaf', '0.1.3', '[package]\nname = "leaf"\nversion = "0.1.3"\n'));
    await writeFile(join(cache, 'leaf-0.2.0.crate'), crateOf('leaf', '0.2.0', '[package]\nname = "leaf"\nversion = "0.2.0"\n'));
    await writeFile(join(cache, 'notes.txt'), 'not a crate');
    const cached = await cachedRegistryCrates(join(dir, 'home'));
    expect(cached.map((c) => c.archive.version).sort()).toEqual(['0.1.3', '0.2.0']);
    expect(await cachedRegistryCrates(join(dir, 'none'))).toEqual([]);
    // Only what the lock names, when it names them: a cache keeps every version any pin ever needed.
    expect((await cachedRegistryCrates(join(dir, 'home'), new Set(['leaf-0.1.3.crate']))).map((c) => c.archive.version)).toEqual(['0.1.3']);
    await writeOverlay(join(dir, 'overlay'), chooseOverlayCrates([], cached));
    expect((await readdir(join(dir, 'overlay'))).sort()).toEqual(['index', 'leaf-0.1.3.crate', 'leaf-0.2.0.crate']);
    const lines = (await readFile(join(dir, 'overlay', 'index', 'le', 'af', 'leaf'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { vers: string; cksum: string });
    expect(lines.map((l) => l.vers)).toEqual(['0.1.3', '0.2.0']);
    expect(lines[0]!.cksum).toBe(cached.find((c) => c.archive.version === '0.1.3')!.archive.sha256);
  });
});
