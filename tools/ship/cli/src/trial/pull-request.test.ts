import { describe, expect, it } from 'vitest';
import { checkPullRequestHead } from './pull-request';

const HEAD = '1'.repeat(40);
const claimed = { repository: 'O/node', number: 5, sha: HEAD };
const pr = { number: 5, headSha: HEAD, headRepository: 'O/node', baseRepository: 'O/node', state: 'open' };

describe("checking a payload's head against the pull request", () => {
  it('accepts the head GitHub reports, and tells a fork apart', () => {
    expect(checkPullRequestHead(claimed, pr)).toEqual({ ok: true, fork: false });
    expect(checkPullRequestHead(claimed, { ...pr, headRepository: 'someone/node' })).toEqual({ ok: true, fork: true });
    expect(checkPullRequestHead(claimed, { ...pr, headRepository: null })).toEqual({ ok: true, fork: true });
    expect(checkPullRequestHead({ ...claimed, repository: 'o/NODE' }, pr)).toEqual({ ok: true, fork: false });
  });

  it('refuses a forged head, another pull request, another repository and a closed pull request', () => {
    expect(checkPullRequestHead({ ...claimed, sha: '2'.repeat(40) }, pr)).toEqual({
      ok: false, reason: `the event's head ${'2'.repeat(12)} is not the head of pull request O/node#5 (${'1'.repeat(12)}): refused, nothing built`,
    });
    expect(checkPullRequestHead(claimed, { ...pr, number: 6 })).toMatchObject({ ok: false, reason: 'GitHub answered for pull request #6, not O/node#5' });
    expect(checkPullRequestHead(claimed, { ...pr, baseRepository: 'X/node' })).toMatchObject({ ok: false, reason: 'pull request O/node#5 belongs to X/node, not O/node' });
    expect(checkPullRequestHead(claimed, { ...pr, state: 'closed' })).toMatchObject({ ok: false, reason: 'pull request O/node#5 is closed: only an open pull request is tried' });
  });
});
