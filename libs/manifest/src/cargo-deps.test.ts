import { describe, expect, it } from 'vitest';
import { compareGraph } from './cargo-deps';


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
