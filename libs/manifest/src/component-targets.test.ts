import { describe, expect, it } from 'vitest';
import { BUNDLE_DEPENDENCY, TEST_INPUTS, componentShape, componentTargetNames, componentTargets } from './component-targets';

describe('componentTargets', () => {
  it('gives a library or binary a cargo build, test and release that needs the bundle', () => {
    const t = componentTargets({ kinds: ['library'], verify: false });
    expect(Object.keys(t)).toEqual(['build', 'test', 'package', 'api', 'release']);
    expect(Object.keys(componentTargets({ kinds: ['binary'], verify: false }))).toEqual(['build', 'test', 'release']);
    expect(t.build).toMatchObject({ executor: './tools/ship/nx-plugin:cargo', cache: true, dependsOn: ['^build', BUNDLE_DEPENDENCY], options: { command: 'build', profile: 'release' }, metadata: { runnerClass: 'builds' } });
    expect(t.test).toMatchObject({ dependsOn: ['build', BUNDLE_DEPENDENCY], inputs: [...TEST_INPUTS], outputs: ['{workspaceRoot}/dist/{projectName}/test'] });
    expect(t.release).toEqual({ executor: './tools/ship/nx-plugin:stage', cache: false, dependsOn: ['build', 'test', 'package', BUNDLE_DEPENDENCY] });
    expect(componentTargets({ kinds: ['binary'], verify: false }).release!.dependsOn).toEqual(['build', 'test', BUNDLE_DEPENDENCY]);
  });

  it('builds an image from a static compile, on a docker runner, tests the compile', () => {
    const t = componentTargets({ kinds: ['binary', 'image'], verify: false });
    expect(Object.keys(t)).toEqual(['compile', 'build', 'test', 'release']);
    expect(t.compile!.options).toEqual({ command: 'build', profile: 'release', static: true });
    expect(t.build).toMatchObject({ executor: './tools/ship/nx-plugin:docker', dependsOn: ['compile', BUNDLE_DEPENDENCY], options: { network: 'none' }, metadata: { runnerClass: 'docker' } });
    expect(t.build!.inputs).toContain('{projectRoot}/Dockerfile');
    expect(t.test!.dependsOn[0]).toBe('compile');
  });

  it('adds verify, on the perf runners, and makes release wait for it, where the component has proofs', () => {
    const t = componentTargets({ kinds: ['library'], verify: true });
    expect(t.verify).toMatchObject({ options: { command: 'verify' }, metadata: { runnerClass: 'perf' }, inputs: ['pin', '^pin', 'toolchain'] });
    expect(t.release!.dependsOn).toEqual(['build', 'test', 'verify', 'package', BUNDLE_DEPENDENCY]);
  });

  it('packages a library only, after its upstreams are packaged, into dist/<c>/crate, before its release; the develop set is an input', () => {
    const t = componentTargets({ kinds: ['library'], verify: true });
    expect(t.package).toEqual({
      executor: './tools/ship/nx-plugin:cargo',
      cache: true,
      dependsOn: ['^package', BUNDLE_DEPENDENCY],
      inputs: ['pin', '^pin', 'cargoExecutor', 'toolchain', '{workspaceRoot}/apps/release-set/develop-crates.json'],
      outputs: ['{workspaceRoot}/dist/{projectName}/crate'],
      options: { command: 'package' },
      metadata: { runnerClass: 'builds' },
    });
    expect(t.release!.dependsOn).toContain('package');
    expect(componentTargets({ kinds: ['binary', 'image'], verify: false }).package).toBeUndefined();
  });

  it('documents the public API of a library into dist/<c>/api from the inputs of its build, which no release waits for', () => {
    const t = componentTargets({ kinds: ['library'], verify: false });
    expect(t.api).toEqual({
      executor: './tools/ship/nx-plugin:cargo',
      cache: true,
      dependsOn: [BUNDLE_DEPENDENCY],
      inputs: t.build!.inputs,
      outputs: ['{workspaceRoot}/dist/{projectName}/api'],
      options: { command: 'api', allFeatures: true },
      metadata: { runnerClass: 'builds' },
    });
    expect(t.release!.dependsOn).not.toContain('api');
    expect(componentTargets({ kinds: ['binary'], verify: false }).api).toBeUndefined();
  });

  it('hands out fresh values, so a caller that merges into one cannot change another', () => {
    const a = componentTargets({ kinds: ['library'], verify: false });
    (a.build!.dependsOn[1] as { projects: string[] }).projects.push('x');
    expect(componentTargets({ kinds: ['library'], verify: false }).build!.dependsOn[1]).toEqual(BUNDLE_DEPENDENCY);
  });
});

describe('componentShape', () => {
  it('reads the kinds from the tags and proofs from a verify target; no shape for other projects', () => {
    expect(componentShape({ tags: ['component', 'kind:binary', 'kind:image'] })).toEqual({ kinds: ['binary', 'image'], verify: false });
    expect(componentShape({ tags: ['component', 'kind:library'], targets: { verify: {} } })).toEqual({ kinds: ['library'], verify: true });
    expect(componentShape({ tags: ['release-set'] })).toBeUndefined();
    expect(componentTargetNames({ kinds: ['library'], verify: true })).toEqual(['build', 'test', 'verify', 'package', 'api', 'release']);
  });
});
