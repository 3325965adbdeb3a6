import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { readCrateManifest } from './cargo-manifest';
import { editStrings } from './edit-toml';
import { updateCrateManifest } from './update-manifest';

// A manifest written the way people write them: comments everywhere, one dependency spread over
// lines, dotted keys, renamed and target-specific dependencies, strings that look like
// requirements, and a crates.io dependency whose requirement is the same text as an internal one.
const NASTY = `# blvm-node: the node
[package]
name = "blvm-node" # the crate
version    =   "0.1.3"   # bumped by CI
description = "version = \\"0.1\\" is not a dependency"
edition.workspace = true

[dependencies]
blvm-protocol = { version = ">=0.1, <1", default-features = false, features = [
    "std", # needed
    "serde",
] } # the protocol
serde = "0.1" # not ours: same text, never touched
consensus = { package = "blvm-consensus", version = '0.1' }
blvm-secp256k1.version = "=0.1.2"
blvm-secp256k1.optional = true
blvm-muhash.workspace = true

[target.'cfg(unix)'.dependencies]
blvm-protocol = "0.1"

[dev-dependencies.blvm-consensus]
version = "0.1.0"
path = "../blvm-consensus"

[features]
default = ["blvm-protocol/std"] # "blvm-protocol" = "0.1"

[patch.crates-io]
blvm-protocol = { path = "../blvm-protocol" }
`;

const DEPS = { 'blvm-protocol': '1.0.0', 'blvm-consensus': '0.2.0', 'blvm-secp256k1': '0.1.3', 'blvm-muhash': '0.3.0' };

describe('updateCrateManifest', () => {
  it('changes only [package] version and the internal requirements that no longer admit their new versions', () => {
    const r = updateCrateManifest(NASTY, 'blvm-node/Cargo.toml', { version: '0.1.4', dependencies: DEPS });
    const expected = NASTY.replace('version    =   "0.1.3"', 'version    =   "0.1.4"')
      .replace('blvm-protocol = { version = ">=0.1, <1"', 'blvm-protocol = { version = ">=1.0, <2"')
      .replace(`package = "blvm-consensus", version = '0.1'`, `package = "blvm-consensus", version = '0.2'`)
      .replace('blvm-secp256k1.version = "=0.1.2"', 'blvm-secp256k1.version = "=0.1.3"')
      .replace('[target.\'cfg(unix)\'.dependencies]\nblvm-protocol = "0.1"', '[target.\'cfg(unix)\'.dependencies]\nblvm-protocol = "1.0"')
      .replace('[dev-dependencies.blvm-consensus]\nversion = "0.1.0"', '[dev-dependencies.blvm-consensus]\nversion = "0.2.0"');
    expect(r.text).toBe(expected);
    expect(r.changed).toEqual([
      '[package] version: "0.1.3" → "0.1.4"',
      '[dependencies] blvm-protocol: ">=0.1, <1" → ">=1.0, <2" (">=0.1, <1" does not admit 1.0.0)',
      '[dependencies] consensus: "0.1" → "0.2" ("0.1" does not admit 0.2.0)',
      '[dependencies] blvm-secp256k1: "=0.1.2" → "=0.1.3" ("=0.1.2" pins 0.1.2)',
      '[dev-dependencies] blvm-consensus: "0.1.0" → "0.2.0" ("0.1.0" does not admit 0.2.0)',
      "[target.'cfg(unix)'.dependencies] blvm-protocol: \"0.1\" → \"1.0\" (\"0.1\" does not admit 1.0.0)",
    ]);
    expect(r.leftAlone).toEqual([expect.stringMatching(/^\[dependencies\] blvm-muhash: inherited \(workspace = true\)/)]);
    // What a naive rewrite breaks: the crates.io dependency with the same text, the patch, the features.
    expect(r.text).toContain('serde = "0.1" # not ours');
    expect(r.text).toContain('blvm-protocol = { path = "../blvm-protocol" }');
    expect(r.text).toContain('default = ["blvm-protocol/std"] # "blvm-protocol" = "0.1"');
  });

  it('keeps requirements that still admit the new version byte for byte', () => {
    const r = updateCrateManifest(NASTY, 'Cargo.toml', { dependencies: { 'blvm-protocol': '0.2.0', 'blvm-consensus': '0.1.9' } });
    expect(r.text).toBe(NASTY.replace('[target.\'cfg(unix)\'.dependencies]\nblvm-protocol = "0.1"', '[target.\'cfg(unix)\'.dependencies]\nblvm-protocol = "0.2"'));
    expect(r.changed).toHaveLength(1);
  });

  it('keeps CRLF line endings and a byte order mark', () => {
    const crlf = '\uFEFF' + NASTY.replace(/\n/g, '\r\n');
    const r = updateCrateManifest(crlf, 'Cargo.toml', { version: '0.1.4', dependencies: DEPS });
    expect(r.text.startsWith('\uFEFF')).toBe(true);
    expect(r.text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(r.text.split('\r\n')).toHaveLength(crlf.split('\r\n').length);
    expect(r.text).toContain('version    =   "0.1.4"   # bumped by CI\r\n');
    expect(r.changed).toHaveLength(6);
  });

  it('leaves version.workspace = true alone and reports it', () => {
    const text = '[package]\nname = "blvm-sdk"\nversion.workspace = true # from the root\n\n[dependencies]\nblvm-node = { workspace = true, features = ["x"] }\n';
    const r = updateCrateManifest(text, 'blvm-sdk/Cargo.toml', { version: '0.2.0', dependencies: { 'blvm-node': '0.2.0' } });
    expect(r.text).toBe(text);
    expect(r.changed).toEqual([]);
    expect(r.leftAlone).toEqual([
      "[package] version.workspace = true: the version is the workspace's [workspace.package] version; left alone",
      "[dependencies] blvm-node: inherited (workspace = true): the workspace root's [workspace.dependencies] says which blvm-node; left alone here",
    ]);
  });

  it('edits [workspace.dependencies] of a workspace root, and [workspace.package] stays', () => {
    const text = [
      '[workspace]',
      'members = ["a", "b"]',
      '',
      '[workspace.package]',
      'version = "0.1.0"',
      '',
      '[workspace.dependencies]',
      'blvm-node = { version = "0.1", path = "../blvm-node" } # ours',
      'tokio = "0.1"',
      '',
    ].join('\n');
    const r = updateCrateManifest(text, 'Cargo.toml', { dependencies: { 'blvm-node': '0.2.0' } });
    expect(r.text).toBe(text.replace('{ version = "0.1", path', '{ version = "0.2", path'));
  });

  it('changes nothing when nothing is to change, without re-writing the text', () => {
    const r = updateCrateManifest(NASTY, 'Cargo.toml', { version: '0.1.3', dependencies: { serde: '0.1.9' } });
    expect(r.text).toBe(NASTY);
    expect(r.changed).toEqual([]);
  });

  it('refuses bad input naming the file', () => {
    expect(() => updateCrateManifest('[package\nname = 1', 'x/Cargo.toml', { version: '0.1.0' })).toThrow(/^x\/Cargo\.toml:1:\d+: invalid TOML/);
    expect(() => updateCrateManifest('[package]\nname = "a"\n', 'x/Cargo.toml', { version: '0.1.0' })).toThrow('x/Cargo.toml: [package] has no version to change');
    expect(() => updateCrateManifest(NASTY, 'x/Cargo.toml', { version: '0.1' })).toThrow('x/Cargo.toml: "0.1" is not a version');
    const odd = '[package]\nname = "a"\nversion = "0.1.0"\n[dependencies]\nblvm-node = "latest"\n';
    expect(() => updateCrateManifest(odd, 'x/Cargo.toml', { dependencies: { 'blvm-node': '0.2.0' } })).toThrow(
      'x/Cargo.toml: [dependencies] blvm-node: "latest" is not a requirement cargo reads',
    );
  });
});

describe('editStrings', () => {
  it('keeps literal quoting, falls back to a basic string when the value cannot be literal', () => {
    expect(editStrings("a = 'x' # c\n", 'f', [{ path: ['a'], from: 'x', to: 'y' }])).toBe("a = 'y' # c\n");
    expect(editStrings("a = 'x'\n", 'f', [{ path: ['a'], from: 'x', to: "it's" }])).toBe('a = "it\'s"\n');
    expect(editStrings('a = """\nx"""\n', 'f', [{ path: ['a'], from: 'x', to: 'y' }])).toBe('a = "y"\n');
  });

  it('refuses an edit whose value is not what the plan expected, or not a string, naming the line', () => {
    expect(() => editStrings('\na = "x"\n', 'f', [{ path: ['a'], from: 'z', to: 'y' }])).toThrow('f:2: a is "x", not "z" as planned');
    expect(() => editStrings('a = 1\n', 'f', [{ path: ['a'], from: '1', to: '2' }])).toThrow('f:1: a is not a string');
    expect(() => editStrings('a = "x"\n', 'f', [{ path: ['b'], from: 'x', to: 'y' }])).toThrow('f: no value at b');
  });

  it('leaves every other value equal, as a parser reads both', () => {
    const out = editStrings(NASTY, 'Cargo.toml', [{ path: ['dependencies', 'blvm-secp256k1', 'version'], from: '=0.1.2', to: '=0.1.3' }]);
    const before = parse(NASTY) as { dependencies: Record<string, Record<string, unknown>> };
    before.dependencies['blvm-secp256k1']!.version = '=0.1.3';
    expect(parse(out)).toEqual(before);
  });
});

describe('readCrateManifest', () => {
  it('lists every requirement site with its crate, key, table and path', () => {
    const m = readCrateManifest(NASTY, 'Cargo.toml');
    expect(m).toMatchObject({ name: 'blvm-node', version: '0.1.3', versionFromWorkspace: false });
    const sites = m.requirements.map((s) => [s.crate, s.key, s.table.join('.'), s.requirement ?? (s.inherited ? 'inherited' : 'none'), s.path.join('.')]);
    expect(sites).toEqual([
      ['blvm-protocol', 'blvm-protocol', 'dependencies', '>=0.1, <1', 'dependencies.blvm-protocol.version'],
      ['serde', 'serde', 'dependencies', '0.1', 'dependencies.serde'],
      ['blvm-consensus', 'consensus', 'dependencies', '0.1', 'dependencies.consensus.version'],
      ['blvm-secp256k1', 'blvm-secp256k1', 'dependencies', '=0.1.2', 'dependencies.blvm-secp256k1.version'],
      ['blvm-muhash', 'blvm-muhash', 'dependencies', 'inherited', 'dependencies.blvm-muhash.version'],
      ['blvm-consensus', 'blvm-consensus', 'dev-dependencies', '0.1.0', 'dev-dependencies.blvm-consensus.version'],
      ['blvm-protocol', 'blvm-protocol', 'target.cfg(unix).dependencies', '0.1', 'target.cfg(unix).dependencies.blvm-protocol'],
    ]);
  });
});
