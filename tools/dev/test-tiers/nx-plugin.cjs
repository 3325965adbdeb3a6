// Loaded by Nx (nx.json `plugins`) on every start: every TypeScript project under libs/ and tools/
// gets a `test` target over its own unit and integration files, inferred here rather than repeated
// in each project.json. Plain CommonJS on purpose: a TypeScript entry makes Nx register a
// transpiler first, about 1 s of CPU on each Nx start.
'use strict';
const { dirname } = require('node:path');

/**
 * The `test` target of a TypeScript project: its own unit and integration files (the e2e tier
 * under test/ is the whole suite's). Cached on the project's sources and those of everything it
 * imports, so `nx affected -t test` and a second `nx run-many -t test` run only what a change reaches.
 * @param {string} projectRoot
 */
function testTarget(projectRoot) {
  return {
    executor: 'nx:run-commands',
    cache: true,
    inputs: ['default', '^default', '{workspaceRoot}/vitest.config.ts', '{workspaceRoot}/test/tiers.ts', '{workspaceRoot}/tools/dev/test-tiers/src/unit-guard.ts', '{workspaceRoot}/tsconfig.base.json'],
    options: {
      // A path filter, not --dir: the tiers' include globs stay those of vitest.config.ts.
      command: `vitest run --project unit --project integration --passWithNoTests ${projectRoot}/`,
      cwd: '{workspaceRoot}',
    },
  };
}

// One [file, nodes] pair per project.json, as Nx's createNodesFromFiles would return; written out
// because requiring @nx/devkit costs most of a second on every Nx start.
const createNodesV2 = [
  '{libs,tools}/**/project.json',
  async (files) => files.map((file) => [file, { projects: { [dirname(file)]: { targets: { test: testTarget(dirname(file)) } } } }]),
];

module.exports = { name: '@bllvm/test-tiers', createNodesV2, testTarget };
