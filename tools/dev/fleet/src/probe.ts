import { execa } from 'execa';
import type { Runner } from './runner';
import { createRunner, runJob } from './runner';
import type { WorkflowRunOptions } from './run-workflow';
import type { Job } from './workflow-jobs';
import { NX_LOCAL_ENV } from '@bllvm/contract';

/** A runner folder with a checkout of `commit` and node_modules, for the rehearsal's own probes. */
export async function probeRunner(root: string, name: string, origin: string, commit: string, opts: Omit<WorkflowRunOptions, 'run'>): Promise<Runner> {
  const runner = await createRunner({ name, labels: ['self-hosted', 'Linux', 'X64', 'builds'], root, machineEnv: opts.machineEnv });
  const job: Job = {
    id: name,
    name,
    runsOn: runner.labels,
    needs: [],
    env: {},
    outputs: {},
    steps: [
      { name: 'checkout', uses: 'actions/checkout@local', with: { ref: commit }, env: {} },
      { name: 'npm ci', run: 'npm ci', with: {}, env: {} },
    ],
  };
  const run = await runJob(job, runner, { origin, workflowEnv: {}, expressions: { ...opts.contexts, runner: {}, needs: {} }, artifacts: opts.artifacts, eventPath: opts.eventPath });
  if (run.result !== 'success') throw new Error(`probe runner ${name}: ${run.output}`);
  return runner;
}


/** One task as `restore --json` reports it. */
export interface CachedTask {
  id: string;
  target: string;
  hash?: string;
  runnerClass?: string;
  status: string;
}

/**
 * What the shared cache holds for the release's tasks at `commit`, asked as a pull request's
 * runner would: `restore --json` on a runner of its own, with the read token (nothing is written).
 */
export async function askCache(cache: { url: string; readToken: string }, root: string, name: string, origin: string, commit: string, opts: Omit<WorkflowRunOptions, 'run'>): Promise<CachedTask[]> {
  const probe = await probeRunner(root, name, origin, commit, opts);
  const r = await execa(process.execPath, ['tools/ship/cli/bin/bllvm-release.cjs', 'restore', '--json'], {
    cwd: probe.checkout,
    env: { ...probe.env, ...NX_LOCAL_ENV, NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cache.url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: cache.readToken },
    extendEnv: false,
    reject: false,
  });
  return (JSON.parse(r.stdout || '{"tasks":[]}') as { tasks: CachedTask[] }).tasks;
}
