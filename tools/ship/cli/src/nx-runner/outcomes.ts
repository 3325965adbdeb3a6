import type { TaskRecord } from '@bllvm/contract';
import type { TaskOutcome, TaskStatus } from './protocol';

/** The part of an Nx task result the outcome needs (Nx's TaskResult, without loading Nx). */
export interface NxTaskResult {
  status: 'success' | 'failure' | 'skipped' | 'stopped' | 'local-cache-kept-existing' | 'local-cache' | 'remote-cache';
  code: number;
}

export interface PlannedTask {
  project: string;
  target: string;
  startTime?: number;
  endTime?: number;
}

const STATUS: Record<NxTaskResult['status'], TaskStatus> = {
  success: 'built',
  failure: 'failed',
  stopped: 'failed',
  skipped: 'skipped',
  'local-cache': 'cached',
  'remote-cache': 'cached',
  'local-cache-kept-existing': 'cached',
};

/**
 * One task's outcome from Nx's result and, when the executor really ran, its record. Nx's status
 * decides; a task Nx never finished (a run cut short) counts as skipped.
 */
export function taskOutcome(t: PlannedTask, result: NxTaskResult | undefined, record: TaskRecord | undefined): TaskOutcome {
  const base = { task: `${t.project}:${t.target}`, project: t.project, target: t.target };
  if (!result || result.status === 'skipped') return { ...base, status: 'skipped', message: 'a task it depends on failed' };
  const status = STATUS[result.status] ?? 'failed';
  const durationMs = t.startTime !== undefined && t.endTime !== undefined ? t.endTime - t.startTime : undefined;
  if (status === 'cached') return { ...base, status, cache: result.status === 'remote-cache' ? 'remote' : 'local', durationMs };
  const message = record?.message ?? (status === 'failed' ? `exited with code ${result.code}` : undefined);
  return { ...base, status, durationMs, ...(record ? { toolMs: record.toolMs } : {}), ...(message !== undefined ? { message } : {}), ...(record?.publish ? { publish: record.publish } : {}) };
}

/** Nx's own rule (runCommand): not completed is an interruption; any failed or skipped task is a failure. */
export function runExitCode(results: NxTaskResult[], completed: boolean): number {
  if (!completed) return 130;
  return results.some((r) => r.status === 'failure' || r.status === 'skipped') ? 1 : 0;
}

const TARGET_ORDER = ['compile', 'build', 'test', 'verify', 'graph-check', 'release'];

/** Group by project in the order given (the graph's, dependencies first), then by pipeline step. */
export function sortTasks(tasks: TaskOutcome[], order: string[]): TaskOutcome[] {
  const projects = [...new Set(order)];
  const rank = (t: TaskOutcome) => [projects.indexOf(t.project), TARGET_ORDER.indexOf(t.target) >>> 0] as const;
  return [...tasks].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || a.target.localeCompare(b.target);
  });
}

/** `{ tag: 'x', dryRun: true }` → `['--tag=x', '--dryRun=true']`. */
export function overrideArgs(overrides: object): string[] {
  return Object.entries(overrides)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `--${k}=${String(v)}`);
}
