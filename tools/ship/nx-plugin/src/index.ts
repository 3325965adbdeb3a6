// The plugin's public entry. Nx reaches the plugin through files, not imports: the executors and
// generators through executors.json and generators.json, the inferred targets through the
// package's `main` (src/plugin/index.ts). What tests use of the plugin is in its testing entry
// (testing.ts). Exported here: only what shipped code runs beside a task, so it runs in that
// task's own sandbox rather than in one of its own.
export { type SandboxCommandRequest, type SandboxCommandRun, SANDBOX_DIST, runSandboxCommand } from './executors/cargo/sandbox-command';
