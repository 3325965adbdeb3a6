export interface CargoExecutorOptions {
  /** build: release binaries/libraries into dist/<c>/build; test: cargo test; verify: the configured verify command. */
  command: 'build' | 'test' | 'verify';
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
  /** A CARGO_HOME for this run (relative to the workspace), e.g. to isolate a corrupted registry cache. */
  cargoHome?: string;
  /** Arguments after `--` for cargo test, e.g. ["--test-threads=1"]. */
  testArgs?: string[];
  timeoutSeconds?: number;
}
