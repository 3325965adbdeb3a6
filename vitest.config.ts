import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Resolve the workspace's @bllvm/* imports from tsconfig.base.json so there is one list of paths.
const tsconfig = JSON.parse(readFileSync(resolve(import.meta.dirname, 'tsconfig.base.json'), 'utf8')) as {
  compilerOptions: { paths: Record<string, string[]> };
};
const alias = Object.fromEntries(
  Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => [name, resolve(import.meta.dirname, target!)]),
);

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['libs/**/*.test.ts', 'tools/**/*.test.ts', 'test/**/*.test.ts'],
    // The CLI and executor bundles, built through Nx before any test runs.
    globalSetup: ['test/bundles.setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // End-to-end suites share cargo, podman and git; running files one at a time keeps
    // a 2-core machine from thrashing and keeps figures stable.
    fileParallelism: false,
    reporters: ['default', 'json'],
    outputFile: { json: 'dist/test-results.json' },
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
