import { type ComponentChangelog, type ReleaseHistoryRecord, collectChangelog } from '@bllvm/release';
import { type Component, type ComponentGraph, redactCredentials } from '@bllvm/manifest';
import type { OrchestratorConfig } from '@bllvm/contract';
import { ensureMirror, paths } from '@bllvm/sources';
import { type LastRelease, type ReleasePoint, lastRelease, pinsAt } from '@bllvm/orchestrator';

/**
 * The release this one follows. Re-publishing what last-release already marks (a rerun, or
 * --force) compares with the release before it, so a rerun writes the same notes. Pure.
 */
export function previousRelease(last: LastRelease | undefined, orchestratorCommit: string): ReleasePoint | undefined {
  return last && last.commit === orchestratorCommit ? last.previous : last;
}

/**
 * Find the previous release and collect the changelog since it from the mirrors: the one step of
 * a release that reads the components' sources, done where the builds are, never where the
 * tokens are.
 */
export async function collectReleaseHistory(
  io: { root: string; config: OrchestratorConfig; log: (line: string) => void },
  graph: ComponentGraph,
  stack: readonly Component[],
  orchestratorCommit: string,
): Promise<ReleaseHistoryRecord> {
  const current = Object.fromEntries(stack.map((c) => [c.id, c.pin.commit]));
  const repositories = Object.fromEntries(stack.map((c) => [c.id, c.repository]));
  const previous = previousRelease(await lastRelease(io.root), orchestratorCommit);
  const previousPins = previous ? await pinsAt(io.root, graph, previous.commit) : {};
  // The changelog reads the mirrors; make sure both ends are there (a fetch only if one is missing).
  for (const c of stack) await ensureMirror(io.config, c.repository, { commit: c.pin.commit, component: c.id });
  let changelog: ComponentChangelog[] | undefined;
  try {
    changelog = await collectChangelog({ mirrorDir: (id) => paths.mirror(io.config, repositories[id]!), previous: previousPins, current, repositories });
  } catch (e) {
    io.log(`warning: changelog not collected: ${redactCredentials((e as Error).message)}`);
  }
  const point = previous ? { commit: previous.commit, ...(previous.tag !== undefined ? { tag: previous.tag } : {}) } : undefined;
  return { orchestratorCommit, pins: current, ...(point ? { previous: point } : {}), ...(changelog ? { changelog } : {}) };
}
