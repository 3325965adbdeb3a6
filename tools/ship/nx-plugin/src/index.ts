// The plugin's public entry. Nx reaches the plugin through files, not imports: the executors and
// generators through executors.json and generators.json, the inferred targets through the
// package's `main` (src/plugin/index.ts). So nothing is exported here; what tests use of the
// plugin is in its testing entry (testing.ts).
export {};
