/**
 * Time outside cargo/docker per built task, from three clocks: Nx's task time (its task process,
 * start to end), the executor's own time (its task record: startedAt → endedAt, inside that
 * process) and the time in cargo/docker (toolMs, also from the record). The CLI's durationMs is
 * Nx's task time, so it cannot stand for the executor's: subtracting it from Nx's own times gives
 * 0 whatever the overhead. Pure.
 */
export interface BuiltTask {
  task: string;
  status: string;
  toolMs?: number;
  /** The executor's own time, from its task record; undefined when no record was read. */
  executorMs?: number;
}

export interface NxSpan {
  task: string;
  startMs: number;
  endMs: number;
}

export interface TaskOverhead {
  task: string;
  /** The executor's own steps: executorMs − toolMs. */
  executorMs: number;
  /** Nx around the executor (its task process start, the executor's import, caching): Nx task time − executorMs. */
  nxMs?: number;
  /** Everything outside cargo/docker: Nx task time − toolMs. */
  totalMs?: number;
}

/** One row per task that was built and has an executor record; Nx's share only where Nx timed it. */
export function taskOverheads(tasks: readonly BuiltTask[], nx: readonly NxSpan[]): TaskOverhead[] {
  const out: TaskOverhead[] = [];
  for (const t of tasks) {
    if (t.status !== 'built' || t.executorMs === undefined) continue;
    const tool = t.toolMs ?? 0;
    const span = nx.find((n) => n.task === t.task);
    const nxTaskMs = span ? span.endMs - span.startMs : undefined;
    out.push({
      task: t.task,
      executorMs: t.executorMs - tool,
      ...(nxTaskMs !== undefined ? { nxMs: nxTaskMs - t.executorMs, totalMs: nxTaskMs - tool } : {}),
    });
  }
  return out;
}
