import { join, resolve } from 'node:path';
import { type SandboxLimits, hermeticEnv, sandboxLimits } from '@bllvm/hermetic';
import { paths } from '@bllvm/sources';
import type { ComponentContext } from '../../lib/component';
import { cargoEnv } from './cargo-env';
import type { CargoExecutorOptions } from './schema';

/** What the cargo steps are given: the component, its options and the run settings, normalized once. */
export interface CargoRequest {
  ctx: ComponentContext;
  options: CargoExecutorOptions;
  /** The pinned commit, short, as messages name it. */
  short: string;
  /** build/test/verify, `-static` when linking statically: names the component's target dir. */
  purpose: string;
  /** --locked: decided here when the options say always or never; 'auto' asks the checkout. */
  locked: boolean | 'auto';
  /** The whole environment cargo (or the verify command) gets in the build sandbox: nothing else of ours. */
  sandboxEnv: Record<string, string>;
  /** What each sandboxed step of the task may use (processes, memory, disk, tmpfs, wall time). */
  limits: SandboxLimits;
  /** Host folder the sandbox mounts writable at /target. */
  targetDir: string;
  /** The component's registry cache: written by the dependency step alone, read-only to everything else. */
  registryHome: string;
  /** dist/<component>/<command>: replaced wholesale so a stale artifact can never be published. */
  outDir: string;
  log: (line: string) => void;
}

/** Pure: every setting the steps need, derived from the options and the environment before anything runs. */
export function normalizeCargoRequest(
  ctx: ComponentContext,
  options: CargoExecutorOptions,
  io: { outDir: string; log: (line: string) => void; env?: NodeJS.ProcessEnv },
): CargoRequest {
  const purpose = options.command + (options.static ? '-static' : '');
  return {
    ctx,
    options,
    short: ctx.pin.commit.slice(0, 7),
    purpose,
    locked: options.locked === 'always' || options.locked === 'never' ? options.locked === 'always' : 'auto',
    sandboxEnv: hermeticEnv(io.env ?? process.env, cargoEnv(options, io.env ?? process.env)),
    limits: sandboxLimits({ ...options.limits, wallSeconds: options.timeoutSeconds }),
    targetDir: paths.targetDir(ctx.sources, ctx.component, purpose),
    // One per component, so no other component's download can put anything in the cache its build reads.
    registryHome: options.cargoHome ? resolve(ctx.workspaceRoot, options.cargoHome) : join(ctx.sources.workDir, 'cargo-home', ctx.component),
    outDir: io.outDir,
    log: io.log,
  };
}
