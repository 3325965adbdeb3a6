import type { CargoExecutorOptions } from './schema';

export const STATIC_TARGET = 'x86_64-unknown-linux-gnu';

/**
 * `--config` arguments that make every upstream sibling resolve to its side-by-side checkout even
 * where a manifest declares it as a crates.io range (the later style of the real manifests).
 * Path dependencies need nothing; unused patches only make cargo warn.
 */
export function patchArgs(upstreamCrates: Record<string, string>): string[] {
  return Object.entries(upstreamCrates).flatMap(([crate, dir]) => ['--config', `patch.crates-io.${crate}.path=${JSON.stringify(dir)}`]);
}

/** The cargo subcommand and flags for a build or test, without the leading `cargo`. Pure, so it is unit-tested. */
export function cargoCommandArgs(options: CargoExecutorOptions, locked: boolean): string[] {
  const args: string[] = [options.command === 'test' ? 'test' : 'build'];
  if (options.command === 'build') args.push('--message-format=json-render-diagnostics');
  if ((options.profile ?? 'release') === 'release') args.push('--release');
  if (options.allFeatures) args.push('--all-features');
  else if (options.features?.length) args.push('--features', options.features.join(','));
  if (options.noDefaultFeatures) args.push('--no-default-features');
  const target = options.rustTarget ?? (options.static ? STATIC_TARGET : undefined);
  if (target) args.push('--target', target);
  if (locked) args.push('--locked');
  if (options.command === 'test' && options.testArgs?.length) args.push('--', ...options.testArgs);
  return args;
}

/** Insert cargo's global `--config` flags right after `cargo` in a configured command such as `cargo kani ...`. */
export function withCargoConfig(command: readonly string[], config: string[]): string[] {
  if (command[0] !== 'cargo') return [...command];
  return ['cargo', ...config, ...command.slice(1)];
}

/** The task's command line: cargo with the upstream patches, or the configured verify command (undefined when there is none). Pure. */
export function taskArgv(options: CargoExecutorOptions, config: string[], locked: boolean): string[] | undefined {
  if (options.command !== 'verify') return ['cargo', ...config, ...cargoCommandArgs(options, locked)];
  return options.verifyCommand?.length ? withCargoConfig(options.verifyCommand, config) : undefined;
}

export function rustflagsFor(options: CargoExecutorOptions, base: string | undefined): string | undefined {
  if (!options.static) return base;
  return [base, '-C target-feature=+crt-static'].filter(Boolean).join(' ');
}

/**
 * The `api` command's cargo subcommand: rustdoc's JSON output of the library target, which is
 * unstable and so needs RUSTC_BOOTSTRAP (set by the task for this crate alone). Features as the
 * options say; no --release (documenting compiles no code of the crate). Pure.
 */
export function rustdocJsonArgs(options: CargoExecutorOptions, locked: boolean): string[] {
  const args = ['rustdoc', '--lib'];
  if (options.allFeatures) args.push('--all-features');
  else if (options.features?.length) args.push('--features', options.features.join(','));
  if (options.noDefaultFeatures) args.push('--no-default-features');
  if (options.rustTarget) args.push('--target', options.rustTarget);
  if (locked) args.push('--locked');
  return [...args, '--', '-Zunstable-options', '--output-format', 'json'];
}
