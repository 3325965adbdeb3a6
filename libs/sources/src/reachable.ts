import { type SourcesConfig } from './config';
import { ensureMirror, hasCommit, isOnBranch } from './mirror';

/**
 * Why `commit` cannot be a pin of `component` (tracking `branch` of `repository`), or undefined
 * when it can: it must exist in the repository and be reachable from the branch's tip, or the
 * next nightly's fast-forward from it fails. Fetches the mirror first, so a fresh commit is seen.
 * Unreachable remotes throw SourcesError (its message carries no credentials).
 */
export async function pinCommitProblem(
  cfg: SourcesConfig,
  pin: { component: string; repository: string; branch: string; commit: string },
): Promise<string | undefined> {
  const mirror = await ensureMirror(cfg, pin.repository, { refresh: true, component: pin.component });
  if (!(await hasCommit(mirror, pin.commit))) return `${pin.component}: commit ${pin.commit} does not exist in ${pin.repository}`;
  if (!(await isOnBranch(mirror, pin.commit, pin.branch)))
    return `${pin.component}: commit ${pin.commit} is not reachable from ${pin.repository} branch ${pin.branch} (a side branch or a rewritten history); pin a commit of ${pin.branch}, or pass --branch`;
  return undefined;
}
