import { type ExpressionContext, interpolate } from './expressions';
import type { Job, Step } from './workflow-jobs';

// What a workflow gives a job's steps, decided by GitHub's expression engine (expressions.ts):
// the rehearsal runs steps with it, and tests ask it what a job would hold (which secrets reach
// which job) without running anything. Pure.

/** The job's `env` context: the workflow's `env:`, then the job's, each value evaluated (without `env`: GitHub gives that context to steps only). */
export function jobEnv(workflowEnv: Record<string, string>, job: Job, ctx: Omit<ExpressionContext, 'env'>): Record<string, string> {
  return evaluated({ ...workflowEnv, ...job.env }, { ...ctx, env: {} });
}

/**
 * The variables the workflow sets for one `run:` step: the job's `env` context and the step's own
 * `env:`, evaluated with the job's (a step's value may read `env.X` of the workflow or the job).
 */
export function stepEnv(workflowEnv: Record<string, string>, job: Job, step: Step, ctx: Omit<ExpressionContext, 'env'>): Record<string, string> {
  const env = jobEnv(workflowEnv, job, ctx);
  return { ...env, ...evaluated(step.env, { ...ctx, env }) };
}

/** The job's `outputs:`, evaluated once its steps ran (`steps.<id>.outputs` in ctx). */
export function jobOutputs(workflowEnv: Record<string, string>, job: Job, ctx: Omit<ExpressionContext, 'env'>): Record<string, string> {
  return evaluated(job.outputs, { ...ctx, env: jobEnv(workflowEnv, job, ctx) });
}

function evaluated(values: Record<string, string>, ctx: ExpressionContext): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, interpolate(v, ctx)]));
}
