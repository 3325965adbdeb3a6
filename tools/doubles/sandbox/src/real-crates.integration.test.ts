// Pure generation of the 'real' profile: manifests at each history mark carry the graph of
// REAL-STACK §2 in the styles of §3, and the facts callers configure a workspace from agree with them.
import { execa } from 'execa';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { isSandboxComponent } from './components';
import { profileFacts } from './facts';
import { exampleManifest, patchClosure, realRepositoryFiles } from './real-crates';
import { REAL_REPOSITORIES, marksOf, realSpec, type RealMark } from './real-profile';
import { cargoLock } from './registry-crates';
import { rustFile } from './rust-files';

type Table = Record<string, unknown>;
const spec = (r: string) => realSpec(r)!;
const files = (r: string, mark: RealMark) => realRepositoryFiles(spec(r), mark);
const manifestAt = (r: string, mark: RealMark, path = 'Cargo.toml'): Table => {
  const text = files(r, mark)[path];
  if (text === undefined) throw new Error(`no ${path} in ${r} at ${mark}`);
  return parse(text) as Table;
};
const table = (t: Table, ...keys: string[]): Table => keys.reduce<Table>((acc, k) => (acc[k] ?? {}) as Table, t);

const RENAMED = ['blvm-consensus', 'blvm-protocol', 'blvm-node', 'blvm', 'blvm-sdk'];

describe('before the rename', () => {
  it('crates are bllvm-*, with the seed-era edges as path deps with package =', () => {
    expect(table(manifestAt('blvm-consensus', 'beforeRename'), 'package')['name']).toBe('bllvm-consensus');
    // The seed's registry crates come along with the seed's sources.
    expect(table(manifestAt('blvm-consensus', 'beforeRename'), 'dependencies')).toEqual({ leaf: '>=0.1, <1' });
    expect(table(manifestAt('blvm-protocol', 'beforeRename'), 'dependencies')).toEqual({
      'bllvm-consensus': { path: '../bllvm-consensus', package: 'bllvm-consensus' },
      mid: '0.3',
    });
    expect(table(manifestAt('blvm-node', 'beforeRename'), 'dependencies')).toEqual({
      'bllvm-protocol': { path: '../bllvm-protocol', package: 'bllvm-protocol' },
      'bllvm-consensus': { path: '../bllvm-consensus', package: 'bllvm-consensus', optional: true },
    });
    expect(Object.keys(table(manifestAt('blvm', 'beforeRename'), 'dependencies'))).toEqual(['bllvm-node']);
    expect(Object.keys(table(manifestAt('blvm-sdk', 'beforeRename'), 'dependencies'))).toEqual(['bllvm-node']);
    for (const r of RENAMED) expect(manifestAt(r, 'beforeRename')['patch']).toBeUndefined();
  });

  it('the governance app sits in the subfolder bllvm-commons/ and reaches siblings with ../../', () => {
    const tree = files('blvm-commons', 'beforeRename');
    expect(tree['Cargo.toml']).toBeUndefined();
    const m = manifestAt('blvm-commons', 'beforeRename', 'bllvm-commons/Cargo.toml');
    expect(table(m, 'package')['name']).toBe('bllvm-commons');
    expect(table(m, 'dependencies')).toEqual({
      'bllvm-protocol': { path: '../../bllvm-protocol', package: 'bllvm-protocol' },
      'bllvm-sdk': { path: '../../bllvm-sdk', package: 'bllvm-sdk' },
      fancy: { version: '1', features: ['color'] },
    });
    expect(Object.keys(tree)).toContain('bllvm-commons/src/bin/bllvm-commons.rs');
    expect(Object.values(tree).join('\n')).not.toMatch(/\bblvm/);
  });
});

describe('after the rename', () => {
  it('dependencies are crates.io requirements with the §2 edges, optional and dev where the real ones are', () => {
    const consensus = manifestAt('blvm-consensus', 'afterRename');
    expect(table(consensus, 'dependencies')).toEqual({
      'blvm-primitives': '0.1.0',
      'blvm-spec-lock': '>=0.1, <1',
      'blvm-secp256k1': { version: '>=0.1, <1', optional: true },
      mid: '0.3',
    });
    expect(table(consensus, 'dev-dependencies')).toEqual({ 'blvm-muhash': '0.1.0' });
    expect(table(consensus, 'features')['secp256k1']).toEqual(['dep:blvm-secp256k1']);
    expect(table(consensus, 'features')['default']).toBeUndefined();
    expect(Object.keys(table(consensus, 'features'))).toContain('verify');

    const node = manifestAt('blvm-node', 'afterRename');
    expect(table(node, 'dependencies')['blvm-consensus']).toEqual({ version: '>=0.1, <1', optional: true });
    expect(table(node, 'features')['default']).toEqual(['consensus']);
    expect(table(node, 'features')['default']).not.toContain('spec-lock');
    const blvm = manifestAt('blvm', 'afterRename');
    expect(table(blvm, 'dependencies')).toEqual({
      'blvm-node': { version: '>=0.1, <1', 'default-features': false },
      'blvm-sdk': { version: '>=0.1, <1', optional: true },
    });
    expect(table(blvm, 'features')['default']).toEqual(['blvm-node/sysinfo', 'blvm-node/redb']);
    for (const f of ['production', 'rocksdb', 'sled', 'redb', 'heed3', 'governance']) expect(table(blvm, 'features')).toHaveProperty(f);
    expect(table(manifestAt('blvm-commons', 'root'), 'dependencies')).toEqual({
      'blvm-protocol': '0.1.0',
      'blvm-sdk': '>=0.1, <1',
      fancy: { version: '1', features: ['color'] },
    });
    expect(table(manifestAt('blvm-primitives', 'initial'), 'dependencies')).toEqual({ leaf: '>=0.1, <1' });
  });

  it('registry crates are never patched: the patch tables name stack crates only', () => {
    for (const s of REAL_REPOSITORIES) {
      for (const mark of marksOf(s)) {
        const dir = s.repository === 'blvm-commons' && mark !== 'root' ? (mark === 'beforeRename' ? 'bllvm-commons/' : 'blvm-commons/') : '';
        const patch = table(manifestAt(s.repository, mark, `${dir}Cargo.toml`), 'patch', 'crates-io');
        for (const name of Object.keys(patch)) expect(name, `${s.repository} at ${mark}`).toMatch(/^blvm-/);
      }
    }
  });

  it('every repository with stack dependencies patches crates.io with sibling paths, beyond its direct ones', () => {
    for (const s of REAL_REPOSITORIES) {
      const mark = marksOf(s).at(-1)!;
      const patch = table(manifestAt(s.repository, mark), 'patch', 'crates-io');
      const direct = s.dependencies.map((d) => d.repository);
      for (const d of direct) expect(patch[d], `${s.repository} patches ${d}`).toEqual({ path: `../${d}` });
      if (direct.length === 0) expect(patch).toEqual({});
    }
    // The node binary does not declare the libraries below consensus, but its tree needs them.
    expect(patchClosure(spec('blvm'))).toEqual([
      'blvm-primitives', 'blvm-spec-lock', 'blvm-secp256k1', 'blvm-muhash',
      'blvm-consensus', 'blvm-protocol', 'blvm-node', 'blvm-sdk',
    ]);
    // consensus' muhash is a dev-dependency: outside a dependent's tree, so protocol does not patch it
    // (cargo warns about a patch that goes unused).
    expect(patchClosure(spec('blvm-protocol'))).not.toContain('blvm-muhash');
  });

  it('commons keeps a subfolder blvm-commons/ at the rename, then moves to the root', () => {
    const sub = files('blvm-commons', 'afterRename');
    expect(sub['Cargo.toml']).toBeUndefined();
    expect(Object.keys(sub).some((p) => p.startsWith('bllvm-commons/'))).toBe(false);
    const m = manifestAt('blvm-commons', 'afterRename', 'blvm-commons/Cargo.toml');
    expect(table(m, 'patch', 'crates-io')['blvm-sdk']).toEqual({ path: '../../blvm-sdk' });
    const root = files('blvm-commons', 'root');
    expect(Object.keys(root).filter((p) => p.includes('/Cargo.toml') || p === 'Cargo.toml')).toEqual(['Cargo.toml']);
    expect(table(manifestAt('blvm-commons', 'root'), 'patch', 'crates-io')['blvm-sdk']).toEqual({ path: '../blvm-sdk' });
    expect(Object.keys(root)).toEqual(expect.arrayContaining(['src/bin/blvm-commons.rs', 'src/bin/key-manager.rs', 'src/fault.rs', 'src/revision.rs']));
  });

  it('blvm-sdk carries examples/simple-module, a manifest reaching the sdk with path = "../.."', () => {
    const m = manifestAt('blvm-sdk', 'afterRename', 'examples/simple-module/Cargo.toml');
    expect(table(m, 'dependencies')).toEqual({ 'blvm-sdk': { path: '../..' } });
    expect(table(m, 'patch', 'crates-io')['blvm-node']).toEqual({ path: '../../../blvm-node' });
    expect(exampleManifest(spec('blvm-sdk'))).not.toContain('blvm-sdk = { path = "../../../');
  });

  it('the four libraries are born blvm-*, with one mark', () => {
    for (const r of ['blvm-primitives', 'blvm-spec-lock', 'blvm-secp256k1', 'blvm-muhash']) {
      expect(marksOf(spec(r))).toEqual(['initial']);
      expect(table(manifestAt(r, 'initial'), 'package')['name']).toBe(r);
    }
    expect(Object.keys(files('blvm-spec-lock', 'initial'))).toContain('src/main.rs');
  });
});

describe('committed locks', () => {
  it("blvm-primitives commits one, and so does consensus before the rename (the seed crate's); no other repository or mark", () => {
    const locks = REAL_REPOSITORIES.flatMap((s) =>
      marksOf(s).flatMap((m) => Object.keys(files(s.repository, m)).filter((p) => p.endsWith('Cargo.lock')).map((p) => `${s.repository}@${m}:${p}`)),
    );
    expect(locks).toEqual(['blvm-primitives@initial:Cargo.lock', 'blvm-consensus@beforeRename:Cargo.lock']);
  });

  it("each names the mark's root package and pins leaf 0.1.3 with the seed's checksum", () => {
    expect(files('blvm-primitives', 'initial')['Cargo.lock']).toBe(cargoLock({ name: 'blvm-primitives', version: '0.1.0' }, [{ name: 'leaf', version: '>=0.1, <1' }]));
    // Before the rename the root is bllvm-consensus: the same text the seed profile commits.
    expect(files('blvm-consensus', 'beforeRename')['Cargo.lock']).toBe(rustFile('bllvm-consensus/Cargo.lock'));
    expect(files('blvm-primitives', 'initial')['Cargo.lock']).toMatch(/name = "leaf"\nversion = "0\.1\.3"\nsource = "registry\+https:\/\/github\.com\/rust-lang\/crates\.io-index"\nchecksum = "4f108a078c6565091411871f49e5852eceff470f09866aa3b3abd24feb50d4b3"/);
  });

  it("the pre-rename crates carrying a seed crate's sources take the seed manifest's registry crates", () => {
    for (const s of REAL_REPOSITORIES) {
      const seed = s.beforeRename?.seedSources;
      if (!seed) continue;
      const seedDeps = table(parse(rustFile(`${seed}/Cargo.toml`)) as Table, 'dependencies');
      const registryOnly = (t: Table) => Object.fromEntries(Object.entries(t).filter(([name]) => !isSandboxComponent(name)));
      expect(registryOnly(table(manifestAt(s.repository, 'beforeRename'), 'dependencies')), s.repository).toEqual(registryOnly(seedDeps));
    }
  });
});

describe('profile facts', () => {
  it('name the component, kinds, binaries, crate folders, former names and features of each repository', () => {
    const facts = profileFacts('real');
    expect(facts.map((f) => f.repository)).toEqual(REAL_REPOSITORIES.map((s) => s.repository));
    const by = Object.fromEntries(facts.map((f) => [f.repository, f]));
    expect(by['blvm-commons']).toMatchObject({
      component: 'governance-app',
      kinds: ['binary', 'image'],
      binaries: ['blvm-commons', 'key-manager', 'test-content-hash'],
      crateDirs: { beforeRename: 'bllvm-commons', afterRename: 'blvm-commons', root: '.' },
      crateNames: { beforeRename: 'bllvm-commons', afterRename: 'blvm-commons', root: 'blvm-commons' },
      formerNames: ['bllvm-commons'],
    });
    expect(by['blvm-node']).toMatchObject({ component: 'bllvm-node', kinds: ['library'], formerNames: ['bllvm-node'] });
    expect(by['blvm-spec-lock']).toMatchObject({ component: 'blvm-spec-lock', kinds: ['library'], binaries: ['blvm-spec-lock'], formerNames: [] });
    expect(by['blvm']!.features['default']).toEqual(['blvm-node/sysinfo', 'blvm-node/redb']);
    // Registry crates are dependencies but no components: the graph is the stack's alone.
    expect(by['blvm-primitives']!.dependsOn).toEqual([]);
    expect(by['blvm-consensus']!.dependsOn).toEqual(['blvm-primitives', 'blvm-spec-lock', 'blvm-secp256k1', 'blvm-muhash']);
    expect(by['blvm-commons']!.dependsOn).toEqual(['blvm-protocol', 'blvm-sdk']);
    expect(facts.map((f) => f.component).filter((c) => c.startsWith('bllvm') || c === 'governance-app')).toEqual([
      'bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm', 'bllvm-sdk', 'governance-app',
    ]);
    // Features in the facts are the manifests' tables.
    for (const s of REAL_REPOSITORIES) {
      const mark = marksOf(s).at(-1)!;
      const dir = by[s.repository]!.crateDirs[mark]!;
      expect(table(manifestAt(s.repository, mark, dir === '.' ? 'Cargo.toml' : `${dir}/Cargo.toml`), 'features')).toEqual(by[s.repository]!.features);
    }
  });

  it('also describe the seed profile from its manifests', () => {
    const seed = profileFacts('seed');
    expect(seed.map((f) => f.repository)).toEqual(['bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm', 'bllvm-sdk', 'governance-app']);
    const gov = seed.find((f) => f.repository === 'governance-app')!;
    expect(gov).toMatchObject({ component: 'governance-app', kinds: ['binary', 'image'], crateDirs: { initial: '.' } });
    expect(gov.dependsOn).toEqual(['bllvm-sdk', 'bllvm-protocol']);
    // Registry crates are dependencies but no components: the derived graph is the stack's alone.
    expect(Object.fromEntries(seed.map((f) => [f.repository, f.dependsOn]))).toEqual({
      'bllvm-consensus': [],
      'bllvm-protocol': ['bllvm-consensus'],
      'bllvm-node': ['bllvm-protocol', 'bllvm-consensus'],
      bllvm: ['bllvm-node'],
      'bllvm-sdk': ['bllvm-node'],
      'governance-app': ['bllvm-sdk', 'bllvm-protocol'],
    });
    expect(seed.find((f) => f.repository === 'bllvm-node')!.features['default']).toEqual(['consensus']);
    expect(() => profileFacts('other' as never)).toThrow(/unknown sandbox profile/);
  });
});

describe('rustfmt', () => {
  it('the pre-rename sources derived from head (the governance app) are formatted too', async () => {
    const tree = files('blvm-commons', 'beforeRename');
    const sources = Object.entries(tree).filter(([p]) => p.endsWith('.rs'));
    expect(sources.length).toBeGreaterThan(3);
    for (const [path, source] of sources) {
      const r = await execa('rustfmt', ['--edition', '2021', '--emit', 'stdout'], { input: source, stripFinalNewline: false });
      expect(r.stdout, path).toBe(source);
    }
  });
});
