import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { rustSysroot, runInSandbox } from '@bllvm/hermetic';
import { isTracked } from '@bllvm/sources';
import { checkoutStack } from '../../lib/component';
import { patchArgs } from './cargo-args';
import { crateName } from './crate-manifest';
import type { CargoRequest } from './request';
import { type TaskLayout, hostCrate, sandboxCrate, taskSandbox } from './sandbox';

export interface PreparedSources {
  /** The component's crate folder on the host (its checkout, or the subfolder its pin names). */
  dir: string;
  /** cargo `--config` flags that point every upstream crate at its checkout, as the sandbox sees it. */
  config: string[];
  locked: boolean;
  layout: TaskLayout;
  sysroot: string;
}

/**
 * Check out the component and its upstreams at their pins, read what cargo needs from them, and
 * make sure a Cargo.lock exists, so the build itself can run --locked against read-only checkouts.
 */
export async function prepareSources(req: CargoRequest): Promise<PreparedSources> {
  const { ctx } = req;
  const checkouts = await checkoutStack(ctx);
  const crateDirs = Object.fromEntries([...ctx.upstream, ctx.self].map((c) => [c.id, c.crate.dir]));
  const layout: TaskLayout = { checkouts, crateDirs, self: ctx.component, targetDir: req.targetDir, cargoHome: req.cargoHome };
  const dir = hostCrate(layout, ctx.component);
  const [names, tracked, sysroot] = await Promise.all([
    Promise.all([...ctx.upstream, ctx.self].map((c) => crateName(hostCrate(layout, c.id), c))),
    req.locked === 'auto' ? isTracked(dir, 'Cargo.lock') : Promise.resolve(req.locked),
    rustSysroot(),
  ]);
  const config = patchArgs(Object.fromEntries(ctx.upstream.map((up, i) => [names[i]!, sandboxCrate(layout, up.id)])));
  await Promise.all([mkdir(layout.targetDir, { recursive: true }), mkdir(layout.cargoHome, { recursive: true })]);
  if (!tracked && req.locked !== false) await ensureLockFile(req, layout, sysroot, config);
  await fetchDependencies(req, layout, sysroot, config);
  return { dir, config, locked: req.locked !== false, layout, sysroot };
}

/**
 * The lock-file step: `cargo generate-lockfile` resolves dependencies and compiles nothing, so no
 * build script runs while the component's own checkout is writable. Skipped once a lock exists.
 */
async function ensureLockFile(req: CargoRequest, layout: TaskLayout, sysroot: string, config: string[]): Promise<void> {
  if (existsSync(join(hostCrate(layout, layout.self), 'Cargo.lock'))) return;
  const argv = ['cargo', ...config, 'generate-lockfile', '--offline'];
  const r = await runInSandbox(taskSandbox(layout, sysroot, req.sandboxEnv, argv, true), { stderr: 'pipe' });
  if (r.exitCode !== 0) throw new Error(`cannot resolve the dependencies of ${req.ctx.component}@${req.short} (cargo generate-lockfile): ${String(r.stderr).trim().split('\n').slice(-3).join(' ')}`);
}

/**
 * The download step: `cargo fetch` fills this component's cargo home with the crates its lock file
 * names, with the network, but compiling nothing and running no build script; the build that
 * follows is offline. Nothing to download (path dependencies only) costs one quick cargo call.
 */
async function fetchDependencies(req: CargoRequest, layout: TaskLayout, sysroot: string, config: string[]): Promise<void> {
  const argv = ['cargo', ...config, 'fetch', ...(existsSync(join(hostCrate(layout, layout.self), 'Cargo.lock')) ? ['--locked'] : [])];
  const spec = { ...taskSandbox(layout, sysroot, { ...req.sandboxEnv, CARGO_NET_OFFLINE: 'false' }, argv), network: true };
  const r = await runInSandbox(spec, { stderr: 'pipe' });
  if (r.exitCode !== 0) throw new Error(`cannot download the dependencies of ${req.ctx.component}@${req.short} (cargo fetch): ${String(r.stderr).trim().split('\n').slice(-3).join(' ')}`);
}
