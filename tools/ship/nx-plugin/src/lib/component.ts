import { type Component, type ComponentGraph, type Pin, readComponentGraph, readComponents, upstreamOf } from '@bllvm/manifest';
import type { OrchestratorConfig } from '@bllvm/contract';
import { type SourcesConfig, ensureCheckout, prepareSources, siblingFolders } from '@bllvm/sources';

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

/**
 * Check out the component, all its upstreams and every other component a manifest of the set names
 * by path (a `[patch.crates-io]` table lists siblings it may not depend on, and cargo needs them to
 * exist; the containment check reads every manifest of the set), each at its pin, until nothing new
 * is named. Returns component → checkout path.
 */
export async function checkoutStack(ctx: ComponentContext): Promise<Record<string, string>> {
  const set = [...ctx.upstream, ctx.self];
  const folders = new Set(set.map((c) => c.checkoutFolder));
  let others: Component[] | undefined;
  // What this loop checked out is handed on, so the set's own checks do not check it out again.
  const checkedOut: Record<string, string> = {};
  const ensure = async (c: Component) => (checkedOut[c.id] = await ensureCheckout(ctx.sources, c.id, c.pin));
  for (let todo = set; todo.length > 0; ) {
    const named = (await Promise.all(todo.map(async (c) => siblingFolders(await ensure(c), c.crate.dir)))).flat();
    const wanted = new Set(named.filter((f) => !folders.has(f)));
    if (wanted.size === 0) break;
    others ??= await otherComponents(ctx);
    todo = others.filter((c) => wanted.has(c.checkoutFolder));
    for (const c of todo) folders.add(c.checkoutFolder);
    set.push(...todo);
  }
  return prepareSources(
    ctx.sources,
    set.map((c) => ({ component: c.id, pin: c.pin })),
    checkedOut,
  );
}

/**
 * Every component outside the component and its upstreams, read from its pin. A broken pin is
 * skipped: it fails this task only if a manifest needs its folder, and then as a path outside the
 * checkouts, naming the file and line.
 */
async function otherComponents(ctx: ComponentContext): Promise<Component[]> {
  const others = ctx.graph.components.filter((id) => id !== ctx.component && !ctx.upstream.some((u) => u.id === id));
  const read = await Promise.allSettled(others.map(async (id) => (await readComponents(ctx.workspaceRoot, ctx.graph, [id]))[0]!));
  return read.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
}
