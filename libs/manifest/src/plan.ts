import type { ComponentGraph } from './graph';

export interface PlannedComponent {
  component: string;
  build: boolean;
  /** Why it is (or is not) built, for people reading the plan. */
  reason: string;
}

export interface PinChange {
  from?: string;
  to?: string;
}

/**
 * Explain a selection made by `nx affected`. The selection itself comes from Nx; this only says
 * why each component is in it, from the files that changed and the graph.
 */
export function explainAffected(
  graph: ComponentGraph,
  affected: ReadonlySet<string>,
  changedFiles: readonly string[],
  pinChanges: Readonly<Record<string, PinChange>>,
): PlannedComponent[] {
  const reasons = new Map<string, string>();
  for (const component of graph.components) {
    const root = graph.roots[component]! + '/';
    const pin = pinChanges[component];
    if (pin) {
      reasons.set(component, `pin moved ${short(pin.from)} -> ${short(pin.to)}`);
      continue;
    }
    const touched = changedFiles.filter((f) => f.startsWith(root));
    if (touched.length) reasons.set(component, `changed: ${touched.map((f) => f.slice(root.length)).join(', ')}`);
  }
  return graph.components.map((component) => {
    if (!affected.has(component)) {
      // Its tests still re-run when a dev upstream is affected (a test input, not a graph edge).
      const dev = (graph.testUpstreams?.[component] ?? []).filter((d) => affected.has(d));
      return { component, build: false, reason: dev.length ? `unchanged; its tests re-run: they use ${dev.join(', ')}` : 'unchanged' };
    }
    const own = reasons.get(component);
    if (own) return { component, build: true, reason: own };
    const via = graph.dependencies[component]!.filter((d) => affected.has(d));
    if (via.length) return { component, build: true, reason: `depends on ${via.join(', ')}` };
    return { component, build: true, reason: 'workspace-wide change (nx.json, package.json or shared config)' };
  });
}

function short(sha?: string): string {
  return sha ? sha.slice(0, 7) : '(none)';
}
