import { basename, join, posix } from 'node:path';
import { type SandboxSpec, cargoHomeMounts } from '@bllvm/hermetic';

/**
 * Where a cargo task's files are inside the build sandbox (libs/hermetic): checkouts at
 * /src/<folder>, read-only in every step; its target dir at /target; a cargo home of its own with
 * the component's registry cache read-only inside it. The same on every machine, so no host path
 * reaches cargo, a build script or a binary.
 */
export interface TaskLayout {
  /** Host checkouts (repository roots) of the component and its upstreams, by component. */
  checkouts: Record<string, string>;
  /** Each component's crate folder inside its checkout ('.' for the root), by component; missing means '.'. */
  crateDirs?: Record<string, string>;
  /** The component itself. */
  self: string;
  /** Host folder mounted writable at /target. */
  targetDir: string;
  /** The component's registry cache on the host: written by the download step only, read-only for everything else. */
  registryHome: string;
}

export const SANDBOX_TARGET = '/target';

/** A host checkout's path inside the sandbox. Pure. */
export function sandboxCheckout(hostDir: string): string {
  return posix.join('/src', basename(hostDir));
}

/** Where component `id`'s crate is inside the sandbox: its checkout, and the folder the pin names. Pure. */
export function sandboxCrate(layout: Pick<TaskLayout, 'checkouts' | 'crateDirs'>, id: string): string {
  return posix.join(sandboxCheckout(layout.checkouts[id]!), layout.crateDirs?.[id] ?? '.');
}

/** The same folder on the host. Pure. */
export function hostCrate(layout: Pick<TaskLayout, 'checkouts' | 'crateDirs'>, id: string): string {
  return join(layout.checkouts[id]!, layout.crateDirs?.[id] ?? '.');
}

/** The spec to run `argv` for this task: every checkout read-only, the target dir writable, the registry cache read-only. Pure. */
export function taskSandbox(layout: TaskLayout, sysroot: string, env: Record<string, string>, argv: string[], tmpMiB: number): SandboxSpec {
  return {
    sysroot,
    mounts: [
      ...Object.values(layout.checkouts).map((host) => ({ host, at: sandboxCheckout(host) })),
      { host: layout.targetDir, at: SANDBOX_TARGET, writable: true },
      ...cargoHomeMounts(layout.registryHome, 'read', tmpMiB),
    ],
    cwd: sandboxCrate(layout, layout.self),
    env,
    argv,
  };
}
