/**
 * The part of the stack a trial builds, pure: the tried component and everything downstream of it
 * (through its dependencies, and through tests that use it), with the edges between them.
 */
import type { ComponentGraph } from '@bllvm/manifest';
import type { TrialOutcome } from '@bllvm/orchestrator';

export function affectedGraph(graph: Pick<ComponentGraph, 'components' | 'dependencies' | 'testUpstreams'>, component: string): TrialOutcome['graph'] {
  const uses = (c: string) => [...(graph.dependencies[c] ?? []), ...(graph.testUpstreams?.[c] ?? [])];
  const selected = new Set([component]);
  // A test upstream may point either way in graph order: grow to a fixpoint.
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of graph.components)
      if (!selected.has(c) && uses(c).some((u) => selected.has(u))) {
        selected.add(c);
        grew = true;
      }
  }
  const nodes = graph.components.filter((c) => selected.has(c));
  const edges: Array<[string, string]> = [];
  for (const downstream of nodes)
    for (const upstream of [...new Set(uses(downstream))].sort()) if (selected.has(upstream)) edges.push([upstream, downstream]);
  return { nodes, edges };
}
