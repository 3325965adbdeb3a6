import { describe, expect, it } from 'vitest';
import { tagCommitProblem, uncommittedPinsProblem } from './gate';

describe('publish gate', () => {
  it('refuses pins with uncommitted changes, naming them', () => {
    expect(uncommittedPinsProblem([])).toBeUndefined();
    expect(uncommittedPinsProblem(['apps/a/pin.toml', 'apps/b/pin.toml'])).toBe(
      'pins have uncommitted changes (apps/a/pin.toml, apps/b/pin.toml); commit them first: a release must be of a recorded set of pins',
    );
  });

  it('publishes a nightly only from the commit its tag names; a release tag names none', () => {
    const nightly = { tag: 'nightly-20260102-abcdef1', nightly: true, tagSha: 'abcdef1' };
    expect(tagCommitProblem(nightly, 'abcdef1' + '0'.repeat(33))).toBeUndefined();
    expect(tagCommitProblem(nightly, '1234567' + '0'.repeat(33))).toBe('tag nightly-20260102-abcdef1 names orchestrator commit abcdef1, but HEAD is 1234567');
    expect(tagCommitProblem({ tag: 'v1.0.0', nightly: false }, '1234567' + '0'.repeat(33))).toBeUndefined();
  });
});
