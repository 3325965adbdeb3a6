import { SourcesError } from './errors';
import { git, gitReason } from './git';

/** A commit of a component's repository as a report names it. */
export interface CommitInfo {
  sha: string;
  subject: string;
  /** `Name <email>` of the author. */
  author: string;
  /** Author date, ISO 8601. */
  date: string;
}

/**
 * The commits that lead from `from` (exclusive) to `to` (inclusive) in a mirror, oldest first:
 * `git log --ancestry-path`, so a merged side branch's commits are listed only where they lie on
 * the way (the candidates of a bisection inside the repository).
 */
export async function commitRange(mirror: string, from: string, to: string): Promise<CommitInfo[]> {
  const r = await git(['log', '--reverse', '--ancestry-path', '--format=%H%x1f%an <%ae>%x1f%aI%x1f%s', `${from}..${to}`], { cwd: mirror });
  if (!r.ok) throw new SourcesError(`cannot list the commits from ${from.slice(0, 12)} to ${to.slice(0, 12)}: ${gitReason(r)}`);
  return r.stdout.split('\n').filter(Boolean).map((line) => {
    const [sha, author = '', date = '', subject = ''] = line.split('\x1f');
    return { sha: sha!, author, date, subject };
  });
}

/** One commit's facts. */
export async function commitInfo(repo: string, sha: string): Promise<CommitInfo> {
  const r = await git(['show', '-s', '--format=%H%x1f%an <%ae>%x1f%aI%x1f%s', sha], { cwd: repo });
  if (!r.ok) throw new SourcesError(`cannot read commit ${sha.slice(0, 12)}: ${gitReason(r)}`);
  const [full, author = '', date = '', subject = ''] = r.stdout.split('\x1f');
  return { sha: full!, author, date, subject };
}
