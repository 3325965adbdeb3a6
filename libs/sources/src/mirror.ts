import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type SourcesConfig, paths, repositoryUrl } from './config';
import { SourcesError } from './errors';
import { git, gitReason } from './git';
import { withLock } from './lock';
import { fileRedirectTarget, redirectTarget } from './redirect';

/**
 * A bare mirror of a repository, cloned once and then fetched incrementally. Returns its path.
 * With `commit`, fetches only when the mirror does not have it yet, so a warm run does no network.
 */
export async function ensureMirror(
  cfg: SourcesConfig,
  repository: string,
  opts: { commit?: string; component?: string; refresh?: boolean } = {},
): Promise<string> {
  const mirror = paths.mirror(cfg, repository);
  const remote = repositoryUrl(cfg, repository);
  const details = { component: opts.component, commit: opts.commit, remote };
  return withLock(paths.lock(cfg, `mirror-${repository.replace('/', '--')}`), async () => {
    if (!existsSync(mirror)) {
      await mkdir(dirname(mirror), { recursive: true });
      const r = await git(['clone', '--quiet', '--mirror', '--end-of-options', remote, mirror]);
      if (!r.ok) throw new SourcesError(`cannot clone ${repository} from ${remote}: ${gitReason(r)}`, details);
    } else if (opts.refresh || (opts.commit && !(await hasCommit(mirror, opts.commit)))) {
      const r = await git(['fetch', '--quiet', '--prune', 'origin'], { cwd: mirror });
      if (!r.ok) throw new SourcesError(`cannot fetch ${repository} from ${remote}: ${gitReason(r)}`, details);
    }
    if (opts.commit && !(await hasCommit(mirror, opts.commit)))
      throw new SourcesError(
        `commit ${opts.commit} of ${opts.component ?? repository} does not exist in ${remote} (not reachable from any branch or tag)`,
        details,
      );
    return mirror;
  });
}

export async function hasCommit(repoDir: string, commit: string): Promise<boolean> {
  return (await git(['cat-file', '-e', `${commit}^{commit}`], { cwd: repoDir })).ok;
}

/** Is `ancestor` reachable from `descendant`? Used to refuse pin downgrades. */
export async function isAncestor(repoDir: string, ancestor: string, descendant: string): Promise<boolean> {
  return (await git(['merge-base', '--is-ancestor', ancestor, descendant], { cwd: repoDir })).ok;
}

/** Is `commit` on `branch` of the mirror (reachable from its tip)? */
export async function isOnBranch(repoDir: string, commit: string, branch: string): Promise<boolean> {
  return isAncestor(repoDir, commit, `refs/heads/${branch}`);
}

/** The commit a branch points at on the remote, with one `git ls-remote`. */
export async function remoteHead(cfg: SourcesConfig, repository: string, branch: string): Promise<string> {
  return (await remoteBranchHead(cfg, repository, branch)).commit;
}

/**
 * The commit a branch points at on the remote, and the owner/name of the repository that answered:
 * another than `repository` when the remote redirects (a renamed repository, redirect.ts). One
 * `git ls-remote`.
 */
export async function remoteBranchHead(cfg: SourcesConfig, repository: string, branch: string): Promise<{ commit: string; repository: string }> {
  const remote = repositoryUrl(cfg, repository);
  const r = await git(['ls-remote', '--end-of-options', remote, `refs/heads/${branch}`]);
  if (!r.ok) throw new SourcesError(`cannot reach ${remote}: ${gitReason(r)}`, { remote });
  const sha = r.stdout.split(/\s+/)[0];
  if (!sha || !/^[0-9a-f]{40}$/.test(sha)) throw new SourcesError(`branch ${branch} does not exist in ${remote}`, { remote });
  const answered = redirectTarget(cfg.gitBaseUrl, r.stderr) ?? (await fileRedirectTarget(cfg.gitBaseUrl, repository)) ?? repository;
  return { commit: sha, repository: answered };
}

/** The tags of the remote whose names match `pattern` (a ref glob after refs/tags/), with one `git ls-remote`. */
export async function remoteTags(cfg: SourcesConfig, repository: string, pattern: string): Promise<string[]> {
  const remote = repositoryUrl(cfg, repository);
  const r = await git(['ls-remote', '--tags', '--refs', '--end-of-options', remote, `refs/tags/${pattern}`]);
  if (!r.ok) throw new SourcesError(`cannot reach ${remote}: ${gitReason(r)}`, { remote });
  return r.stdout.split('\n').flatMap((l) => {
    const ref = l.split(/\s+/)[1];
    return ref?.startsWith('refs/tags/') ? [ref.slice('refs/tags/'.length)] : [];
  });
}

/** The commit a tag points at in the mirror (peeled), or undefined. */
export async function resolveTag(mirror: string, tag: string): Promise<string | undefined> {
  const r = await git(['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`], { cwd: mirror });
  return r.ok ? r.stdout : undefined;
}
