/**
 * The critical path of a task graph: the longest chain of dependent tasks, each weighted by its
 * duration. With unlimited workers no schedule can finish sooner, so it is the yardstick for a
 * parallel run. Pure.
 */

/** task id → ids of the tasks it depends on (Nx's `tasks.dependencies`). */
export type TaskDeps = Readonly<Record<string, readonly string[]>>;

export interface CriticalPath {
  ms: number;
  /** Task ids from the first to the last. */
  path: string[];
}

export function criticalPath(deps: TaskDeps, weight: (task: string) => number): CriticalPath {
  const finish = new Map<string, { ms: number; via?: string }>();
  const visiting = new Set<string>();
  const visit = (t: string): number => {
    const done = finish.get(t);
    if (done) return done.ms;
    if (visiting.has(t)) throw new Error(`task graph has a cycle through ${t}`);
    visiting.add(t);
    let best = 0;
    let via: string | undefined;
    for (const d of deps[t] ?? []) {
      const f = visit(d);
      if (via === undefined || f > best) {
        best = f;
        via = d;
      }
    }
    visiting.delete(t);
    const ms = best + Math.max(0, weight(t));
    finish.set(t, { ms, via });
    return ms;
  };
  let end: string | undefined;
  let endMs = 0;
  for (const t of Object.keys(deps).sort()) {
    const ms = visit(t);
    if (end === undefined || ms > endMs) [end, endMs] = [t, ms];
  }
  const path: string[] = [];
  for (let t = end; t !== undefined; t = finish.get(t)!.via) path.unshift(t);
  return { ms: endMs, path };
}

/** The sum of all task weights: what one worker doing one task at a time needs. */
export function serialSum(deps: TaskDeps, weight: (task: string) => number): number {
  return Object.keys(deps).reduce((s, t) => s + Math.max(0, weight(t)), 0);
}

/** Task ids in Nx output carry the configuration (p:t:c); the bench speaks of p:t. */
export function taskKey(id: string): string {
  return id.split(':').slice(0, 2).join(':');
}

/** The same graph with ids reduced to p:t. */
export function normaliseDeps(deps: TaskDeps): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [t, ds] of Object.entries(deps)) out[taskKey(t)] = ds.map(taskKey);
  return out;
}
