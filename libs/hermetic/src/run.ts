import { lstat, readlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execa, type Result } from 'execa';
import { ETC_NEEDED, type HostLayout, ROOT_ENTRIES, type SandboxSpec, bwrapArgv } from './sandbox';

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

/** bubblewrap must be there and work here (user namespaces allowed); checked once per process. */
let probe: Promise<void> | undefined;
export function ensureSandbox(): Promise<void> {
  probe ??= (async () => {
    const argv = bwrapArgv({ sysroot: '/usr', mounts: [], cwd: '/', env: {}, argv: ['/usr/bin/true'] }, await hostLayout());
    const r = await execa('bwrap', argv, { reject: false, env: bwrapEnv(), extendEnv: false });
    if (r.failed) {
      const why = (r as { code?: string }).code === 'ENOENT' ? 'bwrap is not installed (apt-get install bubblewrap)' : String(r.stderr || r.shortMessage).trim();
      throw new SandboxUnavailableError(`component code runs only inside the build sandbox, which cannot start here: ${why}`);
    }
  })();
  return probe;
}

export interface RunOptions {
  stdout?: 'pipe' | 'inherit';
  stderr?: 'pipe' | 'inherit';
  timeoutMs?: number;
}

/** Run a command inside the sandbox; resolves when it ends (non-zero exits are results, not throws). */
export async function runInSandbox(spec: SandboxSpec, o: RunOptions = {}): Promise<Result> {
  await ensureSandbox();
  const argv = bwrapArgv(spec, await hostLayout());
  // bwrap itself gets no environment of ours either, but PATH to be found: --clearenv empties the
  // child's, and extendEnv: false keeps the runner's tokens out of bwrap's own /proc/<pid>/environ.
  return await execa('bwrap', argv, {
    env: bwrapEnv(),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    stdout: o.stdout ?? 'pipe',
    stderr: o.stderr ?? 'inherit',
    timeout: o.timeoutMs,
    killSignal: 'SIGTERM',
  });
}
