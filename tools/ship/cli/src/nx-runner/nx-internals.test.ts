import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NxInternalsError, PINNED_NX_VERSION, loadNxInternals, workspaceRequire } from './nx-internals';

const WORKSPACE_ROOT = resolve(import.meta.dirname, '..', '..', '..', '..');

describe('the Nx internals the task runner uses', () => {
  it('exist in the installed nx, which is the pinned version', () => {
    const nx = loadNxInternals(workspaceRequire(WORKSPACE_ROOT));
    expect(nx.version).toBe(PINNED_NX_VERSION);
    for (const f of [nx.readNxJson, nx.createProjectGraphAsync, nx.splitArgsIntoNxArgsAndOverrides, nx.selectTasksForProjects, nx.runTasksForCommand, nx.getRunner, nx.createTaskHasher, nx.getTaskDetails, nx.hashTask, nx.getTaskSpecificEnv, nx.getCache, nx.dbCacheEnabled])
      expect(typeof f).toBe('function');
    // Where Nx's public API has it, it comes from there.
    expect(nx.createProjectGraphAsync).toBe((workspaceRequire(WORKSPACE_ROOT)('@nx/devkit') as { createProjectGraphAsync: unknown }).createProjectGraphAsync);
  });

  it('fail clearly on another version or a changed module', () => {
    const real = workspaceRequire(WORKSPACE_ROOT);
    const other = (id: string) => (id === 'nx/package.json' ? { version: '99.0.0' } : real(id));
    expect(() => loadNxInternals(other)).toThrow(new NxInternalsError(
      `the task runner is written against nx ${PINNED_NX_VERSION} but nx 99.0.0 is installed; check tools/ship/cli/src/nx-runner/nx-internals.ts against the new nx (run-command.js, as nx release publish uses it) and update PINNED_NX_VERSION`,
    ));
    const moved = (id: string) => (id === 'nx/src/tasks-runner/run-command' ? { selectTasksForProjects: () => undefined } : real(id));
    expect(() => loadNxInternals(moved)).toThrow(`nx ${PINNED_NX_VERSION}: nx/src/tasks-runner/run-command no longer exports runTasksForCommand(); the task runner needs updating`);
    const gone = (id: string) => {
      if (id === 'nx/src/config/nx-json') throw new Error(`Cannot find module '${id}'`);
      return real(id);
    };
    expect(() => loadNxInternals(gone)).toThrow(/has no module nx\/src\/config\/nx-json/);
  });
});
