import { TOOL_BUNDLE_TARGET } from '../nx';
import type { GraphTask } from './protocol';

/** The part of Nx's TaskGraph these functions read (without loading Nx). */
export interface TaskGraphShape<T extends { id: string; target: { project: string; target: string } }> {
  roots: string[];
  tasks: Record<string, T>;
  dependencies: Record<string, string[]>;
  continuousDependencies: Record<string, string[]>;
}

/** Project configurations as the project graph holds them: where a target's metadata is. */
export type ProjectTargets = Record<string, { data: { targets?: Record<string, { metadata?: Record<string, unknown> }> } }>;

/** The tasks of a task graph with their configured runner class and dependencies. Pure. */
export function graphTasks<T extends { id: string; target: { project: string; target: string } }>(graph: TaskGraphShape<T>, nodes: ProjectTargets): GraphTask[] {
  return Object.values(graph.tasks).map((t) => {
    const runnerClass = nodes[t.target.project]?.data.targets?.[t.target.target]?.metadata?.runnerClass;
    return {
      id: t.id,
      project: t.target.project,
      target: t.target.target,
      ...(runnerClass !== undefined ? { runnerClass } : {}),
      dependencies: [...(graph.dependencies[t.id] ?? [])],
    };
  });
}

/**
 * The task graph cut down to `keep` and everything they depend on (transitively): a runner
 * class's job runs its own tasks; what they need from another class comes from the cache. Pure;
 * throws naming a task `keep` asks for that the graph does not have.
 */
export function pruneTaskGraph<T extends { id: string; target: { project: string; target: string } }>(graph: TaskGraphShape<T>, keep: readonly string[]): TaskGraphShape<T> {
  const kept = new Set<string>();
  const visit = (id: string) => {
    if (kept.has(id)) return;
    if (!graph.tasks[id]) throw new Error(`the task graph has no task ${id}`);
    kept.add(id);
    for (const d of [...(graph.dependencies[id] ?? []), ...(graph.continuousDependencies[id] ?? [])]) visit(d);
  };
  for (const id of keep) visit(id);
  const pick = (m: Record<string, string[]>) => Object.fromEntries(Object.entries(m).filter(([id]) => kept.has(id)));
  const dependencies = pick(graph.dependencies);
  return {
    tasks: Object.fromEntries(Object.entries(graph.tasks).filter(([id]) => kept.has(id))),
    dependencies,
    continuousDependencies: pick(graph.continuousDependencies),
    roots: [...kept].filter((id) => !(dependencies[id] ?? []).length && !(graph.continuousDependencies[id] ?? []).length),
  };
}

/**
 * What a restore fills for `targets` (the release): every cacheable task they depend on, except
 * the tools' own bundles (the publish job builds those itself). A task they depend on that Nx
 * does not cache but that has outputs could not be restored: refused, named. Pure.
 */
export function restoreSet<T extends { id: string; target: { project: string; target: string }; cache?: boolean; outputs?: string[] }>(graph: TaskGraphShape<T>, targets: readonly string[]): string[] {
  const ids: string[] = [];
  for (const t of Object.values(graph.tasks)) {
    if (targets.includes(t.target.target) || t.target.target === TOOL_BUNDLE_TARGET) continue;
    if (t.cache) ids.push(t.id);
    else if (t.outputs?.length) throw new Error(`${t.id} has outputs but is not cached ("cache": false), so the publish job cannot restore them; make it cacheable`);
  }
  return ids;
}
