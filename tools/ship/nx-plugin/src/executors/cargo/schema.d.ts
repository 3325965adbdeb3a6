export interface CargoExecutorOptions {
  /** build: release binaries/libraries into dist/<c>/build; test: cargo test; verify: the configured verify command; package: cargo package into dist/<c>/crate; api: the library's rustdoc JSON into dist/<c>/api. */
  command: 'build' | 'test' | 'verify' | 'package' | 'api';
  features?: string[];
  allFeatures?: boolean;
  noDefaultFeatures?: boolean;
  profile?: 'release' | 'dev';
  /** Link statically (for FROM scratch container images). */
  static?: boolean;
  /** Rust target triple; defaults to x86_64-unknown-linux-gnu when static. Not `target`: nx run takes that flag itself. */
  rustTarget?: string;
  /** The verify command, run in the checkout (production: cargo kani ...). */
  verifyCommand?: string[];
  /** --locked: "auto" when the checkout tracks a Cargo.lock. */
  locked?: 'auto' | 'always' | 'never';
  /** A Cargo.lock (relative to the workspace) to build with when the repository commits none, instead of resolving one (rebuild: the release's). */
  lockFile?: string;
  /** The registry cache folder (relative to the workspace), e.g. to isolate a corrupted cache; written by the dependency step only. */
  cargoHome?: string;
  /** Arguments after `--` for cargo test, e.g. ["--test-threads=1"]. */
  testArgs?: string[];
  /** Wall time of each sandboxed step (default 3600). */
  timeoutSeconds?: number;
  /** What each sandboxed step may use (libs/hermetic's DEFAULT_LIMITS when unset). */
  limits?: { processes?: number; memoryMiB?: number; diskMiB?: number; tmpMiB?: number };
}
