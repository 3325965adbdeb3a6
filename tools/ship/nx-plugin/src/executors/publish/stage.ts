import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DIST_DIR } from '@bllvm/manifest';
import { type PlanInput, type StagedFile, planRelease, stageArtifacts } from '@bllvm/release';
import { commitDate } from '@bllvm/orchestrator';
import type { ReleaseHistory } from './history';
import type { ReleaseSet } from './release-set';
import type { PublishRequest } from './request';

/**
 * Stage the release set (archives, SHA256SUMS, manifest, notes) into a fresh dist/release/<tag>;
 * in a dry run, print the plan of what would be published.
 */
export async function stageReleaseSet(req: PublishRequest, set: ReleaseSet, history: ReleaseHistory): Promise<StagedFile[]> {
  await rm(req.outDir, { recursive: true, force: true });
  const staged = await stageArtifacts({
    distDir: join(req.root, DIST_DIR),
    outDir: req.outDir,
    tag: req.tag,
    components: set.components,
    orchestratorCommit: set.orchestratorCommit,
    createdAt: await commitDate(req.root, set.orchestratorCommit),
    changelog: history.changelog,
    previousTag: history.previous?.tag,
    orchestratorRepository: `${req.owner}/${req.repo}`,
  });
  req.log(`staged ${staged.length} files in ${req.outDir}`);
  if (req.dryRun) req.log(planRelease(planInput(req.tag, set, history, staged)).trimEnd());
  return staged;
}

/** The dry run's plan: each component at its pinned commit and built version, and the staged files. Pure. */
export function planInput(
  tag: string,
  set: Pick<ReleaseSet, 'graph' | 'components' | 'current'>,
  history: ReleaseHistory,
  staged: readonly Pick<StagedFile, 'name'>[],
): PlanInput {
  return {
    tag,
    previousTag: history.previous?.tag,
    components: set.graph.components.map((c) => ({ component: c, commit: set.current[c]!, version: set.components.find((x) => x.name === c)!.buildRecord.version })),
    files: staged.map((f) => f.name),
  };
}
