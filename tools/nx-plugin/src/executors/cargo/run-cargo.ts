import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { parse as parseToml } from 'smol-toml';
import type { ArtifactRecord, BuildRecord, CommandRecord } from '@bllvm/manifest';
import { isTracked, paths } from '@bllvm/sources';
import { type ComponentContext, checkoutStack } from '../../lib/component';
import { formatSha256Sums, sha256File as describeFile } from '@bllvm/release';
import { cargoCommandArgs, patchArgs, rootArtifacts, rustflagsFor, withCargoConfig } from './cargo-args';
import type { CargoExecutorOptions } from './schema';

export interface CargoTaskResult {
  success: boolean;
  message: string;
  /** Time spent inside cargo (or the verify command). */
  toolMs: number;
}

export interface CargoTaskIO {
  /** dist/<component>/<command>: replaced wholesale so a stale artifact can never be published. */
  outDir: string;
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export async function runCargoTask(ctx: ComponentContext, options: CargoExecutorOptions, io: CargoTaskIO): Promise<CargoTaskResult> {
  const env = io.env ?? process.env;
  const checkouts = await checkoutStack(ctx);
  const dir = checkouts[ctx.component]!;
  const [names, locked] = await Promise.all([
    Promise.all(ctx.upstream.map((up) => crateName(checkouts[up.id]!))),
    options.locked === 'always' || options.locked === 'never' ? Promise.resolve(options.locked === 'always') : isTracked(dir, 'Cargo.lock'),
  ]);
  const config = patchArgs(Object.fromEntries(ctx.upstream.map((up, i) => [names[i]!, checkouts[up.id]!])));

  const purpose = options.command + (options.static ? '-static' : '');
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    CARGO_TARGET_DIR: paths.targetDir(ctx.sources, ctx.component, purpose),
    CARGO_TERM_COLOR: env.CARGO_TERM_COLOR ?? 'always',
  };
  // Paths of the checkouts end up in binaries (panic locations); mapping them to one fixed prefix
  // makes the same commits produce the same bytes on any runner or workspace.
  // Encoded (0x1f-separated) so a path with spaces stays one flag; cargo then ignores RUSTFLAGS.
  const remap = `--remap-path-prefix=${paths.sourcesDir(ctx.sources)}=/bllvm/src`;
  const given = env.CARGO_ENCODED_RUSTFLAGS ? env.CARGO_ENCODED_RUSTFLAGS.split('\x1f') : (rustflagsFor(options, env.RUSTFLAGS) ?? '').split(/\s+/);
  if (env.CARGO_ENCODED_RUSTFLAGS && options.static) given.push('-C', 'target-feature=+crt-static');
  childEnv.CARGO_ENCODED_RUSTFLAGS = [...given.filter(Boolean), remap].join('\x1f');
  delete childEnv.RUSTFLAGS;
  if (options.cargoHome) childEnv.CARGO_HOME = resolve(ctx.workspaceRoot, options.cargoHome);

  let argv: string[];
  if (options.command === 'verify') {
    if (!options.verifyCommand?.length) return fail(`no verifyCommand configured for ${ctx.component}`, 0);
    argv = withCargoConfig(options.verifyCommand, config);
  } else argv = ['cargo', ...config, ...cargoCommandArgs(options, locked)];

  if (options.command === 'build') await seedTargetDir(ctx, purpose, io.log);

  const short = ctx.pin.commit.slice(0, 7);
  io.log(`${ctx.component}@${short}: ${argv.join(' ')}`);
  await rm(io.outDir, { recursive: true, force: true });
  const started = Date.now();
  const child = execa(argv[0]!, argv.slice(1), {
    cwd: dir,
    env: childEnv,
    reject: false,
    stdin: 'ignore',
    stdout: options.command === 'build' ? 'pipe' : 'inherit',
    stderr: 'inherit',
    timeout: options.timeoutSeconds ? options.timeoutSeconds * 1000 : undefined,
    killSignal: 'SIGTERM',
  });
  // Recorded in build.json; asked while cargo runs rather than after it.
  const toolchainInfo = options.command === 'build' ? toolchain(dir, childEnv) : Promise.resolve('');
  const r = await child;
  const toolMs = Date.now() - started;
  if (r.timedOut) return fail(`${options.command} for ${ctx.component}@${short} timed out after ${options.timeoutSeconds}s`, toolMs);
  if (r.exitCode !== 0) {
    const how = r.signal ? `killed by ${r.signal}` : `exit ${r.exitCode}`;
    const what = options.command === 'verify' ? `verify (${options.verifyCommand!.join(' ')})` : `cargo ${options.command}`;
    return fail(`${what} failed for ${ctx.component}@${short} (${how}); its output is above`, toolMs);
  }

  await mkdir(io.outDir, { recursive: true });
  if (options.command === 'build') {
    const found = rootArtifacts(String(r.stdout), join(dir, 'Cargo.toml'));
    if (found.length === 0) return fail(`cargo build for ${ctx.component} produced no binary or library of its own`, toolMs);
    const artifacts: ArtifactRecord[] = [];
    for (const a of found) {
      const name = basename(a.path);
      await copyFile(a.path, join(io.outDir, name));
      const d = await describeFile(join(io.outDir, name));
      await writeFile(join(io.outDir, `${name}.sha256`), formatSha256Sums([{ name, sha256: d.sha256 }]));
      artifacts.push({ name, kind: a.kind, ...d });
    }
    const record: BuildRecord = {
      component: ctx.component,
      repository: ctx.pin.repository,
      branch: ctx.pin.branch,
      commit: ctx.pin.commit,
      version: await crateVersion(dir),
      toolchain: await toolchainInfo,
      features: options.allFeatures ? ['(all)'] : (options.features ?? []),
      profile: options.profile ?? 'release',
      target: options.rustTarget ?? (options.static ? 'x86_64-unknown-linux-gnu' : undefined),
      upstream: Object.fromEntries(ctx.upstream.map((u) => [u.id, u.pin.commit])),
      artifacts: artifacts.sort((a, b) => a.name.localeCompare(b.name)),
    };
    await writeFile(join(io.outDir, 'build.json'), JSON.stringify(record, null, 2) + '\n');
    return { success: true, message: `${ctx.component}@${short}: built ${artifacts.map((a) => a.name).join(', ')}`, toolMs };
  }
  const record: CommandRecord = {
    component: ctx.component,
    commit: ctx.pin.commit,
    command: argv,
    success: true,
    durationMs: toolMs,
    finishedAt: new Date().toISOString(),
  };
  await writeFile(join(io.outDir, `${options.command}.json`), JSON.stringify(record, null, 2) + '\n');
  return { success: true, message: `${ctx.component}@${short}: ${options.command} passed`, toolMs };
}

/**
 * Each component has its own target dir (a shared one races between parallel tasks), so a cold
 * build would compile every upstream crate again. Starting from a copy of the closest direct
 * upstream's finished build dir (complete: `^build` ran first) lets cargo reuse those crates.
 */
async function seedTargetDir(ctx: ComponentContext, purpose: string, log: (line: string) => void): Promise<void> {
  const target = paths.targetDir(ctx.sources, ctx.component, purpose);
  if (existsSync(target)) return;
  const order = ctx.graph.components;
  const seed = [...(ctx.graph.dependencies[ctx.component] ?? [])]
    .sort((a, b) => order.indexOf(b) - order.indexOf(a))
    .map((up) => paths.targetDir(ctx.sources, up, purpose))
    .find((dir) => existsSync(dir));
  if (!seed) return;
  await mkdir(dirname(target), { recursive: true });
  const r = await execa('cp', ['-a', '--reflink=auto', seed, target], { reject: false });
  if (r.exitCode !== 0) {
    await rm(target, { recursive: true, force: true });
    log(`note: could not seed ${target} from ${seed} (${String(r.stderr).trim()}); building from scratch`);
  } else log(`seeded the target dir from ${seed}`);
}

function fail(message: string, toolMs: number): CargoTaskResult {
  return { success: false, message, toolMs };
}

async function manifest(dir: string): Promise<{ package?: { name?: unknown; version?: unknown } }> {
  const file = join(dir, 'Cargo.toml');
  try {
    return parseToml(await readFile(file, 'utf8')) as { package?: { name?: unknown; version?: unknown } };
  } catch (e) {
    throw new Error(`${file}: cannot read the crate manifest: ${(e as Error).message.split('\n')[0]}`);
  }
}

async function crateName(dir: string): Promise<string> {
  const name = (await manifest(dir)).package?.name;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`${join(dir, 'Cargo.toml')}: package.name is missing or invalid`);
  return name;
}

async function crateVersion(dir: string): Promise<string> {
  const v = (await manifest(dir)).package?.version;
  return typeof v === 'string' ? v : '0.0.0';
}

async function toolchain(dir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const r = await execa('rustc', ['-Vv'], { cwd: dir, env, reject: false });
  return String(r.stdout).trim();
}
