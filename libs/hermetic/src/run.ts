import { lstat, readlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { execa, type Result } from 'execa';
import { MAX_STATUS_BYTES, STATUS_FD, parseBwrapStatus, sandboxStarted } from './bwrap-status';
import { CgroupUnavailableError, TaskCgroup } from './cgroup';
import { treeBytes, watchDisk } from './disk-usage';
import { DEFAULT_LIMITS, type LimitKind, type SandboxLimits } from './limits';
import { ETC_NEEDED, type HostLayout, ROOT_ENTRIES, type SandboxSpec, TMPFS_FULL_EXIT, bwrapArgv } from './sandbox';

let layout: Promise<HostLayout> | undefined;

/** How this machine's root is laid out (read once per process). */
export function hostLayout(): Promise<HostLayout> {
  layout ??= (async () => {
    const symlinks: Record<string, string> = {};
    const dirs: string[] = [];
    for (const name of ROOT_ENTRIES) {
      const st = await lstat(`/${name}`).catch(() => undefined);
      if (!st) continue;
      if (st.isSymbolicLink()) symlinks[name] = await readlink(`/${name}`);
      else if (st.isDirectory()) dirs.push(name);
    }
    return { symlinks, dirs, etc: ETC_NEEDED.filter((e) => existsSync(e)) };
  })();
  return layout;
}

let sysroot: Promise<string> | undefined;

/** The Rust sysroot the host's `rustc` uses: what the sandbox mounts at /toolchain. */
export function rustSysroot(): Promise<string> {
  sysroot ??= execa('rustc', ['--print', 'sysroot']).then((r) => r.stdout.trim());
  return sysroot;
}

export class SandboxUnavailableError extends Error {}

function bwrapEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin' };
}

/**
 * Joins the cgroups named before `--` and then becomes bubblewrap, so the sandbox and everything
 * it starts are inside the task's limits from their first instruction. Our own script: the
 * arguments are positional parameters, never part of the script text.
 */
const JOIN_THEN_EXEC =
  'ulimit -f "$1" || exit 125; shift; while [ "$1" != -- ]; do echo $$ > "$1" || { echo "bllvm-sandbox: cannot join $1" >&2; exit 125; }; shift; done; shift; exec "$@"';

/**
 * The largest file the task may write, in the 512-byte blocks of sh's `ulimit -f`: one block past
 * the disk limit, so one file alone cannot fill the disk between two of the watcher's looks, and a
 * file stopped there is over the limit when the tree is measured after the run.
 */
const fileSizeBlocks = (limits: SandboxLimits) => String(limits.diskMiB * 2048 + 1);

/**
 * bubblewrap must be there and work here (user namespaces allowed, limits applicable); checked
 * once per process, and only after a run that did not pass: a sandbox that cannot start runs
 * nothing (bwrap stops before the command), so the check only turns that failure into a clear
 * error, and a run that passed has shown the sandbox works without a process of its own.
 */
let probe: Promise<void> | undefined;
export function ensureSandbox(): Promise<void> {
  probe ??= (async () => {
    const argv = bwrapArgv({ sysroot: '/usr', mounts: [], cwd: '/', env: {}, argv: ['/usr/bin/true'] }, await hostLayout());
    const r = await execa('bwrap', argv, { reject: false, env: bwrapEnv(), extendEnv: false });
    if (r.failed) {
      const why = (r as { code?: string }).code === 'ENOENT' ? 'bwrap is not installed (apt-get install bubblewrap)' : String(r.stderr || r.shortMessage).trim();
      throw new SandboxUnavailableError(`component code runs only inside the build sandbox, which cannot start here: ${why}`);
    }
    // Limits are part of the boundary: no task runs without them.
    await (await TaskCgroup.create(DEFAULT_LIMITS).catch((e: Error) => Promise.reject(new SandboxUnavailableError(e.message)))).remove();
  })();
  return probe;
}

export interface RunOptions {
  stdout?: 'pipe' | 'inherit';
  stderr?: 'pipe' | 'inherit';
  /** The task's limits (default DEFAULT_LIMITS); the wall time is `timeoutMs` when given. */
  limits?: SandboxLimits;
  timeoutMs?: number;
}

export type SandboxResult = Result & {
  /** The limit the task went over, when it did: the reason it failed, whatever its exit code says. */
  limitHit?: LimitKind;
  /** CPU time (user + system, ms) of every process of the sandbox, from its control group; undefined where the kernel does not count it. */
  cpuMs?: number;
  /**
   * Whether the sandbox started the command (bwrap-status.ts): when not, the exit code is the
   * launcher's (125: it could not apply the limits) or bubblewrap's (1: it could not set up the
   * sandbox), never the command's, and its stderr (when piped) says why.
   */
  started: boolean;
};

/**
 * The first `max` bytes of a stream, as text, once it has ended (or failed); the rest is read and
 * dropped, so the writer is never blocked on a full pipe.
 */
function readBounded(stream: Readable | null, max: number): Promise<string> {
  if (!stream) return Promise.resolve('');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer | string) => {
      if (size >= max) return;
      const part = Buffer.from(chunk).subarray(0, max - size);
      chunks.push(part);
      size += part.length;
    });
    const done = () => resolve(Buffer.concat(chunks).toString('utf8'));
    stream.once('end', done);
    stream.once('close', done);
    stream.once('error', done);
  });
}

/** Captured output of a sandbox is bounded: component code must not fill our memory either. */
const MAX_CAPTURED = 64 * 1024 * 1024;

/**
 * Run a command inside the sandbox, within its limits; resolves when it and every process it
 * started have ended (non-zero exits and limits are results, not throws).
 */
export async function runInSandbox(spec: SandboxSpec, o: RunOptions = {}): Promise<SandboxResult> {
  const limits = o.limits ?? DEFAULT_LIMITS;
  const argv = bwrapArgv({ tmpMiB: limits.tmpMiB, ...spec }, await hostLayout(), { statusFd: STATUS_FD });
  // Limits are part of the boundary: no task runs without its control group.
  const group = await TaskCgroup.create(limits).catch((e: Error) => Promise.reject(e instanceof CgroupUnavailableError ? new SandboxUnavailableError(e.message) : e));
  let diskOver = false;
  try {
    // bwrap itself gets no environment of ours either, but PATH to be found: --clearenv empties the
    // child's, and extendEnv: false keeps the runner's tokens out of bwrap's own /proc/<pid>/environ.
    const child = execa('/bin/sh', ['-c', JOIN_THEN_EXEC, 'sh', fileSizeBlocks(limits), ...group.procsFiles, '--', 'bwrap', ...argv], {
      env: bwrapEnv(),
      extendEnv: false,
      reject: false,
      // The fourth is bwrap's status pipe (STATUS_FD): read here, bounded, not buffered by execa.
      stdio: ['ignore', o.stdout ?? 'pipe', o.stderr ?? 'inherit', 'pipe'],
      buffer: { fd3: false },
      maxBuffer: MAX_CAPTURED,
      timeout: o.timeoutMs ?? limits.wallSeconds * 1000,
      killSignal: 'SIGKILL',
    });
    const status = readBounded(child.stdio[STATUS_FD] as Readable | null, MAX_STATUS_BYTES);
    const writable = spec.mounts.flatMap((m) => ('host' in m && m.writable ? [m.host] : []));
    const diskBytes = limits.diskMiB * 1024 * 1024;
    const stopWatching = watchDisk(writable, diskBytes, () => {
      diskOver = true;
      void group.killAll().catch(() => undefined);
    });
    const r = await child;
    stopWatching();
    // Whatever the command left behind (a daemon a build script started) ends before anything
    // reads what the sandbox wrote.
    await group.killAll();
    // Once more now that nothing writes: a task that went over between two looks is over all the same.
    if (!diskOver) diskOver = (await Promise.all(writable.map((d) => treeBytes(d, diskBytes)))).reduce((a, b) => a + b, 0) > diskBytes;
    const hit: LimitKind | undefined = diskOver ? 'disk' : r.timedOut ? 'time' : ((await group.limitHit()) ?? (r.exitCode === TMPFS_FULL_EXIT ? 'tmp' : undefined));
    const cpuMs = await group.cpuMs();
    const started = sandboxStarted(parseBwrapStatus(await status), { killed: r.signal !== undefined || r.timedOut || diskOver });
    // A run that did not pass may not have started at all: say so (and why) rather than pass on bwrap's exit status.
    if (r.exitCode !== 0 && !hit) await ensureSandbox();
    return Object.assign(r, { started }, hit ? { limitHit: hit } : {}, cpuMs === undefined ? {} : { cpuMs });
  } finally {
    await group.remove();
  }
}
