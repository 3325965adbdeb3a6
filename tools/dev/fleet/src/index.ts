/** The fleet rehearsal (`npm run fleet`): the workflows' jobs on local runners sharing the cache server. */
export { runFleet, criticalPath, formatReport, classOfLabels } from './fleet';
export type { FleetOptions, FleetReport, JobLine } from './fleet';
export { readWorkflow, jobOrder } from './workflow-jobs';
export type { Job, Step, Workflow } from './workflow-jobs';
export { REGISTERED_RUNNERS, runnerKindFor, runnerKindsFor } from './runner-kinds';
