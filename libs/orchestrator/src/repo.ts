import { PIN_FILE } from '@bllvm/manifest';
import { git, gitReason } from '@bllvm/sources';
import { RepoError } from './errors';
import { mustGit } from './git';

/** Git facts about this (the orchestrator's) repository, which records the pins that are released. */
export async function headCommit(root: string): Promise<string> {
  const r = await git(['rev-parse', 'HEAD'], { cwd: root });
  if (!r.ok) throw new RepoError(`cannot read HEAD of ${root}: ${gitReason(r)}`);
  return r.stdout;
}

/** Committer date of a commit: a release's timestamp that is the same on every rerun. */
export async function commitDate(root: string, commit: string): Promise<string> {
  const r = await git(['show', '-s', '--format=%cI', commit], { cwd: root });
  if (!r.ok) throw new RepoError(`cannot read commit ${commit}: ${gitReason(r)}`);
  return new Date(r.stdout).toISOString();
}

/** Resolve a revision, with a clear error for a ref that does not exist (e.g. a tag not fetched). */
export async function resolveRevision(root: string, rev: string): Promise<string> {
  const r = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { cwd: root });
  if (!r.ok) throw new RepoError(`unknown revision "${rev.slice(0, 80)}" in ${root} (fetch it first, e.g. git fetch origin tag ${rev})`);
  return r.stdout;
}

/** Files changed between `base` and the working tree (committed, staged, unstaged and untracked). */
export async function changedFilesSince(root: string, base: string): Promise<string[]> {
  const diff = await mustGit(root, ['diff', '--name-only', '--end-of-options', base]);
  const untracked = await mustGit(root, ['ls-files', '--others', '--exclude-standard']);
  return [...new Set([...lines(diff.stdout), ...lines(untracked.stdout)])].sort();
}

/** A file's content at a revision, or undefined where it did not exist. */
export async function showFile(root: string, rev: string, path: string): Promise<string | undefined> {
  const r = await git(['show', `${rev}:${path}`], { cwd: root });
  return r.ok ? r.stdout : undefined;
}

/** Pin files with changes not committed: publishing them would release pins no commit records. */
export async function uncommittedPins(root: string): Promise<string[]> {
  // Names only (not `status --porcelain` columns), so no path is cut by column arithmetic.
  const spec = `apps/*/${PIN_FILE}`;
  const changed = await mustGit(root, ['diff', '--name-only', 'HEAD', '--', spec]);
  const untracked = await mustGit(root, ['ls-files', '--others', '--exclude-standard', '--', spec]);
  return [...new Set([...lines(changed.stdout), ...lines(untracked.stdout)])].sort();
}

/** Refuse to commit on top of tracked changes: `git commit` would take staged ones along. */
export async function assertCleanWorktree(root: string): Promise<void> {
  const r = await mustGit(root, ['status', '--porcelain', '--untracked-files=no']);
  if (r.stdout) throw new RepoError(`the workspace has uncommitted changes; commit or stash them before moving pins:\n${r.stdout}`);
}

/**
 * Put HEAD back at `start` when commits were made since (a dry run's pin commit, a pin commit
 * whose push failed), keeping the working tree's unrelated changes. True when it moved HEAD.
 * Never throws: it runs while another error is on its way out, which must not be masked.
 */
export async function restoreHead(root: string, start: string): Promise<boolean> {
  const now = await git(['rev-parse', 'HEAD'], { cwd: root });
  if (!now.ok || now.stdout === start) return false;
  return (await git(['reset', '--quiet', '--keep', start], { cwd: root })).ok;
}

function lines(s: string): string[] {
  return s.split('\n').filter(Boolean);
}
