import { describe, expect, it } from 'vitest';
import { isRunRequest } from './protocol';

describe('isRunRequest', () => {
  const request = { targets: ['release'], projects: ['bllvm'], overrides: {} };

  it('accepts a request with or without excludeTaskDependencies', () => {
    expect(isRunRequest(request)).toBe(true);
    expect(isRunRequest({ ...request, excludeTaskDependencies: true })).toBe(true);
  });

  it('rejects an excludeTaskDependencies that is not a boolean (a string "false" would be truthy)', () => {
    expect(isRunRequest({ ...request, excludeTaskDependencies: 'false' })).toBe(false);
  });

  it('accepts the graph and restore modes and a list of task ids, and nothing else there', () => {
    expect(isRunRequest({ ...request, mode: 'graph' })).toBe(true);
    expect(isRunRequest({ ...request, mode: 'restore' })).toBe(true);
    expect(isRunRequest({ ...request, onlyTasks: ['bllvm:build'] })).toBe(true);
    expect(isRunRequest({ ...request, mode: 'build-everything' })).toBe(false);
    expect(isRunRequest({ ...request, onlyTasks: 'bllvm:build' })).toBe(false);
  });
});
