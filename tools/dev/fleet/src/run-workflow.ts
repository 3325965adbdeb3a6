import { join } from 'node:path';
import type { ExpressionContext, JobResult } from './expressions';
import { type JobRun, type Runner, createRunner, keepLog, runJob } from './runner';
import { runnerKindFor } from './runner-kinds';
import { needsStatus, readiness } from './schedule';
import type { Job, Workflow } from './workflow-jobs';

export interface WorkflowRunOptions {
  /** Where each job's runner folder goes (`<root>/<run>-<job>`). */
  root: string;
  /** Names this run's runner folders, so a rerun of a job gets a fresh runner. */
  run: string;
  machineEnv: Record<string, string>;
  origin: string;
  artifacts: string;
  eventPath: string;
  contexts: Pick<ExpressionContext, 'secrets' | 'vars' | 'inputs' | 'github'>;
  /** Only these jobs (the others must be in `done`). */
  only?: string[];
  /** Results of jobs already run (a rerun continues from them). */
  done?: ReadonlyMap<string, JobRun>;
  /** The runners registered, by kind: a job runs on a fresh runner of the kind GitHub would give it (runner-kinds.ts). */
  registered?: Readonly<Record<string, readonly string[]>>;
  /** Called when a job starts, with a way to lose its runner (abort). */
  onStart?: (job: Job, runner: Runner, lose: () => void) => void;
  log?: (job: string, line: string) => void;
}

export interface JobOutcome extends JobRun {
  /** The labels the job asks for (runs-on). */
  labels: string[];
  /** The kind of registered runner it was given (`registered`), if any. */
  kind?: string;
  cargo: number;
  docker: number;
  /** The job's log file, kept in its runner folder. */
  logFile?: string;
}

/**
 * Runs a workflow's jobs as GitHub schedules them: each job once all it needs have finished,
 * jobs whose needs are done run at the same time, each on a runner of its own (a fresh folder,
 * HOME, work dir and Nx cache). Returns every job's outcome, in the order they finished.
 */
export async function runWorkflow(wf: Workflow, o: WorkflowRunOptions): Promise<Map<string, JobOutcome>> {
  const results = new Map<string, JobResult>();
  const outcomes = new Map<string, JobOutcome>();
  for (const [id, run] of o.done ?? []) {
    results.set(id, run.result);
    outcomes.set(id, run as JobOutcome);
  }
  const selected = wf.jobs.filter((j) => !results.has(j.id) && (!o.only || o.only.includes(j.id)));
  const running = new Map<string, Promise<void>>();
  const pending = new Set(selected.map((j) => j.id));
  for (;;) {
    for (const job of selected) {
      if (!pending.has(job.id)) continue;
      const ready = readiness(job, results);
      if (ready === 'wait') continue;
      pending.delete(job.id);
      if (ready === 'skip') {
        results.set(job.id, 'skipped');
        outcomes.set(job.id, { job: job.id, runner: '-', labels: job.runsOn, ...kindOf(job), result: 'skipped', outputs: {}, steps: [], startedAt: Date.now(), ms: 0, output: '', cargo: 0, docker: 0 });
        continue;
      }
      running.set(job.id, start(job).finally(() => running.delete(job.id)));
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  return outcomes;

  function kindOf(job: Job): { kind?: string } {
    const kind = o.registered ? runnerKindFor(job.runsOn, o.registered) : undefined;
    return kind ? { kind } : {};
  }

  async function start(job: Job): Promise<void> {
    const { kind } = kindOf(job);
    if (o.registered && !kind) {
      // No registered runner has these labels: GitHub would queue the job until one is; here it fails, saying so.
      const output = `no registered runner has every label of [${job.runsOn.join(', ')}] (registered: ${Object.entries(o.registered).map(([k, l]) => `${k} [${l.join(', ')}]`).join('; ')})`;
      o.log?.(job.id, output);
      outcomes.set(job.id, { job: job.id, runner: '-', labels: job.runsOn, result: 'failure', outputs: {}, steps: [], startedAt: Date.now(), ms: 0, output, cargo: 0, docker: 0 });
      results.set(job.id, 'failure');
      return;
    }
    const runner = await createRunner({ name: `${o.run}-${job.id}`, labels: [...(kind ? o.registered![kind]! : job.runsOn)], root: o.root, machineEnv: o.machineEnv });
    const abort = new AbortController();
    o.onStart?.(job, runner, () => abort.abort());
    const needs = Object.fromEntries(job.needs.map((n) => [n, { result: outcomes.get(n)!.result, outputs: outcomes.get(n)!.outputs }]));
    const run = await runJob(job, runner, {
      origin: o.origin,
      workflowEnv: wf.env,
      expressions: { ...o.contexts, runner: { temp: join(runner.dir, 'temp'), name: runner.name, os: 'Linux', arch: 'X64' }, needs },
      artifacts: o.artifacts,
      eventPath: o.eventPath,
      needsStatus: needsStatus(job, results),
      signal: abort.signal,
      log: (line) => o.log?.(job.id, line),
    });
    const calls = await runner.shims.calls();
    const logFile = await keepLog(runner, run);
    outcomes.set(job.id, { ...run, labels: job.runsOn, ...(kind ? { kind } : {}), cargo: calls.filter((c) => c.tool === 'cargo').length, docker: calls.filter((c) => c.tool === 'docker').length, logFile });
    results.set(job.id, run.result);
  }
}
