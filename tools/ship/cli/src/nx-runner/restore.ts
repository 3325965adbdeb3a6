import type { ProjectGraph } from '@nx/devkit';
import type { NxInternals } from './nx-internals';
import type { RestoredTask } from './protocol';
import type { TaskGraphShape } from './task-graph';

type NxTaskGraph = Parameters<NxInternals['hashTask']>[2];
type NxTask = NxTaskGraph['tasks'][string];

/**
 * Fill the outputs of `ids` from Nx's cache (local, or the remote one Nx is configured with) and run
 * nothing: no executor, no task process. It does what Nx's own task orchestrator does before it
 * runs a task (task-orchestrator.js applyCachedResults): hash each task with Nx's task hasher and
 * the task's own environment, look the hashes up in Nx's cache, and copy the hits' outputs into
 * the workspace. When any task misses, none of the local hits is copied and the misses are
 * reported (a remote hit Nx has already written stays: it is the right output for that hash).
 */
export async function restoreFromCache(
  nx: NxInternals,
  projectGraph: ProjectGraph,
  taskGraph: NxTaskGraph,
  nxJson: ReturnType<NxInternals['readNxJson']>,
  nxArgs: Parameters<NxInternals['getRunner']>[0],
  ids: readonly string[],
  classOf: (task: NxTask) => unknown,
): Promise<RestoredTask[]> {
  const { runnerOptions } = nx.getRunner(nxArgs, nxJson);
  const hasher = nx.createTaskHasher(projectGraph, nxJson, runnerOptions);
  const details = nx.getTaskDetails();
  const tasks = ids.map((id) => taskGraph.tasks[id]!);
  // Dependencies first, as the orchestrator hashes them (a hash may read a dependency's).
  for (const task of dependencyOrder(taskGraph as unknown as TaskGraphShape<NxTask>, tasks))
    if (!task.hash) await nx.hashTask(hasher, projectGraph, taskGraph, task, nx.getTaskSpecificEnv(task, projectGraph), details);
  const cache = nx.getCache(runnerOptions as never);
  if ('init' in cache) await cache.init();
  const hits = await cache.getBatch(tasks);
  // Only a success is replayed (Nx's shouldCacheTaskResult, without NX_CACHE_FAILURES).
  const hit = (t: NxTask) => {
    const r = hits.get(t.hash!);
    return r && r.code === 0 ? r : undefined;
  };
  const result: RestoredTask[] = tasks.map((t) => {
    const r = hit(t);
    const runnerClass = classOf(t);
    return {
      // project:target, as a task outcome names it (the configuration is the run's).
      id: `${t.target.project}:${t.target.target}`,
      project: t.target.project,
      target: t.target.target,
      hash: t.hash!,
      ...(runnerClass !== undefined ? { runnerClass } : {}),
      status: !r ? 'missing' : r.remote ? 'remote-cache' : 'local-cache',
    };
  });
  if (result.some((r) => r.status === 'missing')) return result;
  // A remote hit is already in place with the DB cache (Nx restores it as it retrieves it).
  const usingDbCache = nx.dbCacheEnabled();
  for (const t of tasks) {
    const r = hit(t)!;
    if (t.outputs.length && (!r.remote || !usingDbCache)) await cache.copyFilesFromCache(t.hash!, r, t.outputs);
  }
  return result;
}

function dependencyOrder<T extends { id: string }>(graph: TaskGraphShape<T & { target: { project: string; target: string } }>, tasks: T[]): T[] {
  const wanted = new Set(tasks.map((t) => t.id));
  const seen = new Set<string>();
  const out: T[] = [];
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const d of graph.dependencies[id] ?? []) visit(d);
    if (wanted.has(id)) out.push(graph.tasks[id] as unknown as T);
  };
  for (const t of tasks) visit(t.id);
  return out;
}
