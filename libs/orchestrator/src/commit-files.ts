import { git, gitReason } from '@bllvm/sources';
import { RepoError } from './errors';
import { identityArgs, mustGit } from './git';
import { type PushTarget, pushOutcome } from './move-pins';
import { headCommit } from './repo';

export interface CommitFilesOptions {
  workspaceRoot: string;
  /** Paths relative to the workspace root; only these are staged and committed. */
  files: readonly string[];
  message: string;
  push?: PushTarget;
  log: (line: string) => void;
}

/**
 * Commit `files` as they are in the worktree (nothing else of the index goes with them) and push
 * the commit when asked. Returns the commit, or undefined when the files were already committed
 * as they are (a rerun commits nothing). A refused or raced push leaves the commit local and says
 * so: rerunning the same command pushes it, or (after a race) starts again from the remote's state.
 */
export async function commitFiles(o: CommitFilesOptions): Promise<string | undefined> {
  const cwd = o.workspaceRoot;
  await mustGit(cwd, ['add', '--', ...o.files]);
  if ((await git(['diff', '--cached', '--quiet', '--', ...o.files], { cwd })).ok) return undefined;
  await mustGit(cwd, [...(await identityArgs(cwd)), 'commit', '--quiet', '-m', o.message, '--', ...o.files]);
  const commit = await headCommit(cwd);
  if (!o.push) return commit;
  const pushed = await git(['push', '--quiet', o.push.remote, `HEAD:refs/heads/${o.push.branch}`], { cwd });
  if (!pushed.ok) {
    const why = pushOutcome(pushed.stderr) === 'refused' ? 'refused' : 'raced with another update';
    throw new RepoError(`cannot push ${commit.slice(0, 7)} to ${o.push.remote}/${o.push.branch} (${why}): ${gitReason(pushed)}`);
  }
  o.log(`pushed ${commit.slice(0, 7)} to ${o.push.remote}/${o.push.branch}`);
  return commit;
}
