import { describe, expect, it } from 'vitest';
import { changedInputs, describeChangedInputs, globRegExp } from './changed-inputs';

// nx.json's named inputs as this workspace writes them, and a component's targets as the plugin infers them.
const NAMED = {
  pin: ['{projectRoot}/pin.toml'],
  cargoExecutor: [
    '{workspaceRoot}/tools/ship/nx-plugin/src/executors/cargo/**/*.ts',
    '{workspaceRoot}/libs/sources/src/**/*.ts',
    '!{workspaceRoot}/**/*.test.ts',
  ],
  dockerExecutor: ['{workspaceRoot}/tools/ship/nx-plugin/src/executors/docker/**/*.ts', '!{workspaceRoot}/**/*.test.ts'],
  toolchain: [{ runtime: 'rustc -Vv' }, { env: 'RUSTFLAGS' }],
  default: ['{projectRoot}/**/*', 'sharedGlobals'],
  sharedGlobals: [],
};
const TARGETS = {
  build: ['pin', '^pin', 'cargoExecutor', 'dockerExecutor', 'toolchain', '{projectRoot}/Dockerfile'],
  test: ['pin', '^pin', 'cargoExecutor', 'toolchain', { input: 'pin', projects: ['muhash'] }],
};

describe('changedInputs', () => {
  it('names the input a changed executor file falls in, and leaves out tests and other projects\' files', () => {
    const changed = [
      'tools/ship/nx-plugin/src/executors/cargo/run-cargo.ts',
      'tools/ship/nx-plugin/src/executors/cargo/run-cargo.test.ts',
      'tools/ship/nx-plugin/src/executors/cargo/lib/deep.ts',
      'libs/events/src/fields.ts',
      'README.md',
    ];
    expect(changedInputs('apps/app', TARGETS, NAMED, changed)).toEqual([
      { input: 'cargoExecutor', files: ['tools/ship/nx-plugin/src/executors/cargo/lib/deep.ts', 'tools/ship/nx-plugin/src/executors/cargo/run-cargo.ts'] },
    ]);
  });

  it('reads project-relative patterns and several inputs at once; dependency, runtime and env inputs select no file', () => {
    const changed = ['apps/app/Dockerfile', 'apps/other/Dockerfile', 'tools/ship/nx-plugin/src/executors/docker/run-docker.ts', 'libs/sources/src/git.ts'];
    expect(changedInputs('apps/app', TARGETS, NAMED, changed)).toEqual([
      { input: '{projectRoot}/Dockerfile', files: ['apps/app/Dockerfile'] },
      { input: 'cargoExecutor', files: ['libs/sources/src/git.ts'] },
      { input: 'dockerExecutor', files: ['tools/ship/nx-plugin/src/executors/docker/run-docker.ts'] },
    ]);
    expect(changedInputs('apps/app', { build: ['^pin', 'toolchain', { input: 'pin', dependencies: true }] }, NAMED, ['apps/dep/pin.toml'])).toEqual([]);
  });

  it('reports a named input under the name the target uses, and survives a named input that names itself', () => {
    expect(changedInputs('apps/app', { build: ['default'] }, NAMED, ['apps/app/src/x.rs'])).toEqual([{ input: 'default', files: ['apps/app/src/x.rs'] }]);
    expect(changedInputs('apps/app', { build: ['loop'] }, { loop: ['loop', '{projectRoot}/a'] }, ['apps/app/a'])).toEqual([{ input: 'loop', files: ['apps/app/a'] }]);
  });
});

describe('globRegExp', () => {
  it.each([
    ['{workspaceRoot}/libs/**/*.ts', 'libs/a.ts', true],
    ['{workspaceRoot}/libs/**/*.ts', 'libs/x/y/a.ts', true],
    ['{workspaceRoot}/libs/**/*.ts', 'libsx/a.ts', false],
    ['{workspaceRoot}/libs/*.ts', 'libs/x/a.ts', false],
    ['{projectRoot}/pin.toml', 'apps/app/pin.toml', true],
    ['{projectRoot}/pin.toml', 'apps/app2/pin.toml', false],
    ['{workspaceRoot}/a.{ts,json}', 'a.json', true],
    ['{workspaceRoot}/a?.ts', 'ab.ts', true],
    ['{workspaceRoot}/a.ts', 'aXts', false],
  ])('%s matches %s: %s', (pattern, file, want) => {
    expect(globRegExp(pattern, 'apps/app').test(file)).toBe(want);
  });
});

describe('describeChangedInputs', () => {
  it('names each input and at most three files of each', () => {
    expect(describeChangedInputs([{ input: 'cargoExecutor', files: ['a.ts'] }])).toBe('input cargoExecutor (a.ts) changed');
    expect(describeChangedInputs([{ input: 'cargoExecutor', files: ['a', 'b', 'c', 'd', 'e'] }, { input: 'dockerExecutor', files: ['f'] }])).toBe(
      'inputs cargoExecutor (a, b, c and 2 more); dockerExecutor (f) changed',
    );
  });
});
