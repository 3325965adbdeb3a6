/**
 * What makes a build in the sandbox byte-for-byte repeatable beyond its fixed paths and
 * environment: the prefixes rustc rewrites in everything it writes (debug info, panic locations,
 * `file!()`), and the build's date, taken from the pinned commits rather than the clock.
 */

/** The sandbox's mount points (libs/hermetic/sandbox.ts), as a rebuilder must recreate them. */
export const SANDBOX_PATHS = { sources: '/src', target: '/target', cargoHome: '/cargo-home', toolchain: '/toolchain' } as const;

/**
 * Sandbox prefix → the name binaries carry instead. The checkouts (/src/<repository>) and the
 * target dir are already the same on every machine; the cargo home's registry folder
 * (`registry/src/index.crates.io-<hash>`) and the sysroot are remapped too, so neither the
 * sandbox's layout nor where the toolchain is mounted is compiled in. rustc applies the last
 * matching remap, so the more specific prefix comes last.
 */
export const PATH_REMAPS: readonly (readonly [from: string, to: string])[] = [
  [SANDBOX_PATHS.toolchain, '/rust'],
  [SANDBOX_PATHS.cargoHome, '/cargo'],
  [`${SANDBOX_PATHS.cargoHome}/registry/src`, '/cargo/registry'],
];

/** The rustc flags for PATH_REMAPS, one argument each (for CARGO_ENCODED_RUSTFLAGS). Pure. */
export function remapPathFlags(): string[] {
  return PATH_REMAPS.map(([from, to]) => `--remap-path-prefix=${from}=${to}`);
}

export class SourceDateError extends Error {}

/**
 * SOURCE_DATE_EPOCH for a build: the newest committer date (seconds since the epoch) among the
 * commits it is built from. The same pins give the same value on every machine, and the value
 * never goes backwards when a pin moves forward. Pure.
 */
export function sourceDateEpoch(committerDates: readonly number[]): number {
  if (committerDates.length === 0) throw new SourceDateError('no commit to take SOURCE_DATE_EPOCH from');
  for (const d of committerDates) if (!Number.isSafeInteger(d) || d < 0) throw new SourceDateError(`not a committer date in seconds: ${d}`);
  return Math.max(...committerDates);
}
