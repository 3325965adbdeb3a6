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
    expect(argv[0]).toBe('--unshare-all');
    expect(argv).toEqual(expect.arrayContaining(['--die-with-parent', '--new-session', '--clearenv']));
    expect(argv).not.toContain('--share-net');
  });

  it('runs as an unprivileged uid in its own user namespace, with no capability and no way to make another namespace', () => {
    const flags = argv.slice(0, argv.indexOf('--ro-bind'));
    expect(flags).toEqual(expect.arrayContaining(['--unshare-user', '--disable-userns']));
    expect(flags.join(' ')).toContain('--uid 1000 --gid 1000');
    expect(flags.join(' ')).toContain('--cap-drop ALL');
  });

  it('sizes every tmpfs: /tmp and /home by the spec, a tmpfs mount by its own size', () => {
    const sized = bwrapArgv({ ...spec, tmpMiB: 16, mounts: [...spec.mounts, { tmpfsMiB: 8, at: '/cargo-home' }] }, layout);
    const tmpfs = sized.flatMap((a, i) => (a === '--tmpfs' ? [`${sized[i - 1]} ${sized[i + 1]}`] : []));
    expect(tmpfs).toEqual([`${16 * 1024 * 1024} /tmp`, `${16 * 1024 * 1024} /home`, `${8 * 1024 * 1024} /cargo-home`]);
    expect(() => bwrapArgv({ ...spec, mounts: [{ tmpfsMiB: 0, at: '/x' }] }, layout)).toThrow('positive size');
  });

  it('mounts a cache folder only if it exists, when asked', () => {
    const a = bwrapArgv({ ...spec, mounts: [{ host: '/c/registry', at: '/cargo-home/registry', ifPresent: true }] }, layout);
    expect(a.join(' ')).toContain('--ro-bind-try /c/registry /cargo-home/registry');
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
    expect(argv.slice(-11)).toEqual(['--chdir', '/src/bllvm-node', '--', '/bin/sh', '-c', expect.stringContaining('"$@"'), 'bllvm-sandbox', '/tmp:/home', 'cargo', 'build', '--locked']);
  });

  it('shares the network only when asked (the download step), never by default', () => {
    expect(argv).not.toContain('--share-net');
    expect(bwrapArgv({ ...spec, network: true }, layout).slice(0, 2)).toEqual(['--unshare-all', '--share-net']);
    expect(bwrapArgv({ ...spec, network: true }, layout)).toContain('--cap-drop');
  });

  it('has bwrap write its status to the fd asked for, past stdio, and to none by default', () => {
    expect(argv).not.toContain('--json-status-fd');
    const withStatus = bwrapArgv(spec, layout, { statusFd: 3 });
    expect(withStatus.slice(0, withStatus.indexOf('--'))).toEqual(expect.arrayContaining(['--json-status-fd', '3']));
    expect(withStatus.filter((a) => a !== '--json-status-fd' && a !== '3')).toEqual(argv);
    for (const fd of [0, 2, -1, 3.5]) expect(() => bwrapArgv(spec, layout, { statusFd: fd }), String(fd)).toThrow('status fd');
  });

  it('refuses a mount that would shadow the system or leave its root', () => {
    expect(() => bwrapArgv({ ...spec, mounts: [{ host: '/x', at: '/usr/bin' }] }, layout)).toThrow('would shadow the system');
    expect(() => bwrapArgv({ ...spec, mounts: [{ host: '/x', at: '/tmp' }] }, layout)).toThrow('would shadow the system');
    expect(() => bwrapArgv({ ...spec, mounts: [{ host: '/x', at: 'src' }] }, layout)).toThrow('must be absolute');
    expect(() => bwrapArgv({ ...spec, mounts: [{ host: '/x', at: '/src/../etc' }] }, layout)).toThrow('must be absolute');
  });
});
