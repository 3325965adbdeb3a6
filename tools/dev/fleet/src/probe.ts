import type { Runner } from './runner';
import { createRunner, runJob } from './runner';
import type { WorkflowRunOptions } from './run-workflow';
import type { Job } from './workflow-jobs';

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

