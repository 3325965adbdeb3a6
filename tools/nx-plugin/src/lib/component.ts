import { type ComponentGraph, type Pin, pinPath, readComponentGraph, readPin, upstreamOf } from '@bllvm/manifest';
import type { OrchestratorConfig } from '@bllvm/contract';
import { type SourcesConfig, prepareSources } from '@bllvm/sources';

/** Everything a task needs to know about its component: the pins of it and its upstreams, checked out side by side. */
export interface ComponentContext {
  workspaceRoot: string;
  component: string;
  graph: ComponentGraph;
  pin: Pin;
  /** Transitive upstream components, dependencies first. */
  upstream: string[];
  pins: Record<string, Pin>;
  sources: SourcesConfig;
}

export async function loadComponent(workspaceRoot: string, component: string, config: OrchestratorConfig): Promise<ComponentContext> {
  const graph = await readComponentGraph(workspaceRoot);
  if (!graph.components.includes(component)) throw new Error(`${component} is not a component project (tag "component")`);
  const upstream = upstreamOf(graph, component);
  const pins: Record<string, Pin> = {};
  for (const c of [...upstream, component]) pins[c] = await readPin(pinPath(workspaceRoot, graph.roots[c]!));
  return { workspaceRoot, component, graph, pin: pins[component]!, upstream, pins, sources: config };
}

/** Check out the component and all its upstreams at their pins. Returns component → checkout path. */
export async function checkoutStack(ctx: ComponentContext): Promise<Record<string, string>> {
  return prepareSources(
    ctx.sources,
    [...ctx.upstream, ctx.component].map((c) => ({ component: c, pin: ctx.pins[c]! })),
  );
}
