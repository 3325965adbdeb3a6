import type { ComponentGraph } from '@bllvm/manifest';
import { git, gitReason } from '@bllvm/sources';
import type { PinSet, PinnedRevision } from './bisect-steps';
import { RepoError } from './errors';
import { pinsAt } from './pins';

/**
 * This repository's first-parent history from `good` (exclusive) to `bad` (inclusive), oldest
 * first, each commit with the pins it records: what a bisection's first phase walks. Refuses a
 * `good` that is not an ancestor of `bad` (the range would mean nothing).
 */
export async function pinHistory(root: string, graph: ComponentGraph, good: string, bad: string): Promise<{ good: PinSet; revisions: PinnedRevision[] }> {
  const ancestor = await git(['merge-base', '--is-ancestor', good, bad], { cwd: root });
  if (!ancestor.ok) throw new RepoError(`${good.slice(0, 12)} (good) is not an ancestor of ${bad.slice(0, 12)} (bad): nothing to bisect between them`);
  const log = await git(['log', '--first-parent', '--reverse', '--format=%H%x1f%s', `${good}..${bad}`], { cwd: root });
  if (!log.ok) throw new RepoError(`cannot list the commits between ${good.slice(0, 12)} and ${bad.slice(0, 12)}: ${gitReason(log)}`);
  const revisions: PinnedRevision[] = [];
  for (const line of log.stdout.split('\n').filter(Boolean)) {
    const [commit, subject = ''] = line.split('\x1f');
    revisions.push({ commit: commit!, subject, pins: await pinsAt(root, graph, commit!) });
  }
  return { good: await pinsAt(root, graph, good), revisions };
}
