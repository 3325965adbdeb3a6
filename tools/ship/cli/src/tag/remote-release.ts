import { type SourcesConfig, gitReason, repositoryUrl } from '@bllvm/sources';
import { CommandError } from '../command';
import type { ObjectFacts } from './decide';
import { plumbing } from './git-plumbing';
import type { ScratchObjects } from './release-objects';

/** The commit and tree a tag names in the (just fetched) mirror, or undefined when the remote has no such tag. */
export async function tagFacts(objects: ScratchObjects, tag: string): Promise<ObjectFacts | undefined> {
  const commit = await plumbing(['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`], { cwd: objects.mirror });
  if (!commit.ok) return undefined;
  return { commit: commit.stdout.trim(), tree: await objects.git(['rev-parse', '--verify', `refs/tags/${tag}^{tree}`]) };
}

/** Where a branch of the (just fetched) mirror is, relative to a release commit; undefined when there is no such branch. */
export async function branchFacts(objects: ScratchObjects, branch: string, release: string) {
  const head = await plumbing(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], { cwd: objects.mirror });
  if (!head.ok) return undefined;
  const commit = head.stdout.trim();
  const ancestor = async (a: string, b: string) => (await plumbing(['merge-base', '--is-ancestor', a, b], { cwd: objects.mirror, env: objects.env })).ok;
  return { commit, containsRelease: await ancestor(release, commit), behindRelease: await ancestor(commit, release) };
}

/**
 * Push `object` (a tag object or a commit) to `ref` of the component's repository, through the same
 * remote URL its mirror is fetched from (BLLVM_GIT_BASE_URL, whose credentials, if any, are never
 * printed). Never forced: a ref that moved meanwhile makes the remote refuse, and the rerun decides again.
 */
export async function pushObject(cfg: SourcesConfig, repository: string, objects: ScratchObjects, object: string, ref: string): Promise<void> {
  const url = repositoryUrl(cfg, repository);
  const r = await plumbing(['push', '--quiet', '--no-verify', '--end-of-options', url, `${object}:${ref}`], { cwd: objects.mirror, env: objects.env });
  // git repeats the URL: name the repository instead, so not even a credential-free URL is printed.
  if (!r.ok) throw new CommandError(`cannot push ${ref} to ${repository}: ${gitReason({ ...r, stderr: r.stderr.split(url).join(repository) })}`);
}
