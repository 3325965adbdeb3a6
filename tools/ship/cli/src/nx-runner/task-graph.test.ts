import { describe, expect, it } from 'vitest';
import { graphTasks, pruneTaskGraph, restoreSet } from './task-graph';

const task = (id: string) => {
  const [project, target] = id.split(':') as [string, string];
  return { id, target: { project, target } };
};
const graph = {
  roots: ['nx-plugin:bundle'],
  tasks: Object.fromEntries(['nx-plugin:bundle', 'node:build', 'app:compile', 'app:build', 'node:test', 'c:verify'].map((id) => [id, task(id)])),
  dependencies: {
    'nx-plugin:bundle': [],
    'node:build': ['nx-plugin:bundle'],
    'app:compile': ['node:build', 'nx-plugin:bundle'],
    'app:build': ['app:compile', 'nx-plugin:bundle'],
    'node:test': ['node:build'],
    'c:verify': ['nx-plugin:bundle'],
  },
  continuousDependencies: {},
};

describe('pruneTaskGraph', () => {
  it('keeps the asked tasks and what they depend on, nothing else', () => {
    const pruned = pruneTaskGraph(graph, ['app:build']);
    expect(Object.keys(pruned.tasks).sort()).toEqual(['app:build', 'app:compile', 'node:build', 'nx-plugin:bundle']);
    expect(Object.keys(pruned.dependencies).sort()).toEqual(Object.keys(pruned.tasks).sort());
    expect(pruned.roots).toEqual(['nx-plugin:bundle']);
    expect(Object.keys(pruneTaskGraph(graph, ['c:verify']).tasks).sort()).toEqual(['c:verify', 'nx-plugin:bundle']);
  });

  it('names a task the graph does not have', () => {
    expect(() => pruneTaskGraph(graph, ['gone:build'])).toThrow('the task graph has no task gone:build');
  });
});

describe('graphTasks', () => {
  it('reports each task with its configured class and dependencies', () => {
    const nodes = { app: { data: { targets: { build: { metadata: { runnerClass: 'docker' } }, compile: {} } } } };
    const tasks = graphTasks(graph, nodes);
    expect(tasks.find((t) => t.id === 'app:build')).toEqual({ id: 'app:build', project: 'app', target: 'build', runnerClass: 'docker', dependencies: ['app:compile', 'nx-plugin:bundle'] });
    expect(tasks.find((t) => t.id === 'app:compile')).toEqual({ id: 'app:compile', project: 'app', target: 'compile', dependencies: ['node:build', 'nx-plugin:bundle'] });
  });
});

describe('restoreSet', () => {
  const withCache = (id: string, cache: boolean, outputs: string[] = []) => ({ ...task(id), cache, outputs });
  const release = {
    roots: [],
    tasks: Object.fromEntries([
      withCache('nx-plugin:bundle', true, ['x']),
      withCache('node:build', true, ['dist/node/build']),
      withCache('node:release', false),
      withCache('release-set:graph-check', false),
      withCache('release-set:release', false),
    ].map((t) => [t.id, t])),
    dependencies: {},
    continuousDependencies: {},
  };

  it('is every cacheable task the release depends on, not the release tasks or the tools\' bundles', () => {
    expect(restoreSet(release, ['release'])).toEqual(['node:build']);
  });

  it('refuses an uncached task with outputs', () => {
    const bad = { ...release, tasks: { ...release.tasks, 'node:test': withCache('node:test', false, ['dist/node/test']) } };
    expect(() => restoreSet(bad, ['release'])).toThrow('node:test has outputs but is not cached ("cache": false), so the publish job cannot restore them; make it cacheable');
  });
});
