import { describe, expect, it } from 'vitest';
import { mirrorRefName, parseTrialRef } from './ref';

describe('a trial ref', () => {
  it('is a commit, a pull request head or a branch, each resolved by its full name', () => {
    expect(parseTrialRef('0123456789abcdef0123456789abcdef01234567')).toEqual({ kind: 'sha', sha: '0123456789abcdef0123456789abcdef01234567' });
    expect(parseTrialRef('abc1234')).toEqual({ kind: 'sha', sha: 'abc1234' });
    expect(parseTrialRef('pull/42/head')).toEqual({ kind: 'pull', number: 42 });
    expect(parseTrialRef('refs/pull/42/head')).toEqual({ kind: 'pull', number: 42 });
    expect(parseTrialRef('feature/x')).toEqual({ kind: 'branch', branch: 'feature/x' });
    expect(parseTrialRef('refs/heads/main')).toEqual({ kind: 'branch', branch: 'main' });
    expect(mirrorRefName({ kind: 'pull', number: 42 })).toBe('refs/pull/42/head^{commit}');
    expect(mirrorRefName({ kind: 'branch', branch: 'main' })).toBe('refs/heads/main^{commit}');
    expect(mirrorRefName({ kind: 'sha', sha: 'abc1234' })).toBe('abc1234^{commit}');
  });

  it('refuses what git could read as an option or another revision, in one line', () => {
    expect(() => parseTrialRef('pull/0/head')).toThrow('ref "pull/0/head" is not a pull request head: write pull/<number>/head');
    expect(() => parseTrialRef('pull/7/merge')).toThrow(/not a pull request head/);
    expect(() => parseTrialRef('--upload-pack=x')).toThrow(/^ref "--upload-pack=x" is neither a commit, pull\/<n>\/head nor a branch/);
    expect(() => parseTrialRef('main~1')).toThrow(/contains characters outside/);
    expect(() => parseTrialRef('a..b')).toThrow(/contains "\.\."/);
    expect(() => parseTrialRef('HEAD')).toThrow(/"HEAD" is not a branch/);
    expect(() => parseTrialRef('')).toThrow(/must not be empty/);
    expect(() => parseTrialRef('x\ny')).toThrow(/^ref "x\?y"/);
  });
});
