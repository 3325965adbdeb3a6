import { describe, expect, it } from 'vitest';
import { canonicalName, crateForIndexPath, crateNameProblem, indexPath } from './names';

describe('indexPath', () => {
  it('places names in cargo’s tiers, lowercased', () => {
    expect(indexPath('a')).toBe('1/a');
    expect(indexPath('Ab')).toBe('2/ab');
    expect(indexPath('mid')).toBe('3/m/mid');
    expect(indexPath('leaf')).toBe('le/af/leaf');
    expect(indexPath('Cargo_Registry-x')).toBe('ca/rg/cargo_registry-x');
    expect(() => indexPath('')).toThrow(/empty/);
  });

  it('maps only the paths cargo would form back to a name', () => {
    expect(crateForIndexPath('le/af/leaf')).toBe('leaf');
    expect(crateForIndexPath('3/m/mid')).toBe('mid');
    expect(crateForIndexPath('1/a')).toBe('a');
    expect(crateForIndexPath('2/ab')).toBe('ab');
    expect(crateForIndexPath('le/af/Leaf')).toBeNull(); // cargo asks lowercase
    expect(crateForIndexPath('xx/af/leaf')).toBeNull();
    expect(crateForIndexPath('3/x/mid')).toBeNull();
    expect(crateForIndexPath('leaf')).toBeNull();
    expect(crateForIndexPath('le/af/../leaf')).toBeNull();
    expect(crateForIndexPath('config.json')).toBeNull();
  });
});

describe('crate names', () => {
  it('accepts crates.io’s names and says what is wrong with others', () => {
    expect(crateNameProblem('serde_json')).toBeNull();
    expect(crateNameProblem('a-1')).toBeNull();
    expect(crateNameProblem('')).toMatch(/empty/);
    expect(crateNameProblem('1abc')).toMatch(/start with an ASCII letter/);
    expect(crateNameProblem('ab.c')).toMatch(/only ASCII letters/);
    expect(crateNameProblem('é')).toMatch(/start with an ASCII letter/);
    expect(crateNameProblem('x'.repeat(65))).toMatch(/longer than 64/);
    expect(crateNameProblem('x'.repeat(64))).toBeNull();
    expect(crateNameProblem('NUL')).toMatch(/reserved/);
  });

  it('folds case and -/_ for collisions', () => {
    expect(canonicalName('Foo_Bar')).toBe(canonicalName('foo-bar'));
    expect(canonicalName('foo')).not.toBe(canonicalName('fo-o'));
  });
});
