import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ManifestError } from './errors';
import { type Input, devUpstreamsOf } from './test-inputs';

/**
 * The component graph as declared in apps/<name>/project.json (implicitDependencies): the single
 * source of truth. Everything else (build order, versions.toml requires, plans) is derived from it.
 */
export interface ComponentGraph {
  /** Components in topological order (dependencies first), ties broken by name. */
  components: string[];
  /** component → the components it depends on directly. */
  dependencies: Record<string, string[]>;
  /** component → project root relative to the workspace (apps/<name>). */
  roots: Record<string, string>;
  /** component → its tags (e.g. kind:binary). */
  tags: Record<string, string[]>;
  /** component → the components only its tests use (dev upstreams named in its test target's inputs; see test-inputs.ts). */
  testUpstreams?: Record<string, string[]>;
}

export const COMPONENT_TAG = 'component';

interface ProjectJson {
  name?: string;
  tags?: string[];
  implicitDependencies?: string[];
  targets?: { test?: { inputs?: Input[] } };
}

/** Read the component projects straight from their project.json files (no Nx start-up needed). */
export async function readComponentGraph(workspaceRoot: string): Promise<ComponentGraph> {
  const appsDir = join(workspaceRoot, 'apps');
  const entries = await readdir(appsDir, { withFileTypes: true });
  const dependencies: Record<string, string[]> = {};
  const roots: Record<string, string> = {};
  const tags: Record<string, string[]> = {};
  const testUpstreams: Record<string, string[]> = {};
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const file = join(appsDir, entry.name, 'project.json');
    let project: ProjectJson;
    try {
      project = JSON.parse(await readFile(file, 'utf8')) as ProjectJson;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new ManifestError(file, `cannot read project: ${(err as Error).message}`);
    }
    if (!project.tags?.includes(COMPONENT_TAG)) continue;
    const name = project.name ?? entry.name;
    dependencies[name] = [...(project.implicitDependencies ?? [])].sort();
    roots[name] = `apps/${entry.name}`;
    tags[name] = project.tags;
    testUpstreams[name] = devUpstreamsOf(project.targets?.test?.inputs);
  }
  return { components: topologicalOrder(dependencies), dependencies, roots, tags, testUpstreams };
}

/** Dependencies first; throws naming the cycle or the undefined dependency. */
export function topologicalOrder(dependencies: Record<string, readonly string[]>, file = 'graph'): string[] {
  const names = Object.keys(dependencies).sort();
  for (const name of names)
    for (const dep of dependencies[name]!)
      if (!Object.hasOwn(dependencies, dep)) throw new ManifestError(file, `"${name}" depends on undefined component "${dep}"`);
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]) => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      throw new ManifestError(file, `dependency cycle: ${cycle.join(' -> ')}`);
    }
    state.set(name, 'visiting');
    for (const dep of [...dependencies[name]!].sort()) visit(dep, [...path, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of names) visit(name, []);
  return order;
}

/** All components that depend on any of `changed`, directly or not, plus `changed` themselves. */
export function withDependents(graph: Pick<ComponentGraph, 'components' | 'dependencies'>, changed: Iterable<string>): string[] {
  const selected = new Set(changed);
  // Topological order means every dependency is decided before its dependents.
  for (const name of graph.components)
    if (graph.dependencies[name]!.some((d) => selected.has(d))) selected.add(name);
  return graph.components.filter((c) => selected.has(c));
}

/** All transitive dependencies of a component (not including itself), in topological order. */
export function upstreamOf(graph: Pick<ComponentGraph, 'components' | 'dependencies'>, component: string): string[] {
  const needed = new Set<string>();
  const visit = (name: string) => {
    for (const dep of graph.dependencies[name] ?? []) {
      if (!needed.has(dep)) {
        needed.add(dep);
        visit(dep);
      }
    }
  };
  visit(component);
  return graph.components.filter((c) => needed.has(c));
}
