import { type ChangedInput, describeChangedInputs } from './changed-inputs';
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

/** What changed in a component's own folder: its pin, or other files of it. */
function ownReasons(graph: ComponentGraph, changedFiles: readonly string[], pinChanges: Readonly<Record<string, PinChange>>): Map<string, string> {
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
  return reasons;
}

/**
 * The affected components that neither changed themselves nor depend on an affected one: what
 * took them is a file one of their targets reads (changedInputs says which). Pure.
 */
export function unexplained(
  graph: ComponentGraph,
  affected: ReadonlySet<string>,
  changedFiles: readonly string[],
  pinChanges: Readonly<Record<string, PinChange>>,
): string[] {
  const own = ownReasons(graph, changedFiles, pinChanges);
  return graph.components.filter((c) => affected.has(c) && !own.has(c) && !graph.dependencies[c]!.some((d) => affected.has(d)));
}

/**
 * Explain a selection made by `nx affected`. The selection itself comes from Nx; this only says
 * why each component is in it, from the files that changed, the graph and, for a component that
 * neither changed nor depends on an affected one, the inputs of its targets that changed.
 */
export function explainAffected(
  graph: ComponentGraph,
  affected: ReadonlySet<string>,
  changedFiles: readonly string[],
  pinChanges: Readonly<Record<string, PinChange>>,
  changedInputs: Readonly<Record<string, readonly ChangedInput[]>> = {},
): PlannedComponent[] {
  const reasons = ownReasons(graph, changedFiles, pinChanges);
  // Files at the workspace's top (nx.json, package.json, …) are what Nx reads as a change to all.
  const topLevel = changedFiles.filter((f) => !f.includes('/'));
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
    const inputs = changedInputs[component] ?? [];
    if (inputs.length) return { component, build: true, reason: describeChangedInputs(inputs) };
    return { component, build: true, reason: `workspace-wide change (${topLevel.length ? topLevel.join(', ') : 'nx.json, package.json or shared config'})` };
  });
}

function short(sha?: string): string {
  return sha ? sha.slice(0, 7) : '(none)';
}
