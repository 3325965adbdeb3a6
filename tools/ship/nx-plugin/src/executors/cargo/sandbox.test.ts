import { describe, expect, it } from 'vitest';
import { hostPath, sandboxCheckout, taskSandbox } from './sandbox';

const layout = {
  checkouts: { 'bllvm-protocol': '/w/.bllvm/sources/bllvm-protocol', 'bllvm-node': '/w/.bllvm/sources/bllvm-node' },
  self: 'bllvm-node',
  targetDir: '/w/.bllvm/target/bllvm-node/build',
  cargoHome: '/w/.bllvm/cargo-home/bllvm-node',
};

describe('the cargo task sandbox', () => {
  it('mounts every checkout read-only at /src/<folder>, and only the target dir and cargo home writable', () => {
    const spec = taskSandbox(layout, '/sysroot', { A: 'b' }, ['cargo', 'build']);
    expect(spec.mounts).toEqual([
      { host: '/w/.bllvm/sources/bllvm-protocol', at: '/src/bllvm-protocol', writable: false },
      { host: '/w/.bllvm/sources/bllvm-node', at: '/src/bllvm-node', writable: false },
      { host: layout.targetDir, at: '/target', writable: true },
      { host: layout.cargoHome, at: '/cargo-home', writable: true },
    ]);
    expect(spec.cwd).toBe('/src/bllvm-node');
    expect(sandboxCheckout('/anywhere/else/bllvm-node')).toBe('/src/bllvm-node');
  });

  it('makes the component itself writable only when asked (the lock-file step)', () => {
    const writable = taskSandbox(layout, '/sysroot', {}, ['cargo', 'generate-lockfile'], true).mounts.filter((m) => m.writable).map((m) => m.at);
    expect(writable).toEqual(['/src/bllvm-node', '/target', '/cargo-home']);
  });

  it('maps outputs back to the host target dir, and refuses any other path', () => {
    expect(hostPath(layout, '/target/release/bllvm-node')).toBe('/w/.bllvm/target/bllvm-node/build/release/bllvm-node');
    expect(() => hostPath(layout, '/src/bllvm-node/evil')).toThrow('outside its target dir');
    expect(() => hostPath(layout, '/targetx/y')).toThrow('outside its target dir');
  });
});
