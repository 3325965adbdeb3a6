import { describe, expect, it } from 'vitest';
import { RUNNER_CLASSES, RunnerClassError, classOutputs, groupTasksByClass, planByClass, runnerClassOf, runnerClassProblems, tasksInGraphOrder } from './runner-classes';

const cls = (runnerClass: string) => ({ metadata: { runnerClass } });

describe('runnerClassOf', () => {
  const project = { tags: ['component'], targets: { build: cls('builds'), verify: cls('perf'), test: {}, odd: cls('gpu'), release: {} } };

  it('reads the class from the target metadata', () => {
    expect(runnerClassOf('bllvm', 'build', project)).toBe('builds');
    expect(runnerClassOf('bllvm', 'verify', project)).toBe('perf');
  });

  it('names the project and target of a missing or unknown class', () => {
    expect(() => runnerClassOf('bllvm', 'test', project)).toThrow(RunnerClassError);
    expect(() => runnerClassOf('bllvm', 'test', project)).toThrow(/^bllvm:test has no runner class; add "metadata": \{ "runnerClass": "<builds \| perf \| docker>" \}/);
    expect(() => runnerClassOf('bllvm', 'odd', project)).toThrow('bllvm:odd has runner class "gpu", which is not one of builds, perf, docker (libs/manifest/src/runner-classes.ts)');
    expect(() => runnerClassOf('bllvm', 'release', project)).toThrow('bllvm:release runs in the publish job; it has no runner class');
  });
});

describe('runnerClassProblems', () => {
  it('checks every target of the components and the release set, not the tools', () => {
    const projects = {
      'nx-plugin': { tags: ['type:ship'], targets: { bundle: {} } },
      'release-set': { tags: ['release-set'], targets: { 'graph-check': cls('builds'), release: {} } },
      bllvm: { tags: ['component', 'kind:binary'], targets: { build: cls('builds'), test: {}, release: cls('builds') } },
      image: { tags: ['component', 'kind:image'], targets: { compile: cls('builds'), build: { executor: './tools/ship/nx-plugin:docker', ...cls('builds') } } },
    };
    expect(runnerClassProblems(projects)).toEqual([
      'bllvm:release runs in the publish job and has no runner class; remove metadata.runnerClass ("builds") from it',
      expect.stringMatching(/^bllvm:test has no runner class/),
      'image:build builds an image, which needs a docker runner, but its runner class is "builds"; set metadata.runnerClass to "docker"',
    ]);
  });

  it('passes a fully classed stack', () => {
    expect(runnerClassProblems({ a: { tags: ['component'], targets: { build: cls('builds'), verify: cls('perf'), release: {} } } })).toEqual([]);
  });
});

describe('groupTasksByClass', () => {
  it('lists every class with its labels and its tasks in graph order, an idle class empty', () => {
    const groups = groupTasksByClass([
      { id: 'app:build', runnerClass: 'docker', dependencies: ['app:compile'] },
      { id: 'node:test', runnerClass: 'builds', dependencies: ['node:build'] },
      { id: 'app:compile', runnerClass: 'builds', dependencies: ['node:build'] },
      { id: 'node:build', runnerClass: 'builds', dependencies: ['consensus:build'] },
      { id: 'consensus:build', runnerClass: 'builds', dependencies: [] },
    ]);
    expect(groups).toEqual({
      builds: { labels: RUNNER_CLASSES.builds, tasks: ['consensus:build', 'node:build', 'app:compile', 'node:test'] },
      perf: { labels: ['self-hosted', 'Linux', 'X64', 'builds', 'perf'], tasks: [] },
      docker: { labels: ['self-hosted', 'Linux', 'X64', 'builds', 'docker'], tasks: ['app:build'] },
    });
  });

  it('refuses a cycle', () => {
    expect(() => tasksInGraphOrder([{ id: 'a', runnerClass: 'builds', dependencies: ['b'] }, { id: 'b', runnerClass: 'builds', dependencies: ['a'] }])).toThrow('the task graph has a cycle through a');
  });
});

describe('planByClass', () => {
  const tasks = [
    { id: 'app:build', project: 'app', target: 'build', runnerClass: 'docker', dependencies: ['app:compile'] },
    { id: 'app:compile', project: 'app', target: 'compile', runnerClass: 'builds', dependencies: ['node:build'] },
    { id: 'node:build', project: 'node', target: 'build', runnerClass: 'builds', dependencies: [] },
    { id: 'c:verify', project: 'c', target: 'verify', runnerClass: 'perf', dependencies: [] },
  ];

  it('plans the tasks of the selected projects only, by class', () => {
    expect(planByClass(tasks, ['app'])).toEqual({
      builds: { labels: RUNNER_CLASSES.builds, tasks: ['app:compile'] },
      perf: { labels: RUNNER_CLASSES.perf, tasks: [] },
      docker: { labels: RUNNER_CLASSES.docker, tasks: ['app:build'] },
    });
    expect(planByClass(tasks, ['app', 'node', 'c']).builds.tasks).toEqual(['node:build', 'app:compile']);
  });

  it('says for $GITHUB_OUTPUT which classes have work', () => {
    expect(classOutputs(planByClass(tasks, ['app']))).toEqual(['builds=true', 'perf=false', 'docker=true']);
    expect(classOutputs(planByClass(tasks, []))).toEqual(['builds=false', 'perf=false', 'docker=false']);
  });

  it('names a task without a class', () => {
    expect(() => planByClass([{ id: 'x:test', project: 'x', target: 'test', dependencies: [] }], ['x'])).toThrow(/^x:test has no runner class/);
  });
});
