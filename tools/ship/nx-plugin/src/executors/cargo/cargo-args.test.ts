import { describe, expect, it } from 'vitest';
import { cargoCommandArgs, patchArgs, rustflagsFor, taskArgv, withCargoConfig } from './cargo-args';

describe('cargo arguments', () => {
  it('builds release with features and --locked only when asked', () => {
    expect(cargoCommandArgs({ command: 'build', features: ['production', 'zmq'] }, false)).toEqual([
      'build', '--message-format=json-render-diagnostics', '--release', '--features', 'production,zmq',
    ]);
    expect(cargoCommandArgs({ command: 'build', profile: 'dev' }, true)).toEqual(['build', '--message-format=json-render-diagnostics', '--locked']);
  });

  it('targets the gnu triple with crt-static for static builds', () => {
    expect(cargoCommandArgs({ command: 'build', static: true }, false)).toContain('x86_64-unknown-linux-gnu');
    expect(rustflagsFor({ command: 'build', static: true }, '-C debuginfo=0')).toBe('-C debuginfo=0 -C target-feature=+crt-static');
    expect(rustflagsFor({ command: 'build' }, undefined)).toBeUndefined();
  });

  it('passes test arguments after --', () => {
    expect(cargoCommandArgs({ command: 'test', allFeatures: true, profile: 'dev', testArgs: ['--test-threads=1'] }, false)).toEqual([
      'test', '--all-features', '--', '--test-threads=1',
    ]);
  });

  it('patches registry siblings to their checkouts as TOML strings', () => {
    expect(patchArgs({ 'bllvm-node': '/w/sources/bllvm-node' })).toEqual(['--config', 'patch.crates-io.bllvm-node.path="/w/sources/bllvm-node"']);
    // A quote in a path must not end the TOML string early.
    expect(patchArgs({ x: '/a"b' })[1]).toBe('patch.crates-io.x.path="/a\\"b"');
  });

  it('puts --config right after cargo in a configured verify command, and leaves other tools alone', () => {
    expect(withCargoConfig(['cargo', 'kani', '--features', 'verify'], ['--config', 'p'])).toEqual(['cargo', '--config', 'p', 'kani', '--features', 'verify']);
    expect(withCargoConfig(['cargo-spec-lock', 'verify'], ['--config', 'p'])).toEqual(['cargo-spec-lock', 'verify']);
  });

  it('runs cargo with the patches, or the configured verify command, and has no command for verify without one', () => {
    expect(taskArgv({ command: 'test', profile: 'dev' }, ['--config', 'p'], true)).toEqual(['cargo', '--config', 'p', 'test', '--locked']);
    expect(taskArgv({ command: 'verify', verifyCommand: ['cargo', 'kani'] }, ['--config', 'p'], true)).toEqual(['cargo', '--config', 'p', 'kani']);
    expect(taskArgv({ command: 'verify' }, [], false)).toBeUndefined();
    expect(taskArgv({ command: 'verify', verifyCommand: [] }, [], false)).toBeUndefined();
  });
});
