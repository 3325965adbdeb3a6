import { basename, join, posix } from 'node:path';
import type { SandboxSpec } from '@bllvm/hermetic';

/**
 * Where a cargo task's files are inside the build sandbox (libs/hermetic): checkouts at
 * /src/<folder> (read-only), its target dir at /target and its cargo home at /cargo-home.
 * The same on every machine, so no host path reaches cargo, a build script or a binary.
 */
export interface TaskLayout {
  /** Host checkouts (repository roots) of the component and its upstreams, by component. */
  checkouts: Record<string, string>;
  /** Each component's crate folder inside its checkout ('.' for the root), by component; missing means '.'. */
  crateDirs?: Record<string, string>;
  /** The component itself. */
  self: string;
  /** Host folders mounted writable. */
  targetDir: string;
  cargoHome: string;
}

export const SANDBOX_TARGET = '/target';

/** A host checkout's path inside the sandbox. Pure. */
export function sandboxCheckout(hostDir: string): string {
  return posix.join('/src', basename(hostDir));
}

/** Where component `id`'s crate is inside the sandbox: its checkout, and the folder the pin names. Pure. */
export function sandboxCrate(layout: TaskLayout, id: string): string {
  return posix.join(sandboxCheckout(layout.checkouts[id]!), layout.crateDirs?.[id] ?? '.');
}

/** The same folder on the host. Pure. */
export function hostCrate(layout: TaskLayout, id: string): string {
  return join(layout.checkouts[id]!, layout.crateDirs?.[id] ?? '.');
}

/** The spec to run `argv` for this task; `writableSelf` only for the lock-file step, which runs no build script. Pure. */
export function taskSandbox(layout: TaskLayout, sysroot: string, env: Record<string, string>, argv: string[], writableSelf = false): SandboxSpec {
  const self = layout.checkouts[layout.self]!;
  return {
    sysroot,
    mounts: [
      ...Object.values(layout.checkouts).map((host) => ({ host, at: sandboxCheckout(host), writable: writableSelf && host === self })),
      { host: layout.targetDir, at: SANDBOX_TARGET, writable: true },
      { host: layout.cargoHome, at: '/cargo-home', writable: true },
    ],
    cwd: sandboxCrate(layout, layout.self),
    env,
    argv,
  };
}

/** A path cargo reported from inside the sandbox, on the host (only the target dir holds outputs). Pure. */
export function hostPath(layout: TaskLayout, inSandbox: string): string {
  if (inSandbox === SANDBOX_TARGET || inSandbox.startsWith(`${SANDBOX_TARGET}/`)) return join(layout.targetDir, inSandbox.slice(SANDBOX_TARGET.length));
  throw new Error(`cargo reported an output outside its target dir: ${inSandbox}`);
}
