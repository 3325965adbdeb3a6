import { type ComponentChangelog, collectChangelog } from '@bllvm/release';
import { ensureMirror, paths } from '@bllvm/sources';
import { redactCredentials } from '@bllvm/manifest';
import { type LastRelease, type ReleasePoint, lastRelease, pinsAt } from '@bllvm/orchestrator';
import type { ReleaseSet } from './release-set';
import type { PublishRequest } from './request';

/** What this release follows, and what changed since. */
export interface ReleaseHistory {
  previous?: ReleasePoint;
  /** Undefined when it could not be collected: the release goes out without it (with a warning). */
  changelog?: ComponentChangelog[];
}

/**
 * The release this one follows. Re-publishing what last-release already marks (a rerun, or
 * --force) compares with the release before it, so a rerun writes the same notes. Pure.
 */
export function previousRelease(last: LastRelease | undefined, orchestratorCommit: string): ReleasePoint | undefined {
  return last && last.commit === orchestratorCommit ? last.previous : last;
}

/** Find the previous release and collect the changelog since it from the mirrors. */
export async function readHistory(req: PublishRequest, set: ReleaseSet): Promise<ReleaseHistory> {
  const { graph, current, repositories } = set;
  const cfg = req.config;
  const previous = previousRelease(await lastRelease(req.root), set.orchestratorCommit);
  const previousPins = previous ? await pinsAt(req.root, graph, previous.commit) : {};
  // The changelog reads the mirrors; make sure both ends are there (a fetch only if one is missing).
  for (const name of graph.components) await ensureMirror(cfg, repositories[name]!, { commit: current[name], component: name });
  let changelog: ComponentChangelog[] | undefined;
  try {
    changelog = await collectChangelog({
      mirrorDir: (c) => paths.mirror(cfg, repositories[c]!),
      previous: previousPins,
      current,
      repositories,
    });
  } catch (e) {
    req.log(`warning: changelog not collected: ${redactCredentials((e as Error).message)}`);
  }
  return { previous, changelog };
}
