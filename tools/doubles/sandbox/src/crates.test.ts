// Pure generation: manifests carry the real graph, faults and sizes produce what they promise.
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import {
  DIRECT_CONSENSUS_FEATURE,
  NODE_FEATURES,
  SANDBOX_BINARIES,
  SANDBOX_COMPONENTS,
  type SandboxComponent,
} from './components';
import { FAULT_FILE, REVISION_FILE, crateFiles, faultSource, parseRevision, revisionSource } from './crates';
import { LOCKED_SEEDS, cargoLock } from './registry-crates';
import { rustFile, rustTree } from './rust-files';

type Table = Record<string, unknown>;
const manifest = (c: SandboxComponent): Table => parse(crateFiles(c, { size: 0 })['Cargo.toml']!) as Table;
const table = (t: Table, ...keys: string[]): Table =>
  keys.reduce<Table>((acc, k) => (acc[k] ?? {}) as Table, t);

describe('crate manifests', () => {
  it('name each crate as the real repository, version 0.1.0, edition 2021', () => {
    for (const c of SANDBOX_COMPONENTS) {
      expect(table(manifest(c), 'package')).toMatchObject({ name: c, version: '0.1.0', edition: '2021' });
    }
  });

  it('declare the real sibling graph, in every table style a checker must read, each path edge with the version cargo package needs', () => {
    expect(table(manifest('bllvm-consensus'), 'dependencies')).toEqual({ leaf: '>=0.1, <1' });
    expect(table(manifest('bllvm-protocol'), 'dependencies')).toEqual({ 'bllvm-consensus': { path: '../bllvm-consensus', version: '0.1' }, mid: '0.3' });
    const node = manifest('bllvm-node');
    expect(table(node, 'dependencies')).toEqual({
      'bllvm-protocol': { path: '../bllvm-protocol', version: '0.1' },
      'bllvm-consensus': { path: '../bllvm-consensus', version: '0.1', optional: true },
    });
    expect(table(node, 'features')['default']).toEqual(['consensus']);
    expect(table(node, 'features')['consensus']).toEqual(['dep:bllvm-consensus']);
    expect(table(manifest('bllvm'), 'dependencies')['bllvm-node']).toMatchObject({ path: '../bllvm-node', version: '0.1' });
    const sdk = manifest('bllvm-sdk');
    expect(table(sdk, 'dependencies')).toEqual({ 'bllvm-node': '>=0.1, <1' });
    expect(sdk['patch']).toBeUndefined();
    const gov = manifest('governance-app');
    expect(table(gov, 'dependencies')).toEqual({ 'bllvm-sdk': { path: '../bllvm-sdk', version: '0.1' }, fancy: { version: '1', features: ['color'] } });
    expect(table(gov, 'target', 'cfg(unix)', 'dependencies')).toEqual({ 'bllvm-protocol': { path: '../bllvm-protocol', version: '0.1' } });
    expect(table(gov, 'dev-dependencies')).toEqual({ 'bllvm-protocol': { path: '../bllvm-protocol', version: '0.1' } });
  });

  it('carry the base and experimental feature names on node and bllvm, verify on consensus', () => {
    for (const c of ['bllvm-node', 'bllvm'] as const) {
      expect(Object.keys(table(manifest(c), 'features'))).toEqual(expect.arrayContaining([...NODE_FEATURES, 'default']));
    }
    // The feature lists are written out in rust/; they must stay the facts components.ts states.
    const nodeFeatures = ['default', DIRECT_CONSENSUS_FEATURE, ...NODE_FEATURES];
    expect(Object.keys(table(manifest('bllvm-node'), 'features'))).toEqual(nodeFeatures);
    expect(Object.keys(table(manifest('bllvm'), 'features'))).toEqual(nodeFeatures);
    for (const f of NODE_FEATURES) {
      expect(table(manifest('bllvm'), 'features')[f]).toEqual([`bllvm-node/${f}`]);
      expect(table(manifest('bllvm-node'), 'features')[f]).toEqual(f === 'production' ? ['bllvm-protocol/production'] : []);
    }
    // bllvm-node's enabled_features() reports each of them, in the manifest's order.
    const reported = [...rustFile('bllvm-node/src/lib.rs').matchAll(/if cfg!\(feature = "([^"]+)"\)/g)].map((m) => m[1]);
    expect(reported).toEqual(nodeFeatures.slice(1));
    expect(table(manifest('bllvm-consensus'), 'features')).toEqual({ verify: [], production: [] });
    expect(table(manifest('bllvm-protocol'), 'features')).toEqual({ production: ['bllvm-consensus/production'] });
  });

  it('list the real binaries as [[bin]] targets', () => {
    for (const c of SANDBOX_COMPONENTS) {
      const bins = (manifest(c)['bin'] ?? []) as { name: string; path: string }[];
      expect(bins.map((b) => b.name)).toEqual(SANDBOX_BINARIES[c]);
      for (const b of bins) expect(crateFiles(c, { size: 0 })[b.path]).toBeDefined();
    }
  });

  it('take only seed crates of the registry, and nothing but siblings by path', () => {
    for (const c of SANDBOX_COMPONENTS) {
      const m = manifest(c);
      const tables = [table(m, 'dependencies'), table(m, 'dev-dependencies'), table(m, 'target', 'cfg(unix)', 'dependencies')];
      for (const [name, dep] of tables.flatMap((t) => Object.entries(t))) {
        const path = (dep as { path?: string }).path;
        if ((SANDBOX_COMPONENTS as readonly string[]).includes(name)) continue;
        expect(path, `${c} -> ${name}`).toBeUndefined();
        expect(Object.keys(LOCKED_SEEDS), `${c} -> ${name}`).toContain(name);
      }
    }
  });

  it('ignore /target; only consensus commits a Cargo.lock, pinning leaf 0.1.3', () => {
    expect(crateFiles('bllvm-consensus', { size: 0 })['Cargo.lock']).toBe(
      cargoLock({ name: 'bllvm-consensus', version: '0.1.0' }, [{ name: 'leaf', version: '>=0.1, <1' }]),
    );
    for (const c of SANDBOX_COMPONENTS) {
      const files = crateFiles(c, { size: 0 });
      expect(files['.gitignore']).toBe('/target\n');
      if (c !== 'bllvm-consensus') expect(files['Cargo.lock'], c).toBeUndefined();
      expect(files[FAULT_FILE]).toBe(faultSource(c, null));
      expect(parseRevision(files[REVISION_FILE]!)).toBe(0);
    }
  });
});

describe('rust/ folder', () => {
  it('holds each crate\'s manifest and sources, committed verbatim', () => {
    for (const c of SANDBOX_COMPONENTS) {
      const tree = rustTree(c);
      expect(Object.keys(tree)).toContain('Cargo.toml');
      expect(Object.keys(tree).some((p) => p.startsWith('src/') && p.endsWith('.rs'))).toBe(true);
      const files = crateFiles(c, { size: 2 });
      for (const [path, text] of Object.entries(tree)) expect(files[path], `${c}/${path}`).toBe(text);
    }
  });

  it('holds the healthy fault and revision 0 shared by every crate', () => {
    for (const c of SANDBOX_COMPONENTS) {
      expect(crateFiles(c, { size: 0 })[FAULT_FILE]).toBe(rustFile('shared/fault.rs'));
      expect(crateFiles(c, { size: 0 })[REVISION_FILE]).toBe(rustFile('shared/revision.rs'));
    }
    // A later revision changes the number and nothing else.
    expect(revisionSource(7)).toBe(rustFile('shared/revision.rs').replace('REVISION: u32 = 0;', 'REVISION: u32 = 7;'));
  });
});

describe('size knob', () => {
  it('adds one generated module per unit of size, deterministically', () => {
    const paths = (size: number) => Object.keys(crateFiles('bllvm-node', { size })).filter((p) => p.startsWith('src/generated/'));
    expect(paths(0)).toEqual(['src/generated/mod.rs']);
    expect(paths(3).sort()).toEqual(['src/generated/m000.rs', 'src/generated/m001.rs', 'src/generated/m002.rs', 'src/generated/mod.rs']);
    expect(crateFiles('bllvm-node', { size: 3 })).toEqual(crateFiles('bllvm-node', { size: 3 }));
    // Different crates get different code, so no two generated modules are byte-identical.
    expect(crateFiles('bllvm', { size: 1 })['src/generated/m000.rs']).not.toBe(
      crateFiles('bllvm-sdk', { size: 1 })['src/generated/m000.rs'],
    );
  });
});

describe('faults', () => {
  it('exist for build and test everywhere, verify only in consensus', () => {
    for (const c of SANDBOX_COMPONENTS) {
      expect(faultSource(c, 'build')).toContain('injected build fault');
      expect(faultSource(c, 'test')).toContain('#[test]');
    }
    expect(faultSource('bllvm-consensus', 'verify')).toContain('feature = "verify"');
    // Only consensus keeps its injected test out of the verify command.
    expect(faultSource('bllvm-consensus', 'test')).toContain('not(all(test, feature = "verify", not(debug_assertions)))');
    expect(faultSource('bllvm-node', 'test')).toContain('#[cfg(test)]');
    expect(() => faultSource('bllvm-node', 'verify')).toThrow(/only bllvm-consensus/);
  });

  it('revision sources round-trip', () => {
    expect(parseRevision(revisionSource(41))).toBe(41);
    expect(parseRevision('fn main() {}')).toBeUndefined();
  });
});
