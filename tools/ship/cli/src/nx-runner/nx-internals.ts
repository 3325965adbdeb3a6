import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { NxJsonConfiguration, ProjectGraph } from '@nx/devkit';
import type { TaskResults } from 'nx/src/tasks-runner/life-cycle';
import type { getRunner, runTasksForCommand, selectTasksForProjects } from 'nx/src/tasks-runner/run-command';
import type { createTaskHasher } from 'nx/src/hasher/create-task-hasher';
import type { getTaskDetails, hashTask } from 'nx/src/hasher/hash-task';
import type { getTaskSpecificEnv } from 'nx/src/tasks-runner/task-env';
import type { dbCacheEnabled, getCache } from 'nx/src/tasks-runner/cache';
import type { splitArgsIntoNxArgsAndOverrides } from 'nx/src/utils/command-line-utils';

/**
 * The Nx internals the task runner calls, as `nx release publish` calls them. They are not Nx's
 * public API, so they are pinned to the version they were written against: any other version
 * (or a changed module shape) fails with a message saying what to check, not a stack trace.
 */
export const PINNED_NX_VERSION = '23.3.1';

export interface NxInternals {
  version: string;
  readNxJson: () => NxJsonConfiguration;
  createProjectGraphAsync: (opts?: { exitOnError?: boolean }) => Promise<ProjectGraph>;
  splitArgsIntoNxArgsAndOverrides: typeof splitArgsIntoNxArgsAndOverrides;
  selectTasksForProjects: typeof selectTasksForProjects;
  runTasksForCommand: typeof runTasksForCommand;
  /** Restore (tasks-runner/task-orchestrator.js does the same to apply cached results): */
  getRunner: typeof getRunner;
  createTaskHasher: typeof createTaskHasher;
  getTaskDetails: typeof getTaskDetails;
  hashTask: typeof hashTask;
  getTaskSpecificEnv: typeof getTaskSpecificEnv;
  getCache: typeof getCache;
  dbCacheEnabled: typeof dbCacheEnabled;
}
export type { TaskResults };

/** Module → the functions taken from it. */
const EXPORTS = {
  'nx/src/config/nx-json': ['readNxJson'],
  'nx/src/project-graph/project-graph': ['createProjectGraphAsync'],
  'nx/src/utils/command-line-utils': ['splitArgsIntoNxArgsAndOverrides'],
  'nx/src/tasks-runner/run-command': ['selectTasksForProjects', 'runTasksForCommand', 'getRunner'],
  'nx/src/hasher/create-task-hasher': ['createTaskHasher'],
  'nx/src/hasher/hash-task': ['getTaskDetails', 'hashTask'],
  'nx/src/tasks-runner/task-env': ['getTaskSpecificEnv'],
  'nx/src/tasks-runner/cache': ['getCache', 'dbCacheEnabled'],
} as const;

export class NxInternalsError extends Error {
  override name = 'NxInternalsError';
}

/** Load the internals with `load` (a require); throws NxInternalsError naming what changed. */
export function loadNxInternals(load: (id: string) => unknown): NxInternals {
  const version = (load('nx/package.json') as { version?: string }).version;
  if (version !== PINNED_NX_VERSION)
    throw new NxInternalsError(
      `the task runner is written against nx ${PINNED_NX_VERSION} but nx ${version} is installed; check tools/ship/cli/src/nx-runner/nx-internals.ts against the new nx (run-command.js, as nx release publish uses it) and update PINNED_NX_VERSION`,
    );
  const found: Record<string, unknown> = { version };
  for (const [id, names] of Object.entries(EXPORTS)) {
    let mod: Record<string, unknown>;
    try {
      mod = load(id) as Record<string, unknown>;
    } catch (e) {
      throw new NxInternalsError(`nx ${version} has no module ${id} (${(e as Error).message.split('\n')[0]}); the task runner needs updating`);
    }
    for (const name of names) {
      if (typeof mod[name] !== 'function') throw new NxInternalsError(`nx ${version}: ${id} no longer exports ${name}(); the task runner needs updating`);
      found[name] = mod[name];
    }
  }
  return found as unknown as NxInternals;
}

/** The workspace's own nx (the one `nx` on the command line would run). */
export function workspaceRequire(workspaceRoot: string): (id: string) => unknown {
  return createRequire(join(workspaceRoot, 'package.json'));
}
