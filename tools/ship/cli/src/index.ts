// The CLI's public entry: what the workflow check reads of it (its commands, the event types).
// What only tests use is in its testing entry (testing.ts); everything else under src/ is the
// CLI's own business.
export { main } from './main';
export { commands } from './commands/index';
export type { Command } from './command';
export { CHAIN_TYPES } from '@bllvm/events';
export type { BisectReport, Probe as BisectProbe } from './bisect/report';
