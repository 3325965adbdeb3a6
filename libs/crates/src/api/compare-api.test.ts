import { describe, expect, it } from 'vitest';
import { type FixtureName, fixture } from './fixture';
import { compareApi } from './compare-api';
import { type ApiItem, type PublicApi, readRustdocApi } from './read-api';

const read = (name: FixtureName) => readRustdocApi(fixture(name), `${name}.json`);
const base = read('base');
const against = (name: FixtureName) => compareApi(base, read(name));
const lines = (name: FixtureName) => {
  const c = against(name);
  return { classification: c.classification, breaking: c.breaking.map((x) => x.line), additive: c.additive.map((x) => x.line) };
};

describe('compareApi on rustdoc output of tiny crates before and after one edit', () => {
  it('finds nothing when only bodies, docs and argument names changed', () => {
    expect(lines('unchanged')).toEqual({ classification: 'none', breaking: [], additive: [] });
    expect(compareApi(base, base).classification).toBe('none');
  });

  it('a removed function is breaking', () => {
    expect(lines('removed-fn')).toEqual({ classification: 'breaking', breaking: ['removed fn gate::sub: fn sub(i32, i32) -> i32'], additive: [] });
  });

  it('a renamed function is breaking, reported once as a rename', () => {
    expect(lines('renamed-fn')).toEqual({ classification: 'breaking', breaking: ['renamed fn gate::sub → gate::minus'], additive: [] });
    expect(against('renamed-fn').breaking[0]).toMatchObject({ path: 'gate::sub', kind: 'function', change: 'renamed' });
  });

  it('a changed signature is breaking, before and after on one line', () => {
    expect(lines('changed-signature')).toEqual({ classification: 'breaking', breaking: ['changed fn gate::add: fn add(i32, i32) -> i32 → fn add(i64, i64) -> i64'], additive: [] });
  });

  it('additions are additive: a function, a variant of a #[non_exhaustive] enum, a field of a struct with private fields', () => {
    expect(lines('added')).toEqual({
      classification: 'additive',
      breaking: [],
      additive: ['added variant gate::Level::Extreme: Extreme', 'added field gate::Opaque::tag: tag: u8', 'added fn gate::mul: fn mul(i32, i32) -> i32', 'added fn gate::util::extra: fn extra()'],
    });
  });

  it('a removed enum variant is breaking', () => {
    expect(lines('removed-variant')).toEqual({ classification: 'breaking', breaking: ['removed variant gate::Mode::Slow: Slow'], additive: [] });
  });

  it('a new variant of an enum that is not #[non_exhaustive] is breaking', () => {
    expect(against('new-variant')).toMatchObject({ classification: 'breaking', breaking: [{ path: 'gate::Mode::Idle', change: 'new-variant' }], additive: [] });
  });

  it('a removed pub field is breaking', () => {
    expect(lines('removed-field')).toEqual({ classification: 'breaking', breaking: ['removed field gate::Point::y: y: f64'], additive: [] });
  });

  it('a new required trait item is breaking', () => {
    expect(lines('new-required-trait-item')).toEqual({
      classification: 'breaking',
      breaking: ['new required item gate::Shape::perimeter in trait gate::Shape: fn perimeter(self: &Self) -> f64 (every implementor must now write it)'],
      additive: [],
    });
  });

  it('read the other way round, additions are removals', () => {
    expect(compareApi(read('added'), base).breaking.map((c) => c.change)).toEqual(['removed', 'removed', 'removed', 'removed']);
    expect(compareApi(read('removed-fn'), base).classification).toBe('additive');
  });
});

const api = (items: ApiItem[]): PublicApi => ({ source: 's', crate: 'c', version: '1.0.0', formatVersion: 57, items });

describe('compareApi rules', () => {
  const struct = (exhaustive: boolean): ApiItem => ({ path: 'c::S', kind: 'struct', signature: 'struct S {..}', exhaustive });
  const field = (name: string): ApiItem => ({ path: `c::S::${name}`, parent: 'c::S', kind: 'field', signature: `${name}: u8` });
  const traitItem = (required: boolean): ApiItem => ({ path: 'c::T::f', parent: 'c::T', kind: 'trait-item', signature: 'fn f()', required });
  const trait: ApiItem = { path: 'c::T', kind: 'trait', signature: 'trait T' };

  it('a new field of a struct users build by literal breaks them', () => {
    const c = compareApi(api([struct(true), field('a')]), api([struct(true), field('a'), field('b')]));
    expect(c.breaking.map((x) => x.line)).toEqual(['new field c::S::b: b: u8 of struct c::S, which users can build by literal']);
  });

  it('becoming #[non_exhaustive] breaks; the reverse and a trait item gaining a default are additive; losing one breaks', () => {
    expect(compareApi(api([struct(true)]), api([struct(false)])).breaking.map((x) => x.change)).toEqual(['no-longer-exhaustive']);
    expect(compareApi(api([struct(false)]), api([struct(true)]))).toMatchObject({ classification: 'additive', additive: [{ change: 'now-exhaustive' }] });
    expect(compareApi(api([trait, traitItem(true)]), api([trait, traitItem(false)]))).toMatchObject({ classification: 'additive', additive: [{ change: 'now-provided' }] });
    expect(compareApi(api([trait, traitItem(false)]), api([trait, traitItem(true)]))).toMatchObject({ classification: 'breaking', breaking: [{ change: 'now-required' }] });
  });

  it('a new provided trait item is additive; a whole new trait is one addition', () => {
    expect(compareApi(api([trait]), api([trait, traitItem(false)])).classification).toBe('additive');
    expect(compareApi(api([]), api([trait, traitItem(true)])).additive.map((x) => x.path)).toEqual(['c::T']);
  });

  it('lists a removed module once, not each item inside it', () => {
    const m: ApiItem = { path: 'c::m', kind: 'module', signature: 'mod m' };
    const inside = (n: string): ApiItem => ({ path: `c::m::${n}`, kind: 'function', signature: `fn ${n}()` });
    const c = compareApi(api([m, inside('a'), inside('b')]), api([]));
    expect(c.breaking.map((x) => x.line)).toEqual(['removed module c::m: mod m']);
  });

  it('does not guess a rename when two removed items look alike', () => {
    const f = (n: string): ApiItem => ({ path: `c::${n}`, kind: 'function', signature: `fn ${n}()` });
    const c = compareApi(api([f('a'), f('b')]), api([f('z')]));
    expect(c.breaking.map((x) => x.change)).toEqual(['removed', 'removed']);
    expect(c.additive.map((x) => x.path)).toEqual(['c::z']);
  });

  it('keeps every change on one line', () => {
    const before = api([{ path: 'c::m', kind: 'macro', signature: 'macro_rules! m { () => {} }' }]);
    const after = api([{ path: 'c::m', kind: 'macro', signature: 'macro_rules! m {\n (x) => {}\n}' }]);
    expect(compareApi(before, after).breaking[0]!.line).not.toContain('\n');
  });
});
