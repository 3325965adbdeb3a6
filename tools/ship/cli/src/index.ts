// The CLI's public entry: what the workflow check, the reliability suites and the end-to-end
// tests may use. Everything else under src/ is the CLI's own business.
export { runCli, main } from './main';
export { commands } from './commands/index';
export type { Command } from './command';
export { CHAIN_TYPES } from './events/dispatch';
export type { ReleaseRunReport } from './release/run-release';
export type { TaskOutcome } from './run-targets';
export { firstImageDifference } from './rebuild/image-difference';
