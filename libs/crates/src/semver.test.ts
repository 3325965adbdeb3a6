import { describe, expect, it } from 'vitest';
import { admits, bumpVersion, compareVersions, compatible, formatVersion, parseRequirement, parseVersion, rewriteRequirement } from './semver';

const v = (s: string) => {
  const p = parseVersion(s);
  if (!p) throw new Error(`bad test version ${s}`);
  return p;
};
const ok = (req: string, version: string) => admits(parseRequirement(req)!, v(version));

describe('versions', () => {
  it('parses strict semantic versions, drops build metadata, refuses the rest', () => {
    expect(v('0.1.5-dev.3+abc')).toEqual({ major: 0, minor: 1, patch: 5, pre: ['dev', '3'] });
    for (const bad of ['0.1', '01.2.3', 'v1.2.3', '1.2.3-', '1.2.3-01', ' 1.2.3', '1.2.3.4']) expect(parseVersion(bad), bad).toBeUndefined();
  });

  it('orders by precedence: a pre-release before its release, numeric identifiers numerically', () => {
    const sorted = ['1.0.0', '0.1.10', '0.1.5-dev.10', '0.1.5-dev.2', '0.1.5', '0.1.4', '0.1.5-alpha'].map(v).sort(compareVersions).map(formatVersion);
    expect(sorted).toEqual(['0.1.4', '0.1.5-alpha', '0.1.5-dev.2', '0.1.5-dev.10', '0.1.5', '0.1.10', '1.0.0']);
  });

  it('bumps, a pre-release leading to its release', () => {
    expect(formatVersion(bumpVersion(v('0.1.3'), 'patch'))).toBe('0.1.4');
    expect(formatVersion(bumpVersion(v('0.1.3'), 'minor'))).toBe('0.2.0');
    expect(formatVersion(bumpVersion(v('0.1.3'), 'major'))).toBe('1.0.0');
    expect(formatVersion(bumpVersion(v('0.1.5-dev.3'), 'patch'))).toBe('0.1.5');
    expect(formatVersion(bumpVersion(v('0.1.5-dev.3'), 'minor'))).toBe('0.2.0');
    expect(formatVersion(bumpVersion(v('0.2.0-dev.1'), 'minor'))).toBe('0.2.0');
    expect(formatVersion(bumpVersion(v('1.0.0-rc.1'), 'major'))).toBe('1.0.0');
  });

  it('tells breaking from compatible as cargo does: under 0.x the minor, under 0.0.x the patch', () => {
    expect(compatible(v('0.1.9'), v('0.1.0'))).toBe(true);
    expect(compatible(v('0.2.0'), v('0.1.9'))).toBe(false);
    expect(compatible(v('0.0.2'), v('0.0.1'))).toBe(false);
    expect(compatible(v('1.9.0'), v('1.0.0'))).toBe(true);
    expect(compatible(v('2.0.0'), v('1.9.9'))).toBe(false);
  });
});

describe('requirements', () => {
  it.each([
    // the org's range
    ['>=0.1, <1', '0.1.0', true],
    ['>=0.1, <1', '0.9.7', true],
    ['>=0.1, <1', '1.0.0', false],
    ['>=0.1, <1', '0.0.9', false],
    ['>=0.1, <1', '1.0.0-rc.1', false],
    // caret, written or not
    ['0.1', '0.1.9', true],
    ['0.1', '0.2.0', false],
    ['^0.1.2', '0.1.1', false],
    ['^0.1.2', '0.1.2', true],
    ['0.0.3', '0.0.4', false],
    ['0.0', '0.0.7', true],
    ['0', '0.9.0', true],
    ['1.2', '1.9.0', true],
    ['1.2', '2.0.0', false],
    // exact
    ['=0.1.2', '0.1.2', true],
    ['=0.1.2', '0.1.3', false],
    ['=0.1', '0.1.7', true],
    // tilde, wildcards, other operators
    ['~1.2.3', '1.2.9', true],
    ['~1.2.3', '1.3.0', false],
    ['~1', '1.8.0', true],
    ['0.1.*', '0.1.4', true],
    ['0.1.*', '0.2.0', false],
    ['*', '7.0.0', true],
    ['>0.1', '0.1.9', false],
    ['>0.1', '0.2.0', true],
    ['<=0.1', '0.1.9', true],
    ['<0.2', '0.2.0-dev.1', false],
    // pre-releases match only a comparator naming their own X.Y.Z
    ['0.1', '0.1.5-dev.1', false],
    ['=0.1.5-dev.1', '0.1.5-dev.1', true],
    ['>=0.1.5-dev.1, <0.2', '0.1.5-dev.2', true],
  ])('%s admits %s: %s', (req, version, expected) => {
    expect(ok(req, version)).toBe(expected);
  });

  it('refuses what cargo would not read', () => {
    for (const bad of ['', 'latest', '>=0.1,', '0.1 || 0.2', '==1.0', '>= 0.1 <1', 'x.1']) expect(parseRequirement(bad), bad).toBeUndefined();
  });

  it.each([
    ['0.1', '0.2.0', '0.2'],
    ['^0.1', '0.2.0', '^0.2'],
    ['0.1.2', '0.2.0', '0.2.0'],
    ['=0.1.2', '0.1.3', '=0.1.3'],
    ['= 0.1.2', '0.1.3', '=0.1.3'],
    ['~0.1', '0.2.0', '~0.2'],
    ['0.1.*', '0.2.0', '0.2.*'],
    ['>=0.1, <1', '1.0.0', '>=1.0, <2'],
    ['>=0.1.0,<0.2.0', '0.2.1', '>=0.2.1,<0.3.0'],
    ['>= 0.1, < 0.2', '0.2.0', '>=0.2, <0.3'],
    ['<0.5', '0.6.0', '<0.7'],
    ['>=0.3', '0.2.1', '>=0.2'],
    ['1', '2.0.0', '2'],
  ])('%s rewritten for %s is %s, which admits it', (req, version, expected) => {
    expect(rewriteRequirement(req, v(version))).toBe(expected);
    expect(ok(expected, version)).toBe(true);
  });

  it.each([
    // cargo's rule: a pre-release is matched only by a comparator naming a pre-release of its own X.Y.Z
    ['0.1.5-dev.3', '0.1.5-dev.3', true],
    ['0.1.5-dev.3', '0.1.5-dev.10', true],
    ['0.1.5-dev.3', '0.1.5-dev.2', false],
    ['0.1.5-dev.3', '0.1.5', true],
    ['0.1.5-dev.3', '0.1.9', true],
    ['0.1.5-dev.3', '0.1.6-dev.1', false],
    ['0.1.5-dev.3', '0.2.0-dev.1', false],
    ['0.1.5-dev.3', '0.1.5-alpha.9', false],
    ['0.1.5-dev.3', '0.1.5-dev', false],
    ['=0.1.5-dev.3', '0.1.5-dev.4', false],
    ['~0.1.5-dev.3', '0.1.5-dev.4', true],
    ['>0.1.5-dev.3', '0.1.5-dev.3', false],
    ['>=0.1.4', '0.1.5-dev.1', false],
    ['<0.1.5', '0.1.5-dev.1', false],
    ['>=0.1.4, <0.1.5-dev.9', '0.1.5-dev.1', true],
    ['*', '0.1.5-dev.1', false],
    ['0.1.*', '0.1.5-dev.1', false],
  ])('pre-release: %s admits %s: %s', (req, version, expected) => {
    expect(ok(req, version)).toBe(expected);
  });

  it.each([
    ['0.1', '0.1.5-dev.3', '0.1.5-dev.3'],
    ['^0.1.2', '0.1.5-dev.3', '^0.1.5-dev.3'],
    ['=0.1.4', '0.1.5-dev.3', '=0.1.5-dev.3'],
    ['=0.1.5-dev.2', '0.1.5-dev.3', '=0.1.5-dev.3'],
    ['~0.1', '0.1.5-dev.3', '~0.1.5-dev.3'],
    ['0.1.*', '0.1.5-dev.3', '0.1.5-dev.3'],
    ['>=0.1, <1', '0.1.5-dev.3', '>=0.1.5-dev.3, <1'],
    ['^0.1, <0.5', '0.1.5-dev.3', '^0.1.5-dev.3, <0.5'],
    ['>=0.1, <0.2', '0.2.0-dev.1', '>=0.2.0-dev.1, <0.3'],
    ['0.1', '1.0.0-dev.1', '1.0.0-dev.1'],
  ])('%s rewritten for the pre-release %s is %s, which admits it', (req, version, expected) => {
    expect(rewriteRequirement(req, v(version))).toBe(expected);
    expect(ok(expected, version)).toBe(true);
  });

  it('keeps a requirement that already names an earlier pre-release of the same X.Y.Z', () => {
    expect(rewriteRequirement('0.1.5-dev.2', v('0.1.5-dev.3'))).toBeUndefined();
    expect(rewriteRequirement('>=0.1.5-dev.1, <1', v('0.1.5-dev.3'))).toBeUndefined();
  });

  it('leaves a requirement that admits the version as it is', () => {
    expect(rewriteRequirement('>=0.1, <1', v('0.2.0'))).toBeUndefined();
    expect(rewriteRequirement('0.1', v('0.1.5'))).toBeUndefined();
  });
});
