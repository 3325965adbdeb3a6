import { type ComponentGraph, testDependents } from '@bllvm/manifest';
import { NO_RELEASE_YET, resolveBase } from '@bllvm/orchestrator';
import { affectedProjects } from './nx';

/**
 * The components a run of `targets` covers: every one without a base; with one, those `nx
 * affected` selects, and (when tests run) the components whose tests use an affected one, since
 * Nx's affected follows build edges only. `last-release` before the first release selects every
 * one, which `say` is told in one line.
 */
export async function selectComponents(
  workspaceRoot: string,
  graph: ComponentGraph,
  base: string | undefined,
  targets: readonly string[],
  say: (line: string) => void,
): Promise<string[]> {
  if (base === undefined) return graph.components;
  const baseSha = await resolveBase(workspaceRoot, base);
  if (baseSha === undefined) {
    say(NO_RELEASE_YET);
    return graph.components;
  }
  const affected = new Set(await affectedProjects(workspaceRoot, baseSha));
  if (targets.includes('test')) for (const c of testDependents(graph.testUpstreams ?? {}, affected)) affected.add(c);
  return graph.components.filter((c) => affected.has(c));
}
