import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Bump, CRATES_IO_SPARSE_INDEX, DEVELOP_PRE, type DevelopPlan, developUsed, type PublishedVersion, type VersionPlan, planDevelop, planVersions, readCrateManifest, sparseIndexVersions, updateCrateManifest,
} from '@bllvm/crates';
import { type Stack, VERSIONS_FILE, parseVersions, readStack } from '@bllvm/manifest';
import { inTurn, remoteTags } from '@bllvm/sources';
import { type CommandContext, CommandError } from '../command';
import type { ManifestPreview } from './describe-plan';
import { readPinnedManifests } from './pinned-manifests';

/** What a version plan is asked for: the bumps named, and whether it is the develop set. */
export interface StackPlanRequest {
  develop: boolean;
  bumps?: (stack: Stack) => Record<string, Exclude<Bump, 'patch'>>;
}

export interface StackPlan<P extends VersionPlan = VersionPlan> {
  stack: Stack;
  registry: string;
  versionsFile: string;
  versionsText: string;
  plan: P;
  /** What each release commit is to change, made by the same editor the release commits use. */
  manifests: ManifestPreview;
}

/**
 * The next version of every component's crate: versions.toml, each Cargo.toml at its pin (read from
 * the mirrors' objects, nothing run) and every version the registry ever had, then the plan (the
 * official one, or the develop set) and each manifest's edits, made in memory so anything the editor
 * cannot edit fails here. Shared by `version` and `develop`; writes nothing.
 */
export async function planStack(request: StackPlanRequest & { develop: true }, ctx: CommandContext): Promise<StackPlan<DevelopPlan>>;
export async function planStack(request: StackPlanRequest, ctx: CommandContext): Promise<StackPlan>;
export async function planStack(request: StackPlanRequest, ctx: CommandContext): Promise<StackPlan> {
  const stack = await readStack(ctx.workspaceRoot);
  const versionsFile = join(ctx.workspaceRoot, VERSIONS_FILE);
  const versionsText = await readFile(versionsFile, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new CommandError(`cannot read ${versionsFile}: ${e.code ?? e.message}`);
  });
  const versions = parseVersions(versionsText, versionsFile, { components: stack.components });
  for (const w of versions.warnings) ctx.err(`warning: ${w}`);
  const bumps = request.bumps?.(stack) ?? {};

  const registry = ctx.config.cargoRegistry ?? CRATES_IO_SPARSE_INDEX;
  ctx.err(`version: reading ${stack.components.length} crates at their pins, and their versions on ${registry}`);
  const pinned = await readPinnedManifests(ctx.config, stack.components);
  const crates = Object.fromEntries(stack.components.map((c) => [c.id, readCrateManifest(pinned[c.id]!.text, pinned[c.id]!.file)]));
  const used = sparseIndexVersions(registry);
  const names = [...new Set(Object.values(crates).flatMap((m) => (m.name ? [m.name] : [])))];
  const found = await inTurn(names, 4, (n) => used(n));
  const published: Record<string, PublishedVersion[]> = Object.fromEntries(names.map((n, i) => [n, found[i]!]));
  if (request.develop) {
    // Dev versions tagged by a nightly that stopped before its upload are taken too (developUsed).
    const tags = await inTurn(stack.components, 4, (c) => remoteTags(ctx.config, c.repository, `v*-${DEVELOP_PRE}.*`));
    stack.components.forEach((c, i) => {
      const name = crates[c.id]!.name;
      if (name) published[name] = developUsed(published[name] ?? [], tags[i]!);
    });
  }

  const input = { order: stack.graph.components, versions: versions.entries, crates, used: published, bumps };
  const plan = request.develop ? planDevelop(input) : planVersions(input);
  const next = Object.fromEntries(plan.components.map((r) => [r.crate, r.to]));
  const manifests: ManifestPreview = {};
  for (const r of plan.components) {
    const { file, text } = pinned[r.component]!;
    const { changed, leftAlone } = updateCrateManifest(text, file, { version: r.to, dependencies: next });
    manifests[r.component] = { file, changed, leftAlone };
  }
  return { stack, registry, versionsFile, versionsText, plan, manifests };
}
