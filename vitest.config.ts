import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { tiers } from './test/tiers';

// Resolve the workspace's @bllvm/* imports from tsconfig.base.json so there is one list of paths.
const tsconfig = JSON.parse(readFileSync(resolve(import.meta.dirname, 'tsconfig.base.json'), 'utf8')) as {
  compilerOptions: { paths: Record<string, string[]> };
};
const alias = Object.fromEntries(
  Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => [name, resolve(import.meta.dirname, target!)]),
);

// `npm test` runs every tier; `npm run test:unit` (or `--project <tier>`) one of them.
export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'dist/test-results.json' },
    projects: tiers(availableParallelism()).map((tier) => ({
      resolve: { alias },
      test: {
        name: tier.name,
        include: tier.include,
        exclude: ['**/node_modules/**', '**/dist/**', ...tier.exclude],
        // The CLI and executor bundles, built through Nx before the tier's first test.
        globalSetup: tier.bundles ? ['test/bundles.setup.ts'] : [],
        setupFiles: tier.name === 'unit' ? ['tools/dev/test-tiers/src/unit-guard.ts'] : [],
        maxWorkers: tier.maxWorkers,
        isolate: tier.isolate,
        sequence: { groupOrder: tier.group },
        testTimeout: tier.testTimeoutMs,
        hookTimeout: 600_000,
        server: { deps: { inline: ['@actions/workflow-parser'] } },
      },
    })),
  },
});
