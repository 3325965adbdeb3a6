/**
 * What sccache with a shared backend would save a cold runner: compiler-level reuse across
 * runners, beyond Nx's cache. The case it could help: a component whose pin moved, so
 * Nx's cache misses, built on a runner that has never built it (a new or replaced runner): cargo
 * compiles every dependency again, which another runner already compiled.
 *
 * The crate depends on what Debian ships as Rust sources (tokio, serde_json and their dependencies,
 * proc macros included), read offline through a directory source: heavier than the sandbox's tiny
 * crates, which have no dependencies. Each "runner" is a fresh target dir and sccache server. The
 * shared backend is a folder all runners use (as an NFS mount would be): Debian's sccache
 * (0.4.0~pre6) is built with the local-disk backend only; redis, memcached, S3, GCS and GHA
 * answer "cache type is not enabled". Measured outside the build sandbox, on purpose: see
 * docs/benchmarks.md for why it stays off there.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { type Stat, stat } from './stats';

export const DEBIAN_REGISTRY = '/usr/share/cargo/registry';
export const SCCACHE_PACKAGES = 'sccache librust-tokio-dev librust-serde-json-dev';

export interface SccacheRun {
  ms: number;
  /** Compile requests sccache answered from the backend, and those it compiled. */
  hits: number;
  misses: number;
}

export interface SccacheResults {
  measuredAt: string;
  versions: { sccache: string; rustc: string };
  reps: number;
  /** Crates cargo compiled in one build (the dependencies and the component). */
  units: number;
  /** cargo build --release on a cold runner, no wrapper. */
  plain: Stat;
  /** The first runner with sccache: compiles everything and fills the backend. */
  filling: Stat;
  /** A second cold runner after the pin moved: the dependencies from the backend. */
  warm: Stat;
  warmHitRate: Stat;
  runs: { plain: number; filling: SccacheRun; warm: SccacheRun }[];
}

interface Env {
  dir: string;
  cargoHome: string;
  crate: string;
  /** The backend every runner's sccache reads and writes. */
  shared: string;
}

/** Which of the needed tools are missing (empty when all are there). */
export async function sccacheMissing(): Promise<string[]> {
  const missing: string[] = [];
  for (const [cmd, args] of [['sccache', ['--version']], ['cargo', ['-V']]] as const) if ((await execa(cmd, [...args], { reject: false })).exitCode !== 0) missing.push(cmd);
  const registry = await readdir(DEBIAN_REGISTRY).catch(() => [] as string[]);
  for (const crate of ['tokio-', 'serde_json-']) if (!registry.some((l) => l.startsWith(crate))) missing.push(`${crate.slice(0, -1)} sources in ${DEBIAN_REGISTRY}`);
  return missing;
}

export async function runSccache(opts: { reps: number; keep: boolean; log: (msg: string) => void }): Promise<SccacheResults> {
  const dir = await mkdtemp(join(tmpdir(), 'bllvm-sccache-'));
  try {
    const env = await prepare(dir);
    const versions = { sccache: (await execa('sccache', ['--version'])).stdout.trim(), rustc: (await execa('rustc', ['-V'])).stdout.trim() };
    const runs: SccacheResults['runs'] = [];
    let units = 0;
    for (let i = 0; i < opts.reps; i++) {
      // An empty backend each repetition: the filling runner is the first to build these sources.
      await rm(env.shared, { recursive: true, force: true });
      await moveThePin(env, `${i}-a`);
      const plain = await build(env, `plain-${i}`, false);
      units = plain.units;
      await moveThePin(env, `${i}-b`);
      const filling = await build(env, `filling-${i}`, true);
      await moveThePin(env, `${i}-c`);
      const warm = await build(env, `warm-${i}`, true);
      runs.push({ plain: plain.ms, filling: filling.run, warm: warm.run });
      opts.log(`sccache ${i + 1}/${opts.reps}: plain ${(plain.ms / 1000).toFixed(1)} s, filling ${(filling.ms / 1000).toFixed(1)} s (${filling.run.misses} compiled), warm ${(warm.ms / 1000).toFixed(1)} s (${warm.run.hits} hits, ${warm.run.misses} compiled)`);
    }
    return {
      measuredAt: new Date().toISOString(),
      versions,
      reps: opts.reps,
      units,
      plain: stat(runs.map((r) => r.plain)),
      filling: stat(runs.map((r) => r.filling.ms)),
      warm: stat(runs.map((r) => r.warm.ms)),
      warmHitRate: stat(runs.map((r) => r.warm.hits / Math.max(1, r.warm.hits + r.warm.misses))),
      runs,
    };
  } finally {
    if (!opts.keep) await rm(dir, { recursive: true, force: true });
  }
}

/** CARGO_HOME reading Debian's sources offline, and a crate that uses tokio and serde_json. */
async function prepare(dir: string): Promise<Env> {
  const cargoHome = join(dir, 'cargo-home');
  const crate = join(dir, 'component');
  await mkdir(cargoHome, { recursive: true });
  await mkdir(join(crate, 'src'), { recursive: true });
  await writeFile(
    join(cargoHome, 'config.toml'),
    `[source.crates-io]\nreplace-with = "debian"\n\n[source.debian]\ndirectory = "${DEBIAN_REGISTRY}"\n\n[net]\noffline = true\n`,
  );
  await writeFile(
    join(crate, 'Cargo.toml'),
    '[package]\nname = "component"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ntokio = { version = "1", features = ["rt-multi-thread", "macros", "net", "io-util", "sync", "time"] }\nserde_json = "1"\nserde = { version = "1", features = ["derive"] }\n',
  );
  return { dir, cargoHome, crate, shared: join(dir, 'shared-sccache') };
}

/** The component's own source changes, as when its pin moves: Nx's cache misses, cargo must build. */
async function moveThePin(env: Env, mark: string): Promise<void> {
  await writeFile(
    join(env.crate, 'src', 'main.rs'),
    `#[derive(serde::Serialize)]\nstruct Status { pin: &'static str }\n\n#[tokio::main]\nasync fn main() {\n    let s = serde_json::to_string(&Status { pin: "${mark}" }).unwrap();\n    tokio::time::sleep(std::time::Duration::from_millis(1)).await;\n    println!("{s}");\n}\n`,
  );
}

/** One cold runner: an empty target dir and, with sccache, its own sccache server on the shared backend. */
async function build(env: Env, name: string, withSccache: boolean): Promise<{ ms: number; units: number; run: SccacheRun }> {
  // The same path each time, emptied: the build sandbox mounts every runner's target dir at /target
  // (docs/architecture.md), and sccache finds a hit only for the same paths.
  const runner = join(env.dir, name);
  const target = join(env.dir, 'target');
  await rm(target, { recursive: true, force: true });
  const port = String(await freePort());
  const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? runner, RUSTUP_HOME: process.env.RUSTUP_HOME ?? join(process.env.HOME ?? '/root', '.rustup'), CARGO_HOME: env.cargoHome, CARGO_TARGET_DIR: target, CARGO_INCREMENTAL: '0' };
  const cache = { SCCACHE_DIR: env.shared, SCCACHE_SERVER_PORT: port, SCCACHE_IDLE_TIMEOUT: '0' };
  const envOf = withSccache ? { ...base, ...cache, RUSTC_WRAPPER: 'sccache' } : base;
  if (withSccache) await execa('sccache', ['--start-server'], { env: envOf, extendEnv: false });
  try {
    const started = performance.now();
    const r = await execa('cargo', ['build', '--release', '--offline', '--message-format', 'json'], { cwd: env.crate, env: envOf, extendEnv: false, reject: false });
    const ms = performance.now() - started;
    if (r.exitCode !== 0) throw new Error(`cargo build (${name}) failed:\n${String(r.stderr).slice(-3000)}`);
    const units = String(r.stdout)
      .split('\n')
      .filter((l) => l.includes('"reason":"compiler-artifact"')).length;
    let run: SccacheRun = { ms, hits: 0, misses: 0 };
    if (withSccache) {
      const stats = JSON.parse((await execa('sccache', ['--show-stats', '--stats-format', 'json'], { env: envOf, extendEnv: false })).stdout) as { stats: { cache_hits: { counts: Record<string, number> }; cache_misses: { counts: Record<string, number> } } };
      const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
      run = { ms, hits: sum(stats.stats.cache_hits.counts), misses: sum(stats.stats.cache_misses.counts) };
    }
    return { ms, units, run };
  } finally {
    if (withSccache) await execa('sccache', ['--stop-server'], { env: envOf, extendEnv: false, reject: false });
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
