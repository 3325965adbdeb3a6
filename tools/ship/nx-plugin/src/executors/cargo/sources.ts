import { mkdir } from 'node:fs/promises';
import { rustSysroot } from '@bllvm/hermetic';
import { registryConfigArgs } from '@bllvm/sources';
import { checkoutStack } from '../../lib/component';
import { patchArgs } from './cargo-args';
import { crateName } from './crate-manifest';
import { resolveDependencies } from './dependencies';
import type { CargoRequest } from './request';
import { type TaskLayout, hostCrate, sandboxCrate } from './sandbox';

export interface PreparedSources {
  /** The component's crate folder on the host (its checkout, or the subfolder its pin names). */
  dir: string;
  /** cargo `--config` flags: the configured registry in place of crates.io, and every upstream crate at its checkout, as the sandbox sees it. */
  config: string[];
  locked: boolean;
  /** The component's repository commits no Cargo.lock: the dependency step resolved one against the registry. */
  lockGenerated: boolean;
  layout: TaskLayout;
  sysroot: string;
}

/**
 * Check out the component and its upstreams at their pins, read what cargo needs from them, and
 * resolve and download the dependencies, so the build itself runs offline and --locked against
 * read-only checkouts.
 */
export async function prepareSources(req: CargoRequest): Promise<PreparedSources> {
  const { ctx } = req;
  // The host toolchain's sysroot, asked while the checkouts are checked rather than after them. A
  // failure surfaces where it is awaited, not as an unhandled rejection of a task that failed earlier.
  const sysrootAsked = rustSysroot();
  sysrootAsked.catch(() => undefined);
  const checkouts = await checkoutStack(ctx);
  const crateDirs = Object.fromEntries([...ctx.upstream, ctx.self].map((c) => [c.id, c.crate.dir]));
  const layout: TaskLayout = { checkouts, crateDirs, self: ctx.component, targetDir: req.targetDir, registryHome: req.registryHome };
  const dir = hostCrate(layout, ctx.component);
  const [names, sysroot] = await Promise.all([Promise.all([...ctx.upstream, ctx.self].map((c) => crateName(hostCrate(layout, c.id), c))), sysrootAsked]);
  const config = [...registryConfigArgs(ctx.sources), ...patchArgs(Object.fromEntries(ctx.upstream.map((up, i) => [names[i]!, sandboxCrate(layout, up.id)])))];
  await mkdir(layout.targetDir, { recursive: true });
  const { lockGenerated } = await resolveDependencies(req, layout, sysroot, config);
  return { dir, config, locked: req.locked !== false, lockGenerated, layout, sysroot };
}
