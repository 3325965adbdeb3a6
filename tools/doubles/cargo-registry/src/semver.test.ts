import { describe, expect, it } from 'vitest';
import { compareSemVer, compareVersionText, parseSemVer } from './semver';

describe('semver', () => {
  it('parses SemVer 2.0.0 and refuses what cargo refuses', () => {
    expect(parseSemVer('1.2.3-alpha.1+build.5')).toEqual({ major: 1, minor: 2, patch: 3, pre: ['alpha', '1'], build: 'build.5' });
    for (const bad of ['1.2', 'v1.2.3', '01.2.3', '1.2.3-', '1.2.3-01', '1.2.3+', ' 1.2.3', '1.2.3.4']) expect(parseSemVer(bad), bad).toBeNull();
  });

  it('orders by precedence, ignoring build metadata', () => {
    const sorted = ['1.0.0', '0.1.0', '1.0.0-alpha.beta', '1.0.0-alpha', '1.0.0-rc.1', '1.0.0-alpha.1', '1.0.0-beta.11', '1.0.0-beta.2', '1.0.0-beta', '0.10.0', '0.9.9'].sort(compareVersionText);
    expect(sorted).toEqual(['0.1.0', '0.9.9', '0.10.0', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0']);
    expect(compareSemVer(parseSemVer('1.0.0+a')!, parseSemVer('1.0.0+b')!)).toBe(0);
    expect(() => compareVersionText('1.0', '1.0.0')).toThrow(/not a semantic version: 1.0/);
  });
});
