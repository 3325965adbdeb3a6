import { describe, expect, it } from 'vitest';
import { decideBranch, decideTag } from './decide';

const PIN = 'p'.repeat(40);
const OURS = { commit: 'c'.repeat(40), tree: 't'.repeat(40), parent: PIN };

describe('decideTag', () => {
  it('pushes a missing tag, takes one on the same tree (any commit) as done, refuses any other', () => {
    expect(decideTag('v0.1.1', 'O/r', OURS, undefined)).toEqual({ action: 'push' });
    expect(decideTag('v0.1.1', 'O/r', OURS, { commit: 'e'.repeat(40), tree: OURS.tree })).toEqual({ action: 'done', commit: 'e'.repeat(40) });
    const r = decideTag('v0.1.1', 'O/r', OURS, { commit: 'e'.repeat(40), tree: 'f'.repeat(40) });
    expect(r).toEqual({
      action: 'refuse',
      reason: `tag v0.1.1 of O/r is on commit ${'e'.repeat(40)} (tree fffffff), not on a commit with the release tree ttttttt expected (release commit ${OURS.commit} on ${PIN}); a tag is never moved: delete it in O/r, or plan another version`,
    });
  });
});

describe('decideBranch', () => {
  it('fast-forwards a branch at (or behind) the pin, is done when it holds the release, refuses one that moved on', () => {
    const head = (containsRelease: boolean, behindRelease: boolean) => ({ commit: 'h'.repeat(40), containsRelease, behindRelease });
    expect(decideBranch('main', 'O/r', OURS, head(false, true))).toEqual({ action: 'push' });
    expect(decideBranch('main', 'O/r', OURS, head(true, false))).toEqual({ action: 'done' });
    expect(decideBranch('main', 'O/r', OURS, head(false, false))).toEqual({
      action: 'refuse',
      reason: `branch main of O/r is at ${'h'.repeat(40)}, which the release commit ${OURS.commit} does not build on (it builds on the pin ${PIN}); move the pin to the branch head and plan again, or tag without --push-branch`,
    });
    expect(decideBranch('dev', 'O/r', OURS, undefined)).toEqual({ action: 'refuse', reason: 'branch dev does not exist in O/r' });
  });
});
