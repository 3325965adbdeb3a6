import { describe, expect, it } from 'vitest';
import { previousRelease } from './history';

describe('previous release', () => {
  const before = { commit: 'b'.repeat(40), tag: 'nightly-20260101-bbbbbbb' };
  const last = { commit: 'c'.repeat(40), tag: 'nightly-20260102-ccccccc', previous: before };

  it('is what last-release marks when publishing a new commit', () => {
    expect(previousRelease(last, 'd'.repeat(40))).toBe(last);
    expect(previousRelease(undefined, 'd'.repeat(40))).toBeUndefined();
  });

  it('is the release before it when re-publishing the commit last-release marks', () => {
    expect(previousRelease(last, 'c'.repeat(40))).toBe(before);
    expect(previousRelease({ commit: 'c'.repeat(40) }, 'c'.repeat(40))).toBeUndefined();
  });
});
