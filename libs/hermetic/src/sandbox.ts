/**
 * Component code (cargo build/test and their build scripts, proofs) runs under bubblewrap: new
 * user, network, PID, IPC and UTS namespaces, an empty environment filled from an allow-list, and
 * a file system of exactly
 *
 *   /usr (+ /bin, /lib… as on the host)  read-only: the C toolchain and libc the linker needs
 *   /toolchain                           read-only: the Rust sysroot (rustc --print sysroot)
 *   /src/<repository>                    the checkouts, read-only (one may be writable for the
 *                                        lock-file step, which runs no build script)
 *   /target, /cargo-home                 writable: this task's own target dir and cargo home
 *   /tmp, /home                          empty tmpfs
 *
 * at the same paths on every machine, so a build cannot read the workspace, the runner's home,
 * its tokens or another component's target dir, cannot reach the network, and the paths compiled
 * into binaries do not depend on where the workspace lives.
 */

export interface Mount {
  host: string;
  /** Absolute path inside the sandbox. */
  at: string;
  writable?: boolean;
}

export interface SandboxSpec {
  /** The Rust sysroot on the host, mounted at /toolchain. */
  sysroot: string;
  mounts: Mount[];
  /** Working directory inside the sandbox. */
  cwd: string;
  env: Record<string, string>;
  argv: string[];
  /**
   * Share the host's network: only for the step that downloads dependencies (`cargo fetch`),
   * which compiles and runs nothing of the component. Never for a build, test or proof.
   */
  network?: boolean;
}

/** What the host's root looks like: Debian's merged /usr has /bin, /lib… as symlinks into /usr. */
export interface HostLayout {
  /** Top-level names that are symlinks on the host, with their targets (e.g. bin → usr/bin). */
  symlinks: Record<string, string>;
  /** Top-level names that are real directories needed besides /usr (e.g. lib64 on a split /usr). */
  dirs: string[];
  /** /etc entries the C toolchain needs (the cc alternatives, the loader cache) that exist here. */
  etc: string[];
}

const ROOT_ENTRIES = ['bin', 'sbin', 'lib', 'lib32', 'lib64'];
export const ETC_NEEDED = ['/etc/alternatives', '/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d'];
export { ROOT_ENTRIES };

export class SandboxSpecError extends Error {}

/** The bubblewrap command line for a spec. Pure: the same spec and layout give the same argv. */
export function bwrapArgv(spec: SandboxSpec, layout: HostLayout): string[] {
  for (const m of spec.mounts) {
    if (!m.at.startsWith('/') || m.at.split('/').includes('..')) throw new SandboxSpecError(`sandbox path "${m.at}" must be absolute and plain`);
    if (/^\/(usr|toolchain|proc|dev|etc|bin|lib|lib64|sbin)(\/|$)/.test(m.at)) throw new SandboxSpecError(`sandbox path "${m.at}" would shadow the system or toolchain`);
  }
  const args = ['--unshare-all', ...(spec.network ? ['--share-net'] : []), '--die-with-parent', '--new-session', '--clearenv', '--hostname', 'builder', '--ro-bind', '/usr', '/usr'];
  for (const [name, target] of Object.entries(layout.symlinks).sort()) args.push('--symlink', target, `/${name}`);
  for (const dir of [...layout.dirs].sort()) args.push('--ro-bind', `/${dir}`, `/${dir}`);
  for (const e of layout.etc) args.push('--ro-bind', e, e);
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--tmpfs', '/home', '--dir', '/home/builder');
  args.push('--ro-bind', spec.sysroot, '/toolchain');
  // Parents before children, so a mount inside another (a checkout's subfolder) is not hidden.
  for (const m of [...spec.mounts].sort((a, b) => a.at.length - b.at.length || a.at.localeCompare(b.at))) {
    args.push(m.writable ? '--bind' : '--ro-bind', m.host, m.at);
  }
  for (const [k, v] of Object.entries(spec.env).sort(([a], [b]) => a.localeCompare(b))) args.push('--setenv', k, v);
  args.push('--chdir', spec.cwd, '--', ...spec.argv);
  return args;
}
