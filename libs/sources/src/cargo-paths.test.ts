import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { configPaths, globBase, lineOf, manifestPaths, metadataEscapes, unreadablePaths, within } from './cargo-paths';

const doc = (text: string) => parse(text) as Record<string, unknown>;

describe('manifestPaths', () => {
  it('names every table a manifest can point cargo at a folder from', () => {
    const text = [
      '[package]',
      'name = "a"',
      'workspace = "../../ws"',
      'build = "../build.rs"',
      '[dependencies]',
      'x = { path = "../x" }',
      'y = "1"',
      "[target.'cfg(unix)'.build-dependencies]",
      'z = { path = "z" }',
      '[workspace]',
      'members = ["crates/*", "../../../outside"]',
      '[workspace.dependencies]',
      'w = { path = "../w" }',
      '[replace]',
      '"foo:0.1.0" = { path = "../../foo" }',
      '[patch.crates-io]',
      'bar = { path = "/opt/bar" }',
      '[lib]',
      'path = "../../lib.rs"',
      '[[bin]]',
      'name = "b"',
      'path = "../b.rs"',
    ].join('\n');
    expect(manifestPaths(doc(text))).toEqual([
      { key: 'dependencies.x', path: '../x' },
      { key: "target.'cfg(unix)'.build-dependencies.z", path: 'z' },
      { key: 'patch.crates-io.bar', path: '/opt/bar' },
      { key: 'replace.foo:0.1.0', path: '../../foo' },
      { key: 'workspace.dependencies.w', path: '../w' },
      { key: 'workspace.members', path: 'crates' },
      { key: 'workspace.members', path: '../../../outside' },
      { key: 'package.workspace', path: '../../ws' },
      { key: 'package.build', path: '../build.rs' },
      { key: 'lib', path: '../../lib.rs' },
      { key: 'bin', path: '../b.rs' },
    ]);
  });

  it('finds nothing in a manifest with only registry dependencies', () => {
    expect(manifestPaths(doc('[package]\nname = "a"\n[dependencies]\nserde = "1"\n'))).toEqual([]);
  });
});

describe('configPaths', () => {
  it('names path overrides, patches and directory sources of a .cargo/config.toml', () => {
    const text = 'paths = ["../../../outside", "vendor/x"]\n[patch.crates-io]\nq = { path = "../q" }\n[source.vendored]\ndirectory = "/opt/vendor"\n[build]\njobs = 2\n';
    expect(configPaths(doc(text))).toEqual([
      { key: 'paths', path: '../../../outside' },
      { key: 'paths', path: 'vendor/x' },
      { key: 'patch.crates-io.q', path: '../q' },
      { key: 'source.vendored.directory', path: '/opt/vendor' },
    ]);
  });
});

describe('globBase, lineOf, within', () => {
  it('keeps the fixed folders of a glob', () => {
    expect(globBase('crates/*')).toBe('crates');
    expect(globBase('../../a/b*/c')).toBe('../../a');
    expect(globBase('*')).toBe('.');
  });

  it('finds the line that writes a path, in either quote style', () => {
    expect(lineOf('[package]\nname = "a"\n[dependencies]\nx = { path = "../x" }\n', '../x')).toBe(4);
    expect(lineOf("a = 1\npaths = ['../o']\n", '../o')).toBe(2);
    expect(lineOf('x = { path = "../x" }\n', '../y')).toBeUndefined();
  });

  it('treats .. as outside, never as below', () => {
    expect(within('/src/a/sub', '/src/a')).toBe(true);
    expect(within('/src/a', '/src/a')).toBe(true);
    expect(within('/src/ab', '/src/a')).toBe(false);
    expect(within('/src/a/../b', '/src/a')).toBe(false);
  });
});

describe('metadataEscapes', () => {
  const pkg = (name: string, manifest: string, deps: { name: string; path?: string }[] = [], source: string | null = null) => ({
    name,
    source,
    manifest_path: manifest,
    dependencies: deps,
    targets: [{ name, src_path: manifest.replace('Cargo.toml', 'src/lib.rs') }],
  });

  it('accepts packages and path dependencies inside the mounted checkouts, and registry packages anywhere', () => {
    const meta = {
      packages: [
        pkg('a', '/src/a/Cargo.toml', [{ name: 'b', path: '/src/b' }, { name: 'serde' }]),
        pkg('b', '/src/b/Cargo.toml'),
        pkg('serde', '/cargo-home/registry/src/x/serde-1.0.0/Cargo.toml', [], 'registry+https://github.com/rust-lang/crates.io-index'),
      ],
    };
    expect(metadataEscapes(meta, ['/src/a', '/src/b'])).toEqual([]);
  });

  it('reports a local package, a path dependency and a target source outside', () => {
    const meta = {
      packages: [
        pkg('a', '/src/a/Cargo.toml', [{ name: 'core', path: '/toolchain/lib/rustlib/src/core' }]),
        pkg('core', '/toolchain/lib/rustlib/src/core/Cargo.toml'),
        { ...pkg('c', '/src/a/c/Cargo.toml'), targets: [{ name: 'c', src_path: '/cargo-home/x.rs' }] },
      ],
    };
    expect(metadataEscapes(meta, ['/src/a'])).toEqual([
      { manifest: '/src/a/Cargo.toml', what: 'path dependency "core"', resolved: '/toolchain/lib/rustlib/src/core' },
      { manifest: '/toolchain/lib/rustlib/src/core/Cargo.toml', what: 'package "core"', resolved: '/toolchain/lib/rustlib/src/core' },
      { manifest: '/toolchain/lib/rustlib/src/core/Cargo.toml', what: 'target "core" source', resolved: '/toolchain/lib/rustlib/src/core/src/lib.rs' },
      { manifest: '/src/a/c/Cargo.toml', what: 'target "c" source', resolved: '/cargo-home/x.rs' },
    ]);
  });
});

describe('unreadablePaths', () => {
  it('lists the files cargo could not read, once each', () => {
    const stderr = 'error: failed to get `out` as a dependency of package `sub v0.1.0 (/src/a/sub)`\n\nCaused by:\n  failed to read `/outside/Cargo.toml`\n  failed to read `/outside/Cargo.toml`\n';
    expect(unreadablePaths(stderr)).toEqual(['/outside/Cargo.toml']);
    expect(unreadablePaths('error: no matching package named `serde` found')).toEqual([]);
  });
});
