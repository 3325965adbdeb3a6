import { type Component, type ComponentGraph, type Pin, readComponentGraph, readComponents, upstreamOf } from '@bllvm/manifest';
import type { OrchestratorConfig } from '@bllvm/contract';
import { type SourcesConfig, prepareSources } from '@bllvm/sources';

/** Everything a task needs to know about its component: it and its upstreams with their pins, checked out side by side. */
export interface ComponentContext {
  workspaceRoot: string;
  /** The component the task is for. */
  self: Component;
  /** `self.id` and `self.pin`, which nearly every line of an executor needs. */
  component: string;
  pin: Pin;
  /** Transitive upstream components, dependencies first. */
  upstream: Component[];
  graph: ComponentGraph;
  sources: SourcesConfig;
}

export async function loadComponent(workspaceRoot: string, component: string, config: OrchestratorConfig): Promise<ComponentContext> {
  const graph = await readComponentGraph(workspaceRoot);
  if (!graph.components.includes(component)) throw new Error(`${component} is not a component project (tag "component")`);
  // Only this component's pins and its upstreams': a broken pin elsewhere must not fail this task.
  const stack = await readComponents(workspaceRoot, graph, [...upstreamOf(graph, component), component]);
  const self = stack.at(-1)!;
  return { workspaceRoot, self, component, pin: self.pin, upstream: stack.slice(0, -1), graph, sources: config };
}

/** Check out the component and all its upstreams at their pins. Returns component → checkout path. */
export async function checkoutStack(ctx: ComponentContext): Promise<Record<string, string>> {
  return prepareSources(
    ctx.sources,
    [...ctx.upstream, ctx.self].map((c) => ({ component: c.id, pin: c.pin })),
  );
}
