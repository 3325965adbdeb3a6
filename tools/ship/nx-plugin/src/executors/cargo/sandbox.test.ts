import { describe, expect, it } from 'vitest';
import { sandboxCheckout, taskSandbox } from './sandbox';

const layout = {
  checkouts: { 'bllvm-protocol': '/w/.bllvm/sources/bllvm-protocol', 'bllvm-node': '/w/.bllvm/sources/bllvm-node' },
  self: 'bllvm-node',
  targetDir: '/w/.bllvm/target/bllvm-node/build',
  registryHome: '/w/.bllvm/cargo-home/bllvm-node',
};

describe('the cargo task sandbox', () => {
  it('mounts every checkout read-only at /src/<folder>, the target dir writable, and the registry cache read-only in a cargo home of its own', () => {
    const spec = taskSandbox(layout, '/sysroot', { A: 'b' }, ['cargo', 'build'], 256);
    expect(spec.mounts).toEqual([
      { host: '/w/.bllvm/sources/bllvm-protocol', at: '/src/bllvm-protocol' },
      { host: '/w/.bllvm/sources/bllvm-node', at: '/src/bllvm-node' },
      { host: layout.targetDir, at: '/target', writable: true },
      { tmpfsMiB: 256, at: '/cargo-home' },
      { host: '/w/.bllvm/cargo-home/bllvm-node/registry', at: '/cargo-home/registry', ifPresent: true },
      { host: '/w/.bllvm/cargo-home/bllvm-node/git', at: '/cargo-home/git', ifPresent: true },
    ]);
    expect(spec.cwd).toBe('/src/bllvm-node');
    expect(sandboxCheckout('/anywhere/else/bllvm-node')).toBe('/src/bllvm-node');
  });

  it('has one writable host folder, the target dir: no step of a task can write a checkout or the registry cache', () => {
    const writable = taskSandbox(layout, '/sysroot', {}, ['cargo', 'test'], 64).mounts.filter((m) => 'writable' in m && m.writable).map((m) => m.at);
    expect(writable).toEqual(['/target']);
  });
});
