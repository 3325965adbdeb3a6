import { describe, expect, it } from 'vitest';
import { compareGraph, siblingDependencies } from './cargo-deps';

const SIBLINGS = ['bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm-sdk'];

describe('siblingDependencies', () => {
  it('reads normal, dev, build, target-specific, renamed and optional dependencies', () => {
    const toml = `
[package]
name = "governance-app"
version = "0.1.0"
[dependencies]
bllvm-sdk = { path = "../bllvm-sdk" }
serde = "1"
[target.'cfg(unix)'.dependencies]
bllvm-protocol = { path = "../bllvm-protocol" }
[dev-dependencies]
node = { package = "bllvm-node", path = "../bllvm-node" }
[build-dependencies]
bllvm-consensus = { version = ">=0.1, <1", optional = true }
[features]
default = ["extra"]
extra = ["dep:bllvm-consensus"]
`;
    expect(siblingDependencies(toml, 'Cargo.toml', SIBLINGS)).toEqual([
      { crate: 'bllvm-sdk', kind: 'normal', target: undefined, optional: false, enabledByDefault: true },
      { crate: 'bllvm-node', kind: 'dev', target: undefined, optional: false, enabledByDefault: true },
      { crate: 'bllvm-consensus', kind: 'build', target: undefined, optional: true, enabledByDefault: true },
      { crate: 'bllvm-protocol', kind: 'normal', target: 'cfg(unix)', optional: false, enabledByDefault: true },
    ]);
  });

  it('ignores an optional dependency the default features do not enable', () => {
    const toml = `[package]\nname = "x"\n[dependencies]\nbllvm-node = { path = "../bllvm-node", optional = true }\n[features]\ndefault = []\nfull = ["bllvm-node"]\n`;
    expect(siblingDependencies(toml, 'Cargo.toml', SIBLINGS)[0]).toMatchObject({ optional: true, enabledByDefault: false });
  });

  it('rejects a file that is not a crate manifest, naming the file', () => {
    expect(() => siblingDependencies('not [toml', 'apps/x/Cargo.toml', SIBLINGS)).toThrow(/apps\/x\/Cargo\.toml:1:\d+: invalid TOML/);
    expect(() => siblingDependencies('[workspace]\n', 'W/Cargo.toml', SIBLINGS)).toThrow(/\[package\] name is missing/);
  });
});

describe('compareGraph', () => {
  const declared = { a: [], b: ['a'], c: ['b'] };
  const dep = (crate: string, extra = {}) => ({ crate, kind: 'normal' as const, optional: false, enabledByDefault: true, ...extra });

  it('passes when every manifest edge is declared', () => {
    expect(compareGraph(declared, { a: [], b: [dep('a')], c: [dep('b')] })).toEqual({ missing: [], transitive: [], extra: [] });
  });

  it('reports an undeclared edge as missing and a declared one without a manifest edge as extra', () => {
    const r = compareGraph({ a: [], b: [], c: ['b', 'a'] }, { a: [], b: [dep('a')], c: [dep('b')] });
    expect(r.missing).toEqual([{ from: 'b', to: 'a', via: 'dependencies' }]);
    expect(r.extra).toEqual([{ from: 'c', to: 'a' }]);
  });

  it('accepts a direct edge that the declared graph covers transitively', () => {
    const r = compareGraph(declared, { a: [], b: [dep('a')], c: [dep('b'), dep('a', { optional: true })] });
    expect(r.missing).toEqual([]);
    expect(r.transitive).toEqual([{ from: 'c', to: 'a', via: 'dependencies (optional, on by default)' }]);
  });
});
