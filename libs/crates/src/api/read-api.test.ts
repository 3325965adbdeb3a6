import { describe, expect, it } from 'vitest';
import { fixture } from './fixture';
import { apiKey, readRustdocApi } from './read-api';
import { API_LIMITS, ApiReadError, RUSTDOC_FORMAT_VERSION } from './rustdoc-json';

/** A rustdoc JSON document of this format, with `items` (by id) besides its root module 0. */
function doc(rootItems: number[], items: Record<number, object>, paths: Record<number, object> = {}) {
  const index: Record<string, object> = { '0': { id: 0, crate_id: 0, name: 'demo', visibility: 'public', attrs: [], inner: { module: { is_crate: true, items: rootItems, is_stripped: false } } } };
  for (const [id, it] of Object.entries(items)) index[id] = { id: Number(id), crate_id: 0, visibility: 'public', attrs: [], ...it };
  return { root: 0, crate_version: '0.1.0', includes_private: false, index, paths, external_crates: {}, format_version: RUSTDOC_FORMAT_VERSION };
}
const fn = (name: string, output: object | null = null) => ({
  name,
  inner: { function: { sig: { inputs: [], output, is_c_variadic: false }, generics: { params: [], where_predicates: [] }, header: { is_const: false, is_unsafe: false, is_async: false, abi: 'Rust' }, has_body: true } },
});
const mod = (name: string, items: number[]) => ({ name, inner: { module: { is_crate: false, items, is_stripped: false } } });
const use = (name: string, id: number | null, source: string, is_glob = false) => ({ name: null, inner: { use: { source, name, id, is_glob } } });

function refusal(json: unknown): string {
  try {
    readRustdocApi(json, 'dist/demo/api/demo.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ApiReadError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('readRustdocApi on rustdoc output of the toolchain', () => {
  const api = readRustdocApi(fixture('base'), 'base.json');

  it('reads the crate, its version and every public item with its signature', () => {
    expect(api).toMatchObject({ source: 'base.json', crate: 'gate', version: '0.1.3', formatVersion: RUSTDOC_FORMAT_VERSION });
    const own = api.items.filter((i) => i.kind !== 'impl').map((i) => `${i.kind} ${i.path}: ${i.signature}`);
    expect(own).toEqual([
      'enum gate::Level: enum Level',
      'variant gate::Level::High: High',
      'variant gate::Level::Low: Low',
      'enum gate::Mode: enum Mode',
      'variant gate::Mode::Fast: Fast',
      'variant gate::Mode::Slow: Slow',
      'struct gate::Opaque: struct Opaque {..}',
      'field gate::Opaque::id: id: u32',
      'method gate::Opaque::new: fn new(u32) -> Self',
      'method gate::Opaque::secret: fn secret(self: &Self) -> u8',
      'struct gate::Point: struct Point {..}',
      'field gate::Point::x: x: f64',
      'field gate::Point::y: y: f64',
      'trait gate::Shape: trait Shape',
      'trait-item gate::Shape::area: fn area(self: &Self) -> f64',
      'trait-item gate::Shape::name: fn name(self: &Self) -> &str',
      'function gate::add: fn add(i32, i32) -> i32',
      'function gate::sub: fn sub(i32, i32) -> i32',
      'module gate::util: mod util',
      'function gate::util::helper: fn helper() -> u8',
    ]);
  });

  it('knows which enums and structs outsiders can match or build exhaustively, and which trait items are required', () => {
    const at = (path: string) => api.items.find((i) => i.path === path)!;
    expect([at('gate::Mode').exhaustive, at('gate::Level').exhaustive, at('gate::Point').exhaustive, at('gate::Opaque').exhaustive]).toEqual([true, false, true, false]);
    expect([at('gate::Shape::area').required, at('gate::Shape::name').required]).toEqual([true, false]);
  });

  it('keeps the auto traits a type implements, which users rely on', () => {
    expect(api.items.filter((i) => i.kind === 'impl' && i.parent === 'gate::Point').map((i) => i.signature)).toContain('impl core::marker::Send for gate::Point');
  });
});

describe('readRustdocApi: public paths', () => {
  it('follows pub use under the name it gives, globs without shadowing explicit items, and records re-exports of other crates', () => {
    const api = readRustdocApi(
      doc([1, 5, 6, 7, 8], {
        1: mod('inner', [2, 3]),
        2: fn('deep'),
        3: fn('clash', { primitive: 'u8' }),
        4: { ...fn('hidden'), visibility: 'crate' },
        5: use('renamed', 2, 'inner::deep'),
        6: use('inner', 1, 'inner', true),
        7: fn('clash', { primitive: 'bool' }),
        8: use('Map', 99, 'std::collections::HashMap'),
      }, { 99: { crate_id: 1, path: ['std', 'collections', 'hash', 'map', 'HashMap'], kind: 'struct' } }),
      'demo.json',
    );
    expect(api.items.map((i) => `${i.path} = ${i.signature}`)).toEqual([
      'demo::Map = pub use std::collections::hash::map::HashMap',
      'demo::clash = fn clash() -> bool',
      'demo::deep = fn deep()',
      'demo::inner = mod inner',
      'demo::inner::clash = fn clash() -> u8',
      'demo::inner::deep = fn deep()',
      'demo::renamed = fn renamed()',
    ]);
  });

  it('walks a module that re-exports itself once, not forever', () => {
    const api = readRustdocApi(doc([1], { 1: mod('m', [2, 3]), 2: fn('f'), 3: use('m', 1, 'super::m', true) }), 'demo.json');
    expect(api.items.map((i) => i.path)).toEqual(['demo::m', 'demo::m::f']);
  });

  it('keys a function and a module of one name apart (two namespaces)', () => {
    const api = readRustdocApi(doc([1, 2], { 1: mod('x', []), 2: fn('x') }), 'demo.json');
    expect(api.items.map(apiKey).sort()).toEqual(['type demo::x', 'value demo::x']);
  });
});

describe('readRustdocApi: untrusted input', () => {
  it('refuses another format_version, naming both', () => {
    expect(refusal({ ...doc([], {}), format_version: 56 })).toBe(
      `dist/demo/api/demo.json: rustdoc JSON format_version 56 is not the one this reader understands (${RUSTDOC_FORMAT_VERSION}); produce it with the toolchain the builds use`,
    );
  });

  it('refuses what is not rustdoc JSON', () => {
    expect(refusal([1, 2])).toMatch(/^dist\/demo\/api\/demo\.json: not a rustdoc JSON document/);
    expect(refusal({ index: {} })).toMatch(/no format_version/);
    expect(refusal({ ...doc([], {}), index: [] })).toMatch(/no index object/);
    expect(refusal({ ...doc([], {}), root: 7 })).toMatch(/root 7 is not a module of the index/);
    expect(refusal(doc([1], { 1: fn('not an ident') }))).toMatch(/demo: an item is named "not an ident", not a Rust identifier/);
  });

  it('refuses modules nested past the limit', () => {
    const items: Record<number, object> = {};
    for (let i = 1; i <= API_LIMITS.moduleDepth + 2; i++) items[i] = mod(`m${i}`, [i + 1]);
    expect(refusal(doc([1], items))).toMatch(/modules nest more than 32 deep/);
  });

  it('refuses a type nested past the limit, naming the item', () => {
    let t: object = { primitive: 'u8' };
    for (let i = 0; i <= API_LIMITS.typeDepth + 1; i++) t = { slice: t };
    expect(refusal(doc([1], { 1: fn('deep', t) }))).toMatch(/^dist\/demo\/api\/demo\.json: demo::deep: a type nests more than 64 deep$/);
  });

  it('refuses an API past the item limit instead of growing without bound (globs multiplying paths)', () => {
    // Each level re-exports the next twice: 2^depth paths to the same function.
    const items: Record<number, object> = {};
    const depth = 18;
    for (let i = 0; i < depth; i++) items[10 + 2 * i] = mod('a', [10 + 2 * (i + 1), 11 + 2 * i]), (items[11 + 2 * i] = use('b', 10 + 2 * (i + 1), 'a'));
    items[10 + 2 * depth] = mod('leaf', [1]);
    items[1] = fn('f');
    expect(2 ** depth).toBeGreaterThan(API_LIMITS.items);
    expect(refusal(doc([10], items))).toMatch(/more than 200000 public API entries/);
  });

  it('writes a signature past its bound as its head and a digest, so it still compares exactly', () => {
    const long = (n: number) => readRustdocApi(doc([1], { 1: fn('f', { tuple: Array.from({ length: n }, () => ({ primitive: 'u8' })) }) }), 'd').items[0]!.signature;
    expect(long(400).length).toBeLessThanOrEqual(API_LIMITS.signatureChars + 30);
    expect(long(400)).toMatch(/… \(sha256 [0-9a-f]{16}\)$/);
    expect(long(400)).not.toBe(long(401));
  });

  it('writes a type shape the format does not define as its JSON rather than failing or dropping it', () => {
    const api = readRustdocApi(doc([1], { 1: fn('f', { novel_type: { x: 1 } }) }), 'd');
    expect(api.items[0]!.signature).toBe('fn f() -> ?{"novel_type":{"x":1}}');
  });
});
