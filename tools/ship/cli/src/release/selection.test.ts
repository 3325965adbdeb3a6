import { describe, expect, it } from 'vitest';
import { buildSelection, releaseRuns } from './selection';

describe('releaseRuns', () => {
  it('builds what is not cached by default: release with its task dependencies', () => {
    expect(releaseRuns(['bllvm-consensus', 'bllvm'], false)).toEqual([
      { targets: ['release'], projects: ['bllvm-consensus', 'bllvm', 'release-set'], excludeTaskDependencies: false, releaseOptions: true },
    ]);
  });

  it('publish-only runs the release tasks without their dependencies, after the graph check and the executors\' bundle', () => {
    const runs = releaseRuns(['bllvm-consensus', 'bllvm'], true);
    expect(runs).toEqual([
      { targets: ['bundle'], projects: ['nx-plugin'], excludeTaskDependencies: true, releaseOptions: false },
      { targets: ['release'], projects: ['bllvm-consensus', 'bllvm', 'release-set'], excludeTaskDependencies: true, releaseOptions: true },
    ]);
    for (const build of ['build', 'compile', 'test', 'verify']) expect(runs.flatMap((r) => r.targets)).not.toContain(build);
  });
});

describe('buildSelection', () => {
  it("adds the release set's changelog to a run that prepares a release, and nothing to a partial one", () => {
    expect(buildSelection(['build', 'test', 'verify'], ['bllvm'])).toEqual({ targets: ['build', 'test', 'verify', 'changelog'], projects: ['bllvm', 'release-set'] });
    expect(buildSelection(['build'], ['bllvm'])).toEqual({ targets: ['build'], projects: ['bllvm'] });
    expect(buildSelection(['build', 'test'], ['bllvm'])).toEqual({ targets: ['build', 'test'], projects: ['bllvm'] });
    expect(buildSelection(['build', 'test', 'verify'], [])).toEqual({ targets: ['build', 'test', 'verify'], projects: [] });
  });
});
