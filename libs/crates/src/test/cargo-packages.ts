/**
 * Real `.crate` files for the upload tests: a cargo workspace of tiny libraries with path+version
 * dependencies between them, packaged by real `cargo package --workspace --no-verify` against the
 * local registry (cargo consults the index while packaging). A CARGO_HOME that knows only that
 * registry, and none of the caller's CARGO_* settings.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CargoRegistry } from '@bllvm/cargo-registry';
import { execa } from 'execa';

export interface TinyCrate {
  name: string;
  version: string;
  /** Crates of the same workspace it depends on (path + version). */
  deps: string[];
  /** Extra text in lib.rs, to make bytes differ. */
  marker?: string;
}

export interface PackagedCrate {
  name: string;
  version: string;
  crateFile: string;
  sha256: string;
  dependsOn: string[];
}

export function cargoEnv(cargoHome: string, targetDir: string): Record<string, string> {
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => !e[0].startsWith('CARGO_') && e[1] !== undefined));
  return { ...env, CARGO_HOME: cargoHome, CARGO_TARGET_DIR: targetDir, CARGO_TERM_COLOR: 'never', CARGO_INCREMENTAL: '0' };
}

export async function cargoHomeFor(dir: string, registry: CargoRegistry): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.toml'), registry.cargoConfig());
  return dir;
}

/** Writes the workspace under `dir`, packages every member and returns them in the given order. */
export async function packageWorkspace(dir: string, cargoHome: string, registry: CargoRegistry, crates: readonly TinyCrate[]): Promise<PackagedCrate[]> {
  await writeFile(join(dir, 'Cargo.toml'), `[workspace]\nmembers = [${crates.map((c) => JSON.stringify(c.name)).join(', ')}]\nresolver = "2"\n`);
  for (const c of crates) {
    await mkdir(join(dir, c.name, 'src'), { recursive: true });
    const deps = c.deps.map((d) => `${d} = { path = "../${d}", version = "${crates.find((x) => x.name === d)!.version}" }`).join('\n');
    await writeFile(
      join(dir, c.name, 'Cargo.toml'),
      `[package]\nname = "${c.name}"\nversion = "${c.version}"\nedition = "2021"\ndescription = "made by a test"\nlicense = "MIT"\n\n[dependencies]\n${deps}\n`,
    );
    const body = c.deps.map((d) => `${d.replace(/-/g, '_')}::VALUE`).join(' + ') || '1';
    await writeFile(join(dir, c.name, 'src', 'lib.rs'), `pub const VALUE: u32 = ${body};\n${c.marker ? `// ${c.marker}\n` : ''}`);
  }
  const target = join(dir, 'target');
  const run = await execa('cargo', ['package', '--workspace', '--no-verify', '--allow-dirty', '--registry', registry.registryName], {
    cwd: dir,
    env: cargoEnv(cargoHome, target),
    extendEnv: false,
    reject: false,
    all: true,
  });
  if (run.exitCode !== 0) throw new Error(`cargo package failed:\n${run.all}`);
  return Promise.all(
    crates.map(async (c) => {
      const crateFile = join(target, 'package', `${c.name}-${c.version}.crate`);
      const sha256 = createHash('sha256').update(await readFile(crateFile)).digest('hex');
      return { name: c.name, version: c.version, crateFile, sha256, dependsOn: [...c.deps] };
    }),
  );
}
