/**
 * `version --check-api`: each library whose pin moved since the base (last-release by default) has
 * its public API documented at both (its `api` target, rustdoc JSON made in the build sandbox, in a
 * scratch clone sharing this checkout's work dir and cache) and compared; a planned version that
 * cargo would still take as compatible with a broken API is refused, naming what breaks.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrchestratorConfig } from '@bllvm/contract';
import { type ApiComparison, type PlannedVersion, refuseTooSmallBump } from '@bllvm/crates';
import type { ComponentGraph } from '@bllvm/manifest';
import { pinsAt, resolveRevision } from '@bllvm/orchestrator';
import { CommandError } from '../command';
import { type ApiState, apiInState, compareStates } from '../scratch/api-in-state';
import { ScratchStack } from '../scratch/scratch-stack';

/** What the check found for one library: its comparison, or why there is none. */
export type ApiCheck = { component: string; comparison: ApiComparison } | { component: string; problem: string };

/** The libraries to compare: those whose pin differs between the base and now. Pure. */
export function librariesToCompare(graph: ComponentGraph, before: Record<string, string | undefined>, now: Record<string, string | undefined>): string[] {
  return graph.components.filter((c) => (graph.tags[c] ?? []).includes('kind:library') && before[c] && now[c] && before[c] !== now[c]);
}

/** The refusals of a plan, one message per library whose planned version is too small for its API change. Pure. */
export function apiRefusals(plan: readonly Pick<PlannedVersion, 'component' | 'crate' | 'from' | 'to'>[], checks: readonly ApiCheck[]): string[] {
  const byComponent = new Map(plan.map((p) => [p.component, p]));
  return checks.flatMap((c) => {
    const p = byComponent.get(c.component);
    if (!p || !('comparison' in c)) return [];
    const refusal = refuseTooSmallBump({ crate: p.crate, from: p.from, to: p.to, comparison: c.comparison });
    return refusal ? [refusal] : [];
  });
}

/** One line per library compared: its classification and count of changes, or why it could not be. Pure. */
export function describeChecks(checks: readonly ApiCheck[], base: string): string[] {
  if (!checks.length) return [`public API: no library's pin moved since ${base}`];
  return checks.map((c) =>
    'problem' in c
      ? `public API of ${c.component}: not compared (${c.problem})`
      : `public API of ${c.component} since ${base}: ${c.comparison.classification}${c.comparison.breaking.length + c.comparison.additive.length ? ` (${c.comparison.breaking.length} breaking, ${c.comparison.additive.length} additive)` : ''}`,
  );
}

/** Documents each moved library's API at the base and now, in a scratch clone, and compares them. */
export async function checkApis(o: { root: string; base: string; graph: ComponentGraph; config: OrchestratorConfig; env: NodeJS.ProcessEnv; log: (line: string) => void }): Promise<ApiCheck[]> {
  const baseCommit = await resolveRevision(o.root, o.base).catch(() => {
    throw new CommandError(`--api-base: "${o.base.slice(0, 80)}" is not a revision of this repository`);
  });
  const head = await resolveRevision(o.root, 'HEAD');
  const libraries = librariesToCompare(o.graph, await pinsAt(o.root, o.graph, baseCommit), await pinsAt(o.root, o.graph, head));
  if (!libraries.length) return [];
  o.log(`version: documenting the public API of ${libraries.join(', ')} at ${o.base} and now (the api target, in the build sandbox)`);
  const scratch = await mkdtemp(join(tmpdir(), 'bllvm-api-'));
  try {
    const stack = await ScratchStack.open({ root: o.root, dir: scratch, commit: head, graph: o.graph, config: o.config, env: o.env, log: o.log });
    const now: Record<string, ApiState> = {};
    for (const c of libraries) now[c] = await apiInState(stack, c);
    await stack.moveTo(baseCommit);
    const checks: ApiCheck[] = [];
    for (const c of libraries) {
      checks.push({ component: c, ...compareStates(await apiInState(stack, c), now[c]!, { before: `at ${o.base}`, after: 'now' }) });
    }
    return checks;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
