import { describe, expect, it } from 'vitest';
import { GitHubApiError } from '@bllvm/github';
import { DeploySignalError } from './deploy';
import { failureMessage } from './executor';
import { type PublishProgress, publishOutcome, publishSteps, startProgress } from './progress';

const TAG = 'nightly-20260102-abcdef1';
const deadline = new GitHubApiError(
  { operation: 'uploadAsset', owner: 'o', repo: 'r', tag: TAG, asset: 'bllvm-node.tar.gz' },
  { code: 'deadline', reason: 'the publish deadline passed before GitHub answered; nothing is lost, rerun the same command' },
);
const silent = new GitHubApiError({ operation: 'getTag', owner: 'o', repo: 'r', tag: TAG }, { code: 'timeout', reason: 'GitHub (or a proxy in front of it) accepted the connection but sent no answer: no answer within 30 s, after retries' });
const nightly = { nightly: true, deployComponent: 'governance-app', deployOnly: false };

function at(step: PublishProgress['step'], extra: Partial<PublishProgress> = {}): PublishProgress {
  return { ...startProgress(TAG, publishSteps(nightly)), step, ...extra };
}

describe('the steps of a publish', () => {
  it('are those the request runs: pruning only for a nightly, the deploy signal only when configured, only the signal with deployOnly', () => {
    expect(publishSteps(nightly)).toEqual(['stage', 'crates', 'draft', 'upload', 'verify', 'public', 'prune', 'deploy', 'last-release']);
    expect(publishSteps({ nightly: false, deployOnly: false })).toEqual(['stage', 'crates', 'draft', 'upload', 'verify', 'public', 'last-release']);
    expect(publishSteps({ nightly: false, deployOnly: false, crates: false })).toEqual(['stage', 'draft', 'upload', 'verify', 'public', 'last-release']);
    expect(publishSteps({ nightly: true, deployComponent: 'x', deployOnly: true })).toEqual(['deploy']);
  });
});

describe('a publish that GitHub stopped answering', () => {
  it('at the deadline while uploading: names every step not done, that nothing is public, and how to resume', () => {
    const [first, ...detail] = failureMessage(deadline, at('upload')).split('\n');
    expect(first).toBe(
      `${TAG} not published: the publish stopped at its deadline while it was to upload the assets; ` +
        'not done: upload the assets, verify the uploaded assets, make the release public, prune old nightlies, send the deploy signal, move last-release; ' +
        'the release is a draft (nothing public, no tag); rerun the same command to resume: it finds the draft and completes it',
    );
    expect(detail.join('\n')).toContain(`uploadAsset o/r tag ${TAG} asset bllvm-node.tar.gz failed: the publish deadline passed`);
    expect(detail.join('\n')).toMatch(/deadlineMinutes option or BLLVM_PUBLISH_DEADLINE_MINUTES/);
  });

  it('before the draft existed: says nothing is public, and that a rerun makes the draft', () => {
    expect(failureMessage(silent, at('draft')).split('\n')[0]).toBe(
      `${TAG} not published: the publish stopped because GitHub stopped answering while it was to create (or find) the draft release; ` +
        'not done: create (or find) the draft release, upload the assets, verify the uploaded assets, make the release public, prune old nightlies, send the deploy signal, move last-release; ' +
        'nothing is public; rerun the same command to resume: it finds the draft (if one was made) and completes it',
    );
  });

  it('after the release went public: says so, and that the rerun only does what is left', () => {
    const p = at('prune', { published: true, url: 'https://h/r' });
    expect(failureMessage(deadline, p).split('\n')[0]).toBe(
      `published ${TAG} (https://h/r), but the publish stopped at its deadline while it was to prune old nightlies; ` +
        `not done: prune old nightlies, send the deploy signal, move last-release; rerun the same command to resume: it finds ${TAG} complete and does only what is left`,
    );
  });
});

describe('a deploy signal alone (deployOnly) that GitHub did not answer', () => {
  it('says the signal was not sent, and to rerun it; nothing about the release, which it did not touch', () => {
    const p = { ...startProgress(TAG, publishSteps({ nightly: true, deployComponent: 'governance-app', deployOnly: true })), step: 'deploy' as const };
    expect(failureMessage(deadline, p).split('\n')[0]).toBe(`${TAG}: the publish stopped at its deadline while it was to send the deploy signal; not done: send the deploy signal; rerun the same command to resume`);
  });
});

describe('what a failed publish reports', () => {
  it('a failure after the release went public starts with "published" and says what is left', () => {
    const p = at('last-release', { published: true, url: 'https://h/r', deploy: 'sent' });
    expect(failureMessage(new Error('git push origin last-release: rejected'), p)).toBe(
      `published ${TAG} (https://h/r); then move last-release failed: git push origin last-release: rejected; not done: move last-release; rerun the same command: it finds ${TAG} complete and does only what is left`,
    );
  });

  it('a failed deploy signal keeps its own message (published; resend only the signal)', () => {
    const e = new DeploySignalError(TAG, 'HTTP 503');
    expect(failureMessage(e, at('deploy', { published: true, deploy: 'failed' }))).toBe(e.message);
  });

  it('a failure before anything was public converges on a rerun, as before', () => {
    expect(failureMessage(new Error('upload failed'), at('upload'))).toBe('upload failed -- nothing is lost: rerun the same command to complete the release');
    expect(failureMessage(new Error('bad option'))).toBe('bad option -- nothing is lost: rerun the same command to complete the release');
  });

  it('the outcome the task records for the summary: whether the release is public, its URL and the deploy signal', () => {
    expect(publishOutcome(at('upload'))).toEqual({ tag: TAG, published: false, deploy: 'none' });
    expect(publishOutcome(at('deploy', { published: true, url: 'https://h/r', deploy: 'failed' }))).toEqual({ tag: TAG, published: true, url: 'https://h/r', deploy: 'failed' });
  });
});
