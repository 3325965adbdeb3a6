import { describe, expect, it } from 'vitest';
import { registryConfigArgs } from '@bllvm/sources';
import { patchArgs } from './cargo-args';
import { cargoConfigToml, commandSandbox } from './sandbox-command';
import { taskSandbox } from './sandbox';

const layout = {
  checkouts: { 'bllvm-consensus': '/w/.bllvm/sources/bllvm-consensus', 'bllvm-protocol': '/w/.bllvm/sources/bllvm-protocol' },
  crateDirs: { 'bllvm-protocol': 'crates/protocol' },
  self: 'bllvm-protocol',
  targetDir: '/w/.bllvm/target/bllvm-protocol/build',
  registryHome: '/w/.bllvm/cargo-home/bllvm-protocol',
};
const extra = { dist: '/scratch/dist/bllvm-protocol', cargoConfig: '/w/.bllvm/scratch/x/config.toml' };

describe('a command run beside a cargo task', () => {
  it('is the task sandbox with the command as the one argument of sh -c, whatever it holds', () => {
    const command = `echo "$GITHUB_TOKEN"; rm -rf / ; $(touch /x) '`;
    const spec = commandSandbox(layout, '/sysroot', { CARGO_HOME: '/cargo-home' }, command, 128, extra);
    const task = taskSandbox(layout, '/sysroot', { CARGO_HOME: '/cargo-home' }, ['sh', '-c', command], 128);
    expect(spec.argv).toEqual(['sh', '-c', command]);
    expect(spec).toEqual({ ...task, mounts: expect.any(Array) });
    expect(spec.mounts.slice(0, task.mounts.length)).toEqual(task.mounts);
    expect(spec.cwd).toBe('/src/bllvm-protocol/crates/protocol');
    expect(spec.network).toBeUndefined();
  });

  it('adds only read-only mounts: the state outputs at /dist and the build cargo config in the cargo home', () => {
    const spec = commandSandbox(layout, '/sysroot', {}, 'true', 128, extra);
    expect(spec.mounts.slice(-2)).toEqual([
      { host: extra.dist, at: '/dist' },
      { host: extra.cargoConfig, at: '/cargo-home/config.toml' },
    ]);
    expect(spec.mounts.filter((m) => 'writable' in m && m.writable).map((m) => m.at)).toEqual(['/target']);
  });

  it('writes the task cargo --config flags as a config.toml, one line each', () => {
    const args = [...registryConfigArgs({ cargoRegistry: 'sparse+http://127.0.0.1:9/index/' }), ...patchArgs({ 'bllvm-consensus': '/src/bllvm-consensus' })];
    expect(cargoConfigToml(args)).toBe(
      'source.crates-io.replace-with="bllvm-registry"\n' +
        'source.bllvm-registry.registry="sparse+http://127.0.0.1:9/index/"\n' +
        'patch.crates-io.bllvm-consensus.path="/src/bllvm-consensus"\n',
    );
    expect(cargoConfigToml([])).toBe('');
    expect(() => cargoConfigToml(['--release'])).toThrow(/not a cargo --config flag/);
  });
});
