import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { NxJsonConfiguration, ProjectGraph } from '@nx/devkit';
// The only place in the repository that names a module under nx/src/: everything else uses Nx's
// public surface (@nx/devkit, the nx command line), and a new Nx version is checked here alone.
import type { getRunner, runTasksForCommand, selectTasksForProjects } from 'nx/src/tasks-runner/run-command';
import type { createTaskHasher } from 'nx/src/hasher/create-task-hasher';
import type { getTaskDetails, hashTask } from 'nx/src/hasher/hash-task';
import type { getTaskSpecificEnv } from 'nx/src/tasks-runner/task-env';
import type { dbCacheEnabled, getCache } from 'nx/src/tasks-runner/cache';
import type { splitArgsIntoNxArgsAndOverrides } from 'nx/src/utils/command-line-utils';

/**
 * What the task runner calls of Nx, as `nx release publish` calls it. Where Nx's public API
 * (@nx/devkit) gives the same thing it is taken from there; the rest is not public, so it is
 * pinned to the version it was written against: any other version (or a changed module shape)
 * fails with a message saying what to check, not a stack trace.
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

/** Module → the functions taken from it. Public first; each internal one says why it is not public. */
const EXPORTS = {
  // The project graph, exactly as every nx command builds it.
  '@nx/devkit': ['createProjectGraphAsync'],
  // nx.json as Nx reads it from disk (with `extends`); @nx/devkit's readNxJson reads a generator's
  // Tree, and a Tree on the workspace (FsTree) is itself internal.
  'nx/src/config/nx-json': ['readNxJson'],
  // Running tasks in this process with typed overrides and getting the typed TaskResults back.
  // The public route is `nx run-many` plus a plugin's postTasksExecution hook: the overrides would
  // go through the command line as words (re-parsed: a string that looks like a number comes back
  // as one), and the results would reach the hook inside that nx process (or its plugin worker),
  // not this one, so they would have to come back through a file or the environment.
  // `nx run-many --graph=<file>` likewise plans from words, so the task graph it writes is not
  // certainly the selection that then runs; here one selection serves the graph, the run and the
  // restore.
  'nx/src/utils/command-line-utils': ['splitArgsIntoNxArgsAndOverrides'],
  'nx/src/tasks-runner/run-command': ['selectTasksForProjects', 'runTasksForCommand', 'getRunner'],
  // Restoring outputs from Nx's cache without running any executor: Nx has no public way to do it
  // (every public route runs the task on a miss), so the runner does what the task orchestrator
  // does before it runs a task: hash with Nx's hasher and the task's environment, look up, copy.
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
