import { describe, expect, it } from 'vitest';
import { indexLineFor, serializeIndexLine, splitFeatures } from './index-line';
import type { PublishDependency, PublishMetadata } from './metadata';

const dep = (over: Partial<PublishDependency>): PublishDependency => ({
  name: 'x',
  version_req: '^1',
  features: [],
  optional: false,
  default_features: true,
  target: null,
  kind: 'normal',
  registry: null,
  explicit_name_in_toml: null,
  ...over,
});

const meta = (over: Partial<PublishMetadata>): PublishMetadata => ({
  name: 'demo',
  vers: '0.1.0',
  deps: [],
  features: {},
  authors: [],
  description: null,
  documentation: null,
  homepage: null,
  readme: null,
  readme_file: null,
  keywords: [],
  categories: [],
  license: null,
  license_file: null,
  repository: null,
  links: null,
  rust_version: null,
  ...over,
});

describe('indexLineFor', () => {
  it('writes the line crates.io writes for a plain crate', () => {
    const line = indexLineFor(meta({}), 'ab'.repeat(32));
    expect(serializeIndexLine(line)).toBe(`{"name":"demo","vers":"0.1.0","deps":[],"cksum":"${'ab'.repeat(32)}","features":{},"yanked":false,"links":null,"v":1}`);
  });

  it('renames version_req to req and moves a renamed dependency’s real name to package', () => {
    const line = indexLineFor(meta({ deps: [dep({ name: 'mid', explicit_name_in_toml: 'renamed', version_req: '^0.3', default_features: false, features: ['f'] })] }), 'c');
    expect(line.deps).toEqual([
      { name: 'renamed', req: '^0.3', features: ['f'], optional: false, default_features: false, target: null, kind: 'normal', registry: null, package: 'mid' },
    ]);
    expect(serializeIndexLine(line)).toContain('"deps":[{"name":"renamed","req":"^0.3","features":["f"],"optional":false,"default_features":false,"target":null,"kind":"normal","registry":null,"package":"mid"}]');
  });

  it('sorts dependencies as crates.io does: by name, then normal before build before dev', () => {
    const line = indexLineFor(
      meta({ deps: [dep({ name: 'b', kind: 'dev' }), dep({ name: 'b', kind: 'build' }), dep({ name: 'a', target: 'cfg(unix)' }), dep({ name: 'b' }), dep({ name: 'a' })] }),
      'c',
    );
    expect(line.deps.map((d) => `${d.name}:${d.kind}:${d.target}`)).toEqual(['a:normal:null', 'a:normal:cfg(unix)', 'b:normal:null', 'b:build:null', 'b:dev:null']);
  });

  it('writes a dependency on this registry as null and keeps other registries', () => {
    const own = 'sparse+http://127.0.0.1:5/index/';
    const line = indexLineFor(
      meta({ deps: [dep({ name: 'a', registry: 'http://127.0.0.1:5/index' }), dep({ name: 'b', registry: 'https://github.com/rust-lang/crates.io-index' }), dep({ name: 'c', registry: own })] }),
      'c',
      [own],
    );
    expect(line.deps.map((d) => d.registry)).toEqual([null, 'https://github.com/rust-lang/crates.io-index', null]);
  });

  it('moves new-syntax features, and those enabling them, to features2 with v 2', () => {
    const line = indexLineFor(meta({ features: { z: [], all: ['paint'], paint: ['dep:tint'], weak: ['tint?/x'], plain: ['z'] }, links: 'git2', rust_version: '1.70' }), 'c');
    expect(line.features).toEqual({ plain: ['z'], z: [] });
    expect(line.features2).toEqual({ all: ['paint'], paint: ['dep:tint'], weak: ['tint?/x'] });
    expect(line.v).toBe(2);
    expect(serializeIndexLine(line)).toBe(
      '{"name":"demo","vers":"0.1.0","deps":[],"cksum":"c","features":{"plain":["z"],"z":[]},"features2":{"all":["paint"],"paint":["dep:tint"],"weak":["tint?/x"]},"yanked":false,"links":"git2","rust_version":"1.70","v":2}',
    );
  });

  it('splits nested features only as far as they reach the new syntax', () => {
    expect(splitFeatures({ a: ['b'], b: ['c'], c: ['dep:d'], e: ['f'], f: [] })).toEqual({ features: { e: ['f'], f: [] }, features2: { a: ['b'], b: ['c'], c: ['dep:d'] } });
  });
});
