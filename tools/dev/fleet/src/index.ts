/**
 * The fleet rehearsal (`npm run fleet`): the workflows' jobs on local runners sharing the cache server;
 * and what a workflow gives a job (its env, its outputs), evaluated as GitHub does, without running it.
 */
export { runFleet, criticalPath, formatReport, classOfLabels } from './fleet';
export type { FleetOptions, FleetReport, JobLine } from './fleet';
export { readWorkflow, jobOrder } from './workflow-jobs';
export type { Job, Step, Workflow } from './workflow-jobs';
export { REGISTERED_RUNNERS, runnerKindFor, runnerKindsFor } from './runner-kinds';
export { jobEnv, jobOutputs, stepEnv } from './job-env';
export { parseOutputs } from './runner';
export type { ExpressionContext } from './expressions';
