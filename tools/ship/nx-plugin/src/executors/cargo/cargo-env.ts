import { rustflagsFor } from './cargo-args';
import type { CargoExecutorOptions } from './schema';

/**
 * What a cargo task sets in the build sandbox beyond its fixed environment (libs/hermetic): the
 * compiler flags (RUSTFLAGS are folded into CARGO_ENCODED_RUSTFLAGS, which cargo then prefers;
 * crt-static for static builds) and colour. Paths need no remapping: they are the same fixed
 * sandbox paths on every machine. Pure.
 */
export function cargoEnv(options: CargoExecutorOptions, env: NodeJS.ProcessEnv): { CARGO_ENCODED_RUSTFLAGS: string; CARGO_TERM_COLOR: string } {
  // Encoded (0x1f-separated) so a flag with spaces stays one flag.
  const given = env.CARGO_ENCODED_RUSTFLAGS ? env.CARGO_ENCODED_RUSTFLAGS.split('\x1f') : (rustflagsFor(options, env.RUSTFLAGS) ?? '').split(/\s+/);
  if (env.CARGO_ENCODED_RUSTFLAGS && options.static) given.push('-C', 'target-feature=+crt-static');
  return {
    CARGO_ENCODED_RUSTFLAGS: given.filter(Boolean).join('\x1f'),
    CARGO_TERM_COLOR: env.CARGO_TERM_COLOR ?? 'always',
  };
}
