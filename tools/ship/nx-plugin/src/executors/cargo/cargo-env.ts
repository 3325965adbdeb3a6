import { resolve } from 'node:path';
import { rustflagsFor } from './cargo-args';
import type { CargoExecutorOptions } from './schema';

/** The environment cargo runs in: its own target dir, reproducible paths in binaries, static linking when asked. Pure. */
export function cargoEnv(
  options: CargoExecutorOptions,
  env: NodeJS.ProcessEnv,
  where: { targetDir: string; sourcesDir: string; workspaceRoot: string },
): NodeJS.ProcessEnv {
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    CARGO_TARGET_DIR: where.targetDir,
    CARGO_TERM_COLOR: env.CARGO_TERM_COLOR ?? 'always',
  };
  // Paths of the checkouts end up in binaries (panic locations); mapping them to one fixed prefix
  // makes the same commits produce the same bytes on any runner or workspace.
  // Encoded (0x1f-separated) so a path with spaces stays one flag; cargo then ignores RUSTFLAGS.
  const remap = `--remap-path-prefix=${where.sourcesDir}=/bllvm/src`;
  const given = env.CARGO_ENCODED_RUSTFLAGS ? env.CARGO_ENCODED_RUSTFLAGS.split('\x1f') : (rustflagsFor(options, env.RUSTFLAGS) ?? '').split(/\s+/);
  if (env.CARGO_ENCODED_RUSTFLAGS && options.static) given.push('-C', 'target-feature=+crt-static');
  childEnv.CARGO_ENCODED_RUSTFLAGS = [...given.filter(Boolean), remap].join('\x1f');
  delete childEnv.RUSTFLAGS;
  if (options.cargoHome) childEnv.CARGO_HOME = resolve(where.workspaceRoot, options.cargoHome);
  return childEnv;
}
