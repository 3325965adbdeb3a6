// The CLI's testing entry (`@bllvm/cli/testing`): what the reliability suites and the end-to-end
// tests use of it beyond what its public entry gives the workflow check.

/** The CLI in-process, with its own output and environment: a test drives it without a child. */
export { runCli } from './main';
/** The `--json` report of a release run, and of each task in it, as a test reads it back. */
export type { ReleaseRunReport } from './release/run-release';
export type { TaskOutcome } from './run-targets';
/** How `rebuild` tells two image archives apart, so a test can say why its images differ. */
export { firstImageDifference } from './rebuild/image-difference';
