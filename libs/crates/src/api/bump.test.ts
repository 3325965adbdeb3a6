import { describe, expect, it } from 'vitest';
import { bumpNeeded, refuseTooSmallBump } from './bump';
import type { ApiChange, ApiComparison } from './compare-api';

const change = (path: string): ApiChange => ({ path, kind: 'function', change: 'removed', line: `removed fn ${path}: fn x()` });
const breaking = (n = 1): ApiComparison => ({ classification: 'breaking', breaking: Array.from({ length: n }, (_, i) => change(`c::f${i}`)), additive: [] });

describe('bumpNeeded', () => {
  it('breaking: major from 1.x, minor under 0.x, patch under 0.0.x (each already leaves cargo’s compatible range)', () => {
    expect(bumpNeeded('1.4.2', 'breaking')).toBe('major');
    expect(bumpNeeded('0.1.3', 'breaking')).toBe('minor');
    expect(bumpNeeded('0.0.3', 'breaking')).toBe('patch');
  });

  it('additive: minor from 1.x, patch under 0.x; nothing changed: patch', () => {
    expect(bumpNeeded('1.4.2', 'additive')).toBe('minor');
    expect(bumpNeeded('0.1.3', 'additive')).toBe('patch');
    expect(bumpNeeded('2.0.0', 'none')).toBe('patch');
  });

  it('refuses what is not a version', () => {
    expect(() => bumpNeeded('1.2', 'none')).toThrow('"1.2" is not a semantic version (expected MAJOR.MINOR.PATCH)');
  });
});

describe('refuseTooSmallBump', () => {
  it('refuses a patch of a breaking change under 0.x, listing the breaking items', () => {
    expect(refuseTooSmallBump({ crate: 'gate', from: '0.1.3', to: '0.1.4', comparison: breaking(2) })).toBe(
      'gate 0.1.3 → 0.1.4 keeps cargo-compatible versions, but its public API has 2 breaking changes: it needs at least a minor bump\n' +
        '  - removed fn c::f0: fn x()\n  - removed fn c::f1: fn x()',
    );
  });

  it('refuses a minor bump of a breaking change from 1.x', () => {
    expect(refuseTooSmallBump({ crate: 'gate', from: '1.2.3', to: '1.3.0', comparison: breaking() })).toMatch(/^gate 1\.2\.3 → 1\.3\.0 .* 1 breaking change: it needs at least a major bump\n {2}- removed fn c::f0/);
  });

  it('accepts a bump that leaves the compatible range, and anything for a change that is not breaking', () => {
    expect(refuseTooSmallBump({ crate: 'gate', from: '0.1.3', to: '0.2.0', comparison: breaking() })).toBeUndefined();
    expect(refuseTooSmallBump({ crate: 'gate', from: '1.2.3', to: '2.0.0', comparison: breaking() })).toBeUndefined();
    expect(refuseTooSmallBump({ crate: 'gate', from: '0.0.3', to: '0.0.4', comparison: breaking() })).toBeUndefined();
    expect(refuseTooSmallBump({ crate: 'gate', from: '1.2.3', to: '1.2.4', comparison: { classification: 'additive', breaking: [], additive: [change('c::g')] } })).toBeUndefined();
  });

  it('lists at most 30 changes and counts the rest', () => {
    const message = refuseTooSmallBump({ crate: 'gate', from: '0.1.3', to: '0.1.4', comparison: breaking(45) })!;
    expect(message.split('\n')).toHaveLength(1 + 30 + 1);
    expect(message).toMatch(/\n {2}… and 15 more$/);
  });

  it('refuses versions it cannot read, naming the crate', () => {
    expect(() => refuseTooSmallBump({ crate: 'gate', from: 'one', to: '0.1.4', comparison: breaking() })).toThrow('gate: "one" is not a semantic version');
  });
});
