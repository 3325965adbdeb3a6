// Real cargo against the registry: a temporary CARGO_HOME holding only cargoConfig(), the network
// allowed (CARGO_NET_OFFLINE and every other CARGO_* of the caller removed), 127.0.0.1 only.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readTar } from '@bllvm/release';
import { execa } from 'execa';
import { parse } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_DIR } from './seed';
import { startCargoRegistry, type CargoRegistry } from './server';

const TOKEN = 'cio_integration_secret_7f3a';

let root: string;
let registry: CargoRegistry;
let home: string;

/** A CARGO_HOME that knows only this registry, and an environment free of the caller's cargo settings. */
async function cargoHome(dir: string, reg: CargoRegistry): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.toml'), reg.cargoConfig());
  return dir;
}

function cargo(cwd: string, args: string[], cargoHomeDir = home) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CARGO_')));
  return execa('cargo', args, {
    cwd,
    env: { ...env, CARGO_HOME: cargoHomeDir, CARGO_TARGET_DIR: join(root, 'target'), CARGO_TERM_COLOR: 'never', CARGO_INCREMENTAL: '0' },
    extendEnv: false,
    reject: false,
    all: true,
  });
}

/** A new package folder: a library, or a binary when `main` is given. */
async function writeCrate(name: string, version: string, deps: string, code: { lib?: string; main?: string }): Promise<string> {
  const dir = join(root, `${name}-${version}-${Math.random().toString(36).slice(2, 8)}`);
  await mkdir(join(dir, 'src'), { recursive: true });
  const manifest = `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\ndescription = "made by a test"\nlicense = "MIT"\n\n[dependencies]\n${deps}\n`;
  await writeFile(join(dir, 'Cargo.toml'), manifest);
  if (code.lib !== undefined) await writeFile(join(dir, 'src', 'lib.rs'), code.lib);
  if (code.main !== undefined) await writeFile(join(dir, 'src', 'main.rs'), code.main);
  return dir;
}

interface LockedPackage {
  name: string;
  version: string;
  source?: string;
  checksum?: string;
}

async function locked(dir: string): Promise<LockedPackage[]> {
  return (parse(await readFile(join(dir, 'Cargo.lock'), 'utf8')) as unknown as { package: LockedPackage[] }).package.filter((p) => p.source);
}

const versionsOf = (lock: LockedPackage[], name: string) => lock.filter((p) => p.name === name).map((p) => p.version);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'bllvm-cargo-registry-'));
  registry = await startCargoRegistry({ token: TOKEN, seed: true });
  home = await cargoHome(join(root, 'home'), registry);
});

afterAll(async () => {
  await registry?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('resolving and building from the seeded registry', () => {
  it('picks the newest compatible version that is not yanked, checks the checksums and builds', async () => {
    const app = await writeCrate('app', '0.1.0', ['leaf = ">=0.1, <1"', 'mid = "0.3"', 'fancy = { version = "1", features = ["color"] }'].join('\n'), {
      main: 'fn main() {\n    println!("{} | {} | {}", leaf::VERSION, mid::describe(), fancy::render("x"));\n}\n',
    });
    const resolve = await cargo(app, ['generate-lockfile']);
    expect(resolve.exitCode, resolve.all).toBe(0);
    const lock = await locked(app);
    // ">=0.1, <1" reaches 0.2.0; mid's "0.1" (transitive) stops at 0.1.3, as 0.1.4 is yanked.
    expect(versionsOf(lock, 'leaf')).toEqual(['0.1.3', '0.2.0']);
    expect(lock.map((p) => p.name).sort()).toEqual(['fancy', 'leaf', 'leaf', 'mid', 'tint']);
    for (const p of lock) {
      expect(p.source).toBe('registry+https://github.com/rust-lang/crates.io-index'); // crates.io, replaced
      expect(p.checksum).toBe(registry.seeded.find((s) => s.name === p.name && s.version === p.version)!.cksum);
    }

    const run = await cargo(app, ['run', '--quiet']);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stdout).toBe('0.2.0 | mid 0.3.1 on leaf 0.1.3 | [red]x[/red]');
    const downloads = registry.log().filter((r) => r.operation === 'download').map((r) => `${r.path} ${r.status}`).sort();
    expect(downloads).toEqual(['fancy/1.0.0', 'leaf/0.1.3', 'leaf/0.2.0', 'mid/0.3.1', 'tint/0.1.0'].map((p) => `/api/v1/crates/${p}/download 200`));

    const direct = await writeCrate('direct', '0.1.0', 'leaf = "0.1"', { lib: 'pub use leaf::VERSION;\n' });
    const build = await cargo(direct, ['build', '--quiet']);
    expect(build.exitCode, build.all).toBe(0);
    expect(versionsOf(await locked(direct), 'leaf')).toEqual(['0.1.3']);
  });
});

describe('publishing with cargo', () => {
  let consumer: string;

  it('cargo publish uploads a new crate, and another crate then resolves and builds against it', async () => {
    const fresh = await writeCrate('fresh', '0.4.0', 'mid = "0.3"\nleaf = "0.1"', { lib: 'pub fn hello() -> String {\n    format!("fresh 0.4.0 with {}", mid::describe())\n}\n' });
    const publish = await cargo(fresh, ['publish', '--registry', registry.registryName, '--token', TOKEN]);
    expect(publish.exitCode, publish.all).toBe(0);
    expect(publish.all).toMatch(/Published fresh v0\.4\.0 at registry `bllvm-local`/);
    expect(registry.state.info('fresh').versions.map((v) => v.num)).toEqual(['0.4.0']);
    const line = JSON.parse(registry.state.indexFile('fresh')!) as { deps: { name: string; req: string }[] };
    expect(line.deps.map((d) => `${d.name} ${d.req}`)).toEqual(['leaf ^0.1', 'mid ^0.3']);

    consumer = await writeCrate('consumer', '0.1.0', 'fresh = "0.4"', { main: 'fn main() {\n    println!("{}", fresh::hello());\n}\n' });
    const run = await cargo(consumer, ['run', '--quiet']);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stdout).toBe('fresh 0.4.0 with mid 0.3.1 on leaf 0.1.3');
  });

  it('refuses to publish a version again; a yank makes the next resolve skip it; a wrong token is refused', async () => {
    const again = await writeCrate('fresh', '0.4.0', '', { lib: 'pub fn hello() -> String { String::new() }\n' });
    const republish = await cargo(again, ['publish', '--no-verify', '--registry', registry.registryName, '--token', TOKEN]);
    expect(republish.exitCode).not.toBe(0);
    expect(republish.all).toMatch(/crate fresh@0\.4\.0 already exists on `bllvm-local` index/);

    const next = await writeCrate('fresh', '0.4.1', 'mid = "0.3"', { lib: 'pub fn hello() -> String {\n    "fresh 0.4.1".to_string()\n}\n' });
    expect((await cargo(next, ['publish', '--no-verify', '--registry', registry.registryName, '--token', TOKEN])).exitCode).toBe(0);
    const resolveTo = async () => {
      await rm(join(consumer, 'Cargo.lock'), { force: true });
      const r = await cargo(consumer, ['generate-lockfile']);
      expect(r.exitCode, r.all).toBe(0);
      return versionsOf(await locked(consumer), 'fresh');
    };
    expect(await resolveTo()).toEqual(['0.4.1']);

    const yank = await cargo(root, ['yank', '--registry', registry.registryName, '--token', TOKEN, '--version', '0.4.1', 'fresh']);
    expect(yank.exitCode, yank.all).toBe(0);
    expect(await resolveTo()).toEqual(['0.4.0']);
    expect((await cargo(root, ['yank', '--undo', '--registry', registry.registryName, '--token', TOKEN, '--version', '0.4.1', 'fresh'])).exitCode).toBe(0);
    expect(await resolveTo()).toEqual(['0.4.1']);

    const before = registry.state.info('fresh').versions.map((v) => [v.num, v.yanked]);
    const wrong = await writeCrate('fresh', '0.4.2', '', { lib: '' });
    const forged = await cargo(wrong, ['publish', '--no-verify', '--registry', registry.registryName, '--token', 'not-the-token']);
    expect(forged.exitCode).not.toBe(0);
    expect(forged.all).toMatch(/status 403 Forbidden\): the token in the Authorization header is not valid for this registry/);
    const forgedYank = await cargo(root, ['yank', '--registry', registry.registryName, '--token', 'not-the-token', '--version', '0.4.0', 'fresh']);
    expect(forgedYank.exitCode).not.toBe(0);
    expect(forgedYank.all).toMatch(/403/);
    expect(registry.state.info('fresh').versions.map((v) => [v.num, v.yanked])).toEqual(before);
    expect(registry.log().filter((r) => r.status === 403).map((r) => r.operation)).toEqual(['publish', 'yank']);
    expect(JSON.stringify(registry.log())).not.toContain(TOKEN);
  });
});

describe('the seeds are what cargo itself would publish', () => {
  it('cargo publish of a seed folder gives the seeded index line and normalized Cargo.toml', async () => {
    const seeds = registry.seeded;
    // A second registry holding only what mid and fancy depend on; cargo publishes those two to it.
    const other = await startCargoRegistry({ token: TOKEN, seed: seeds.filter((s) => s.name === 'leaf' || s.name === 'tint') });
    try {
      const otherHome = await cargoHome(join(root, 'home-other'), other);
      for (const path of ['mid/0.3.1', 'fancy/1.0.0']) {
        const dir = join(root, 'seed-copy', path);
        await cp(join(SEED_DIR, path), dir, { recursive: true });
        const r = await cargo(dir, ['publish', '--no-verify', '--registry', other.registryName, '--token', TOKEN], otherHome);
        expect(r.exitCode, r.all).toBe(0);
        const name = path.split('/')[0]!;
        const ours = JSON.parse(registry.state.indexFile(name)!) as Record<string, unknown>;
        const cargos = JSON.parse(other.state.indexFile(name)!) as Record<string, unknown>;
        // cargo's archive also holds a Cargo.lock, so only the checksum may differ.
        expect({ ...cargos, cksum: 'x' }).toEqual({ ...ours, cksum: 'x' });

        const files = (crate: Buffer) => Object.fromEntries(readTar(gunzipSync(crate)).map((m) => [m.path, m.data.toString('utf8')]));
        const version = path.split('/')[1]!;
        const mine = files(registry.state.download(name, version));
        const theirs = files(other.state.download(name, version));
        expect(Object.keys(theirs).filter((p) => !p.endsWith('/Cargo.lock'))).toEqual(Object.keys(mine));
        expect(theirs[`${name}-${version}/Cargo.toml`]).toBe(mine[`${name}-${version}/Cargo.toml`]);
      }
    } finally {
      await other.stop();
    }
  });
});
