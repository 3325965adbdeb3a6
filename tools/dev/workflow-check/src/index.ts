export { checkWorkflows, formatFindings, type CheckOptions } from './check';
export { cronProblem } from './cron';
export type { Finding } from './finding';
export { parserFindings } from './parse';
export { rules } from './rules';
export { loadWorkspaceFacts, type WorkspaceFacts } from './workspace-facts';
