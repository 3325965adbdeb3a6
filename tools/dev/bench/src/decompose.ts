/**
 * Where a parallel run's wall time goes, along a given critical path: before its first task
 * starts (CLI start, planning, Nx start), the tools' own time on the path (and how much slower it
 * was than alone, from sharing the cores), what Nx and the executor add around each task on the
 * path, gaps where the path waited for tasks off it, and the tail. Pure.
 */
export interface TimedTask {
  task: string;
  status: string;
  toolMs?: number;
}

export interface NxTiming {
  task: string;
  startMs: number;
  endMs: number;
}

export interface RunDecomposition {
  /** Process start → the path's first task starts. */
  beforePathMs: number;
  /** Σ time inside cargo/docker of the path's tasks when each ran alone. */
  pathToolAloneMs: number;
  /** Σ time inside cargo/docker of the path's tasks in this run (more than alone: shared cores). */
  pathToolMs: number;
  /** Σ (Nx's task time − time in cargo/docker) of the path's tasks: process start, TS loading, executor steps. */
  pathOverheadMs: number;
  /** Time between consecutive path tasks (waiting on tasks off the path, scheduling). */
  pathGapsMs: number;
  /** The path's last task ends → process end. */
  afterPathMs: number;
  wallMs: number;
}

export function decompose(
  run: { startedAtMs: number; endedAtMs: number; wallMs: number; tasks: readonly TimedTask[]; nx: readonly NxTiming[] },
  path: readonly string[],
  aloneToolMs: (task: string) => number,
): RunDecomposition | undefined {
  if (!path.length) return undefined;
  const timings = path.map((t) => run.nx.find((n) => n.task === t));
  const outcomes = path.map((t) => run.tasks.find((x) => x.task === t));
  if (timings.some((t) => !t) || outcomes.some((o) => !o || o.status !== 'built' || o.toolMs === undefined)) return undefined;
  const nx = timings as NxTiming[];
  const tool = outcomes.map((o) => o!.toolMs!);
  const first = nx[0]!.startMs;
  const last = nx[nx.length - 1]!.endMs;
  const nxSum = nx.reduce((s, t) => s + (t.endMs - t.startMs), 0);
  const toolSum = tool.reduce((s, x) => s + x, 0);
  return {
    beforePathMs: first - run.startedAtMs,
    pathToolAloneMs: path.reduce((s, t) => s + aloneToolMs(t), 0),
    pathToolMs: toolSum,
    pathOverheadMs: nxSum - toolSum,
    pathGapsMs: last - first - nxSum,
    afterPathMs: run.endedAtMs - last,
    wallMs: run.wallMs,
  };
}
