/**
 * The test suite's three tiers, written once: vitest.config.ts makes a vitest project of each,
 * and the Nx plugin in tools/dev/test-tiers gives every TypeScript project a `test` target over its own
 * unit and integration files. Where a test file lives and how it is named says its tier:
 *
 * - unit: `*.test.ts` beside the code. Pure: starts no process, opens no socket (a guard makes
 *   such a test fail), no global set-up, files in parallel.
 * - integration: `*.integration.test.ts` beside the code: real git, gpg, bwrap, cargo or a
 *   server on 127.0.0.1, on temporary folders.
 * - e2e: `test/e2e/` and `test/reliability/`: workspace copies, sandbox orgs, podman, whole
 *   nightlies.
 *
 * Integration and e2e files run side by side after the unit tier (processTierWorkers).
 */
export type TierName = 'unit' | 'integration' | 'e2e';

export interface Tier {
  name: TierName;
  include: string[];
  exclude: string[];
  /** Test files run at once. */
  maxWorkers: number;
  /**
   * A fresh module graph per test file. The unit tier shares one per worker: its tests are pure
   * (no process, no socket, no global set-up), so there is nothing to leak between files, and
   * importing every file's modules anew was most of its time (69 s against 15 s for 1345 tests).
   */
  isolate: boolean;
  /**
   * Runs after the tiers with a lower group: a failing unit test is reported before any process
   * starts. Tiers of one group run side by side.
   */
  group: number;
  /** Needs the CLI and executor bundles built first (test/bundles.setup.ts). */
  bundles: boolean;
  testTimeoutMs: number;
}

/**
 * Files at once in the two tiers that start real processes. They run as one group (vitest lets
 * projects share a group only with the same worker count): the short integration files fill the
 * workers the long e2e files leave idle at the end of the run, where they used to wait in a group
 * of their own. One more than the cores: a file spends much of its time waiting on processes (git,
 * node and Nx starting, podman, servers), not compiling. On 2 cores, five e2e files took 442 s two
 * at a time and 364 s three at a time (same machine, same hour). Capped: an e2e file holds a
 * workspace copy, an org and often a podman service.
 */
export function processTierWorkers(cores: number): number {
  return Math.min(3, Math.max(1, cores) + 1);
}

const BESIDE_CODE = ['libs/**/src/**', 'tools/**/src/**'];

export function tiers(cores: number): Tier[] {
  return [
    {
      name: 'unit',
      include: BESIDE_CODE.map((d) => `${d}/*.test.ts`),
      exclude: BESIDE_CODE.map((d) => `${d}/*.integration.test.ts`),
      maxWorkers: Math.max(1, cores),
      isolate: false,
      group: 0,
      bundles: false,
      testTimeoutMs: 20_000,
    },
    {
      name: 'integration',
      include: BESIDE_CODE.map((d) => `${d}/*.integration.test.ts`),
      exclude: [],
      maxWorkers: processTierWorkers(cores),
      isolate: true,
      group: 1,
      bundles: true,
      testTimeoutMs: 120_000,
    },
    {
      name: 'e2e',
      include: ['test/e2e/**/*.test.ts', 'test/reliability/**/*.test.ts'],
      exclude: [],
      maxWorkers: processTierWorkers(cores),
      isolate: true,
      group: 1,
      bundles: true,
      testTimeoutMs: 240_000,
    },
  ];
}
