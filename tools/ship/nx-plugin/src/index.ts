// The Nx plugin's public entry for code outside it (the bench). Nx itself finds the executors
// through executors.json, not through this file.
export type { RunLogEntry } from './lib/run-log';
