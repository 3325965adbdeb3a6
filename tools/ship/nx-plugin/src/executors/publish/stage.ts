import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DevelopSet } from '@bllvm/crates';
import { DIST_DIR } from '@bllvm/manifest';
import { type PlanInput, type ReleasePlan, type StagedFile, planRelease, stageArtifacts } from '@bllvm/release';
import { notesCrates } from './notes-crates';
import type { PublishRequest } from './request';

/**
 * Stage the release plan (archives, SHA256SUMS, manifest, notes) into a fresh dist/release/<tag>;
 * in a dry run, print the plan of what would be published.
 */
export async function stageReleaseSet(req: PublishRequest, plan: ReleasePlan, develop: DevelopSet | undefined): Promise<StagedFile[]> {
  await rm(req.outDir, { recursive: true, force: true });
  const staged = await stageArtifacts({
    distDir: join(req.root, DIST_DIR),
    outDir: req.outDir,
    tag: plan.tag,
    components: plan.components,
    orchestratorCommit: plan.orchestratorCommit,
    createdAt: plan.createdAt,
    changelog: plan.changelog,
    previousTag: plan.previous?.tag,
    orchestratorRepository: `${req.owner}/${req.repo}`,
    crates: notesCrates(plan, develop),
  });
  req.log(`staged ${staged.length} files in ${req.outDir}`);
  if (req.dryRun) req.log(planRelease(planInput(plan, staged)).trimEnd());
  return staged;
}

/** The dry run's plan: each component at its pinned commit and built version, and the staged files. Pure. */
export function planInput(plan: Pick<ReleasePlan, 'tag' | 'previous' | 'components'>, staged: readonly Pick<StagedFile, 'name'>[]): PlanInput {
  return {
    tag: plan.tag,
    previousTag: plan.previous?.tag,
    components: plan.components.map((c) => ({ component: c.name, commit: c.commit, version: c.buildRecord.version })),
    files: staged.map((f) => f.name),
  };
}
