import { describe, expect, it } from 'vitest';
import { bwrapArgv, type HostLayout } from './sandbox';

const layout: HostLayout = { symlinks: { bin: 'usr/bin', lib: 'usr/lib' }, dirs: ['lib64'], etc: ['/etc/alternatives'] };
const spec = {
  sysroot: '/root/.rustup/toolchains/stable',
  mounts: [
    { host: '/w/.bllvm/src/bllvm-node', at: '/src/bllvm-node' },
    { host: '/w/.bllvm/target/bllvm-node/build', at: '/target', writable: true },
    { host: '/w/.bllvm/src', at: '/src' },
  ],
  cwd: '/src/bllvm-node',
  env: { PATH: '/toolchain/bin:/usr/bin:/bin', HOME: '/home/builder' },
  argv: ['cargo', 'build', '--locked'],
};

describe('bwrapArgv', () => {
  const argv = bwrapArgv(spec, layout);
  const pairs = (flag: string) => argv.flatMap((a, i) => (a === flag ? [`${argv[i + 1]} -> ${argv[i + 2]}`] : []));

  it('unshares everything (network included) and starts from an empty environment', () => {
    expect(argv.slice(0, 4)).toEqual(['--unshare-all', '--die-with-parent', '--new-session', '--clearenv']);
    expect(argv).not.toContain('--share-net');
  });

  it('mounts the system and toolchain read-only, and only the target writable', () => {
    expect(pairs('--ro-bind')).toEqual([
      '/usr -> /usr', '/lib64 -> /lib64', '/etc/alternatives -> /etc/alternatives', '/root/.rustup/toolchains/stable -> /toolchain',
      '/w/.bllvm/src -> /src', '/w/.bllvm/src/bllvm-node -> /src/bllvm-node',
    ]);
    expect(pairs('--bind')).toEqual(['/w/.bllvm/target/bllvm-node/build -> /target']);
    expect(pairs('--symlink')).toEqual(['usr/bin -> /bin', 'usr/lib -> /lib']);
  });

  it('mounts parents before children, and ends with the command after --', () => {
    expect(argv.indexOf('/src')).toBeLessThan(argv.indexOf('/src/bllvm-node'));
    expect(argv.slice(-6)).toEqual(['--chdir', '/src/bllvm-node', '--', 'cargo', 'build', '--locked']);
  });

  it('shares the network only when asked (the download step), never by default', () => {
    expect(argv).not.toContain('--share-net');
    expect(bwrapArgv({ ...spec, network: true }, layout).slice(0, 2)).toEqual(['--unshare-all', '--share-net']);
  });

  it('refuses a mount that would shadow the system or leave its root', () => {
    expect(() => bwrapArgv({ ...spec, mounts: [{ host: '/x', at: '/usr/bin' }] }, layout)).toThrow('would shadow the system');
    expect(() => bwrapArgv({ ...spec, mounts: [{ host: '/x', at: 'src' }] }, layout)).toThrow('must be absolute');
    expect(() => bwrapArgv({ ...spec, mounts: [{ host: '/x', at: '/src/../etc' }] }, layout)).toThrow('must be absolute');
  });
});
