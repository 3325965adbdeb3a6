/**
 * Component code (cargo build/test and their build scripts, proofs) runs under bubblewrap: new
 * user, network, PID, IPC and UTS namespaces, an unprivileged uid with every capability dropped
 * and no further user namespaces, an empty environment filled from an allow-list, and a file
 * system of exactly
 *
 *   /usr (+ /bin, /lib… as on the host)  read-only: the C toolchain and libc the linker needs
 *   /toolchain                           read-only: the Rust sysroot (rustc --print sysroot)
 *   /src/<repository>                    the checkouts, read-only (never writable, in any step)
 *   /target                              writable: this task's own target dir
 *   /cargo-home                          a sized tmpfs, with the registry cache read-only inside
 *                                        it (or, for the download step alone, the cache writable)
 *   /tmp, /home                          sized tmpfs
 *
 * at the same paths on every machine, so a build cannot read the workspace, the runner's home,
 * its tokens or another component's target dir, cannot reach the network, and the paths compiled
 * into binaries do not depend on where the workspace lives. Read-only means read-only in fact: a
 * process with no capability in its user namespace cannot remount a bind mount read-write.
 */

export type Mount =
  | {
      host: string;
      /** Absolute path inside the sandbox. */
      at: string;
      writable?: boolean;
      /** Mounted only if the host folder exists (an empty cache not made yet): bwrap's --ro-bind-try. */
      ifPresent?: boolean;
    }
  | {
      /** An empty tmpfs of at most this size (it is memory, charged to the task). */
      tmpfsMiB: number;
      at: string;
    };

export interface SandboxSpec {
  /** The Rust sysroot on the host, mounted at /toolchain. */
  sysroot: string;
  mounts: Mount[];
  /** Working directory inside the sandbox. */
  cwd: string;
  env: Record<string, string>;
  argv: string[];
  /**
   * Share the host's network: only for the step that downloads registry dependencies, which runs
   * over manifests and locks alone with a cargo home of ours, so no program or configuration of
   * the component is there to run. Never for a build, test, proof or metadata read.
   */
  network?: boolean;
  /** Size of the /tmp and /home tmpfs, each (default: DEFAULT_LIMITS.tmpMiB). */
  tmpMiB?: number;
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

/**
 * The uid and gid component code runs as inside its user namespace: not 0, so nothing in the
 * sandbox is root even by name, and with no capability a read-only mount stays read-only.
 */
export const SANDBOX_UID = 1000;

/** Default size of the sandbox's /tmp and /home. */
export const DEFAULT_TMP_MIB = 1024;

export class SandboxSpecError extends Error {}

/**
 * The command runs under a small shell of ours inside the sandbox that, once it has ended, tells
 * by its exit status whether one of the task's tmpfs is full: a write there failed for want of
 * space, which the task must not pass over as if nothing happened. `$0` names it, so a log of
 * sandbox commands can skip it; `$1` is the tmpfs folders, `:`-separated; the rest the command.
 * Component code could fake or hide the status; the size itself is the kernel's to hold.
 */
export const SANDBOX_SHELL_NAME = 'bllvm-sandbox';
export const TMPFS_FULL_EXIT = 86;
// One stat for every tmpfs (a process per mount costs more than the check): it prints a line of
// "free total" blocks per folder it could read, so the words come in pairs.
const TMPFS_CHECK =
  `d=$1; shift; "$@"; s=$?; IFS=:; set -- $d; unset IFS; set -- $(stat -f -c '%a %b' "$@" 2>/dev/null); ` +
  `while [ $# -ge 2 ]; do [ $(($1 * 100)) -lt "$2" ] && exit ${TMPFS_FULL_EXIT}; shift 2; done; exit $s`;

const MIB = 1024 * 1024;

/**
 * The bubblewrap command line for a spec. Pure: the same spec and layout give the same argv.
 * `statusFd`: an fd bwrap inherits, to write its JSON status to (bwrap-status.ts), which tells a
 * sandbox that never started the command from a command that exited.
 */
export function bwrapArgv(spec: SandboxSpec, layout: HostLayout, o: { statusFd?: number } = {}): string[] {
  if (o.statusFd !== undefined && !(Number.isSafeInteger(o.statusFd) && o.statusFd > 2)) throw new SandboxSpecError(`bwrap's status fd must be an inherited fd past stdio (got ${o.statusFd})`);
  for (const m of spec.mounts) {
    if (!m.at.startsWith('/') || m.at.split('/').includes('..')) throw new SandboxSpecError(`sandbox path "${m.at}" must be absolute and plain`);
    if (/^\/(usr|toolchain|proc|dev|etc|bin|lib|lib64|sbin|tmp|home)(\/|$)/.test(m.at)) throw new SandboxSpecError(`sandbox path "${m.at}" would shadow the system or toolchain`);
    if ('tmpfsMiB' in m && !(Number.isSafeInteger(m.tmpfsMiB) && m.tmpfsMiB > 0)) throw new SandboxSpecError(`tmpfs at "${m.at}" needs a positive size in MiB`);
  }
  const tmpBytes = String((spec.tmpMiB ?? DEFAULT_TMP_MIB) * MIB);
  const args = [
    '--unshare-all',
    ...(spec.network ? ['--share-net'] : []),
    // Started as root, bwrap would otherwise keep root and its capabilities in the sandbox (it
    // makes no user namespace for root unless asked): a build script could remount a read-only
    // checkout, /usr or the toolchain read-write. An unprivileged uid with no capability cannot,
    // and --disable-userns stops it from making a namespace of its own to regain them.
    '--unshare-user',
    '--uid', String(SANDBOX_UID),
    '--gid', String(SANDBOX_UID),
    '--disable-userns',
    '--cap-drop', 'ALL',
    '--die-with-parent',
    '--new-session',
    '--clearenv',
    '--hostname', 'builder',
    ...(o.statusFd === undefined ? [] : ['--json-status-fd', String(o.statusFd)]),
    '--ro-bind', '/usr', '/usr',
  ];
  for (const [name, target] of Object.entries(layout.symlinks).sort()) args.push('--symlink', target, `/${name}`);
  for (const dir of [...layout.dirs].sort()) args.push('--ro-bind', `/${dir}`, `/${dir}`);
  for (const e of layout.etc) args.push('--ro-bind', e, e);
  args.push('--proc', '/proc', '--dev', '/dev', '--size', tmpBytes, '--tmpfs', '/tmp', '--size', tmpBytes, '--tmpfs', '/home', '--dir', '/home/builder');
  args.push('--ro-bind', spec.sysroot, '/toolchain');
  // Parents before children, so a mount inside another (a checkout's subfolder) is not hidden.
  for (const m of [...spec.mounts].sort((a, b) => a.at.length - b.at.length || a.at.localeCompare(b.at))) {
    if ('tmpfsMiB' in m) args.push('--size', String(m.tmpfsMiB * MIB), '--tmpfs', m.at);
    else args.push((m.writable ? '--bind' : '--ro-bind') + (m.ifPresent ? '-try' : ''), m.host, m.at);
  }
  for (const [k, v] of Object.entries(spec.env).sort(([a], [b]) => a.localeCompare(b))) args.push('--setenv', k, v);
  const tmpfs = ['/tmp', '/home', ...spec.mounts.flatMap((m) => ('tmpfsMiB' in m ? [m.at] : []))];
  args.push('--chdir', spec.cwd, '--', '/bin/sh', '-c', TMPFS_CHECK, SANDBOX_SHELL_NAME, tmpfs.join(':'), ...spec.argv);
  return args;
}
