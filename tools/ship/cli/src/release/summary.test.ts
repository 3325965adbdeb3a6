import { describe, expect, it } from 'vitest';
import type { TaskOutcome } from '../run-targets';
import { releaseSummaryLine } from './summary';

const TAG = 'nightly-20260102-abcdef1';
const URL = `https://github.com/BTCDecoded/bllvm/releases/tag/${TAG}`;
const task = (task: string, status: TaskOutcome['status'], extra: Partial<TaskOutcome> = {}): TaskOutcome => {
  const [project, target] = task.split(':') as [string, string];
  return { task, project, target, status, ...extra };
};
const built = task('bllvm:build', 'built');
const gate = task('bllvm:release', 'built');
const publishTask = (status: TaskOutcome['status'], message: string | undefined, publish?: TaskOutcome['publish']) =>
  task('release-set:release', status, { ...(message !== undefined ? { message } : {}), ...(publish ? { publish } : {}) });

describe('the last line of a release run', () => {
  it('published, deploy signal sent (or none to send): the publish step\'s own line', () => {
    const tasks = [built, gate, publishTask('built', `published ${TAG}: ${URL}`, { tag: TAG, published: true, url: URL, deploy: 'sent' })];
    expect(releaseSummaryLine(TAG, tasks)).toEqual({ line: `published ${TAG}: ${URL}`, published: true });
    const noSignal = [publishTask('built', `published ${TAG}: ${URL}`, { tag: TAG, published: true, url: URL, deploy: 'none' })];
    expect(releaseSummaryLine(TAG, noSignal)).toEqual({ line: `published ${TAG}: ${URL}`, published: true });
  });

  it('a dry run says it was one and that nothing was published', () => {
    const tasks = [publishTask('built', `dry run of ${TAG}: 9 write(s) would be made, none was`, { tag: TAG, published: false, deploy: 'none' })];
    expect(releaseSummaryLine(TAG, tasks)).toEqual({ line: `dry run of ${TAG}: 9 write(s) would be made, none was`, published: false });
  });

  it('published, deploy signal failed: says published and that the signal failed, never "nothing published"', () => {
    const message = `published ${TAG}; deploy signal failed: sendDeploy BTCDecoded/governance-app failed: HTTP 503; resend it with npx nx run release-set:release --tag=${TAG} --deployOnly --excludeTaskDependencies`;
    const { line, published } = releaseSummaryLine(TAG, [built, gate, publishTask('failed', message, { tag: TAG, published: true, url: URL, deploy: 'failed' })]);
    expect(line).toBe(message);
    expect(line).not.toMatch(/nothing published/);
    expect(published).toBe(true);
  });

  it('published, a later step failed with a message that does not say so: still starts with published', () => {
    const tasks = [publishTask('failed', 'git push origin last-release: rejected\nremote: hook declined', { tag: TAG, published: true, url: URL, deploy: 'sent' })];
    expect(releaseSummaryLine(TAG, tasks)).toEqual({ line: `published ${TAG}: ${URL}; then failed: git push origin last-release: rejected`, published: true });
  });

  it('nothing published: the publish step failed before the release went public', () => {
    const tasks = [built, publishTask('failed', `${TAG} not published: the publish stopped at its deadline while it was to upload the assets; not done: …\n  detail`, { tag: TAG, published: false, deploy: 'none' })];
    expect(releaseSummaryLine(TAG, tasks)).toEqual({
      line: `nothing published: failed: release-set:release (${TAG} not published: the publish stopped at its deadline while it was to upload the assets; not done: …)`,
      published: false,
    });
  });

  it('nothing published: a build failed and the publish step was skipped, or it died without a record', () => {
    const failedBuild = [task('bllvm:build', 'failed', { message: 'cargo build failed' }), publishTask('skipped', 'a task it depends on failed')];
    expect(releaseSummaryLine(TAG, failedBuild)).toEqual({ line: 'nothing published: failed: bllvm:build (cargo build failed)', published: false });
    expect(releaseSummaryLine(TAG, [publishTask('failed', 'exited with code 137')])).toEqual({ line: 'nothing published: failed: release-set:release (exited with code 137)', published: false });
    expect(releaseSummaryLine(TAG, [])).toEqual({ line: 'nothing published: the publish step did not run', published: false });
  });
});
