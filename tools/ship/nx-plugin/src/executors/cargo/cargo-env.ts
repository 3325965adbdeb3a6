import { remapPathFlags } from '@bllvm/hermetic';
import { rustflagsFor } from './cargo-args';
import type { CargoExecutorOptions } from './schema';

/**
 * What a cargo task sets in the build sandbox beyond its fixed environment (libs/hermetic): the
 * compiler flags (RUSTFLAGS are folded into CARGO_ENCODED_RUSTFLAGS, which cargo then prefers;
 * crt-static for static builds, the path remaps of libs/hermetic last so they always apply) and
 * colour. The checkouts and target dir are the same fixed sandbox paths on every machine; the
 * remaps keep the cargo home's and the sysroot's out of the binaries too. Pure.
 */
export function cargoEnv(options: CargoExecutorOptions, env: NodeJS.ProcessEnv): { CARGO_ENCODED_RUSTFLAGS: string; CARGO_TERM_COLOR: string } {
  // Encoded (0x1f-separated) so a flag with spaces stays one flag.
  const given = env.CARGO_ENCODED_RUSTFLAGS ? env.CARGO_ENCODED_RUSTFLAGS.split('\x1f') : (rustflagsFor(options, env.RUSTFLAGS) ?? '').split(/\s+/);
  if (env.CARGO_ENCODED_RUSTFLAGS && options.static) given.push('-C', 'target-feature=+crt-static');
  return {
    CARGO_ENCODED_RUSTFLAGS: [...given.filter(Boolean), ...remapPathFlags()].join('\x1f'),
    CARGO_TERM_COLOR: env.CARGO_TERM_COLOR ?? 'always',
  };
}
