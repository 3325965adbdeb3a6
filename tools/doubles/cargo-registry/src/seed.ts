/**
 * The seed crates in `crates/`: tiny real libraries, one folder per version, listed in
 * `crates/seed.json` in publish order with the versions to yank. Loading builds each .crate in
 * memory (no cargo run), the same bytes every time; seeding publishes them through the same
 * path an upload takes, so a seeded index line is what a real publish would have produced.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCrate, sha256Hex, type CrateFile } from './crate-archive';
import type { PublishMetadata } from './metadata';
import { seedPackage } from './seed-manifest';
import type { RegistryState } from './state';

export const SEED_DIR = fileURLToPath(new URL('../crates', import.meta.url));

export interface SeedCrate {
  name: string;
  version: string;
  metadata: PublishMetadata;
  crate: Buffer;
  cksum: string;
  yanked: boolean;
}

interface SeedEntry {
  path: string;
  yanked: boolean;
}

/** Reads `seed.json`: `{ "crates": [{ "path": "leaf/0.1.0", "yanked"?: true }, …] }`. */
export function parseSeedList(file: string, text: string): SeedEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON: ${(error as Error).message}`);
  }
  const list = (json as { crates?: unknown } | null)?.crates;
  if (!Array.isArray(list)) throw new Error(`${file}: \`crates\` must be an array`);
  const seen = new Set<string>();
  return list.map((entry: unknown, i) => {
    const e = entry as { path?: unknown; yanked?: unknown } | null;
    const keys = e && typeof e === 'object' ? Object.keys(e) : [];
    if (!e || typeof e.path !== 'string' || !/^[A-Za-z0-9_-]+\/[0-9A-Za-z.+-]+$/.test(e.path)) throw new Error(`${file}: crates[${i}].path must be "<name>/<version>"`);
    if (e.yanked !== undefined && typeof e.yanked !== 'boolean') throw new Error(`${file}: crates[${i}].yanked must be a boolean`);
    const extra = keys.find((k) => k !== 'path' && k !== 'yanked');
    if (extra) throw new Error(`${file}: crates[${i}].${extra} is not a seed field (path, yanked)`);
    if (seen.has(e.path)) throw new Error(`${file}: crates[${i}]: ${e.path} is listed twice`);
    seen.add(e.path);
    return { path: e.path, yanked: e.yanked ?? false };
  });
}

async function filesUnder(root: string): Promise<CrateFile[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return Promise.all(files.map(async (f) => ({ path: relative(root, f).split(sep).join('/'), data: await readFile(f) })));
}

/** Every seed crate, built, in publish order. Throws naming the file for a bad seed. */
export async function loadSeedCrates(dir = SEED_DIR): Promise<SeedCrate[]> {
  const listFile = join(dir, 'seed.json');
  const entries = parseSeedList(listFile, await readFile(listFile, 'utf8'));
  return Promise.all(
    entries.map(async ({ path, yanked }) => {
      const root = join(dir, ...path.split('/'));
      const manifestPath = join(root, 'Cargo.toml');
      const all = await filesUnder(root);
      const manifest = all.find((f) => f.path === 'Cargo.toml');
      if (!manifest) throw new Error(`${manifestPath}: missing`);
      const pkg = seedPackage(manifestPath, manifest.data.toString('utf8'), all.filter((f) => f !== manifest));
      if (`${pkg.name}/${pkg.version}` !== path) throw new Error(`${manifestPath}: declares ${pkg.name} ${pkg.version}, but seed.json lists it as ${path}`);
      const crate = buildCrate(pkg.name, pkg.version, pkg.files);
      return { name: pkg.name, version: pkg.version, metadata: pkg.metadata, crate, cksum: sha256Hex(crate), yanked };
    }),
  );
}

/** Publishes the seeds into a registry's state, yanking those marked so. */
export function seedState(state: RegistryState, seeds: readonly SeedCrate[]): void {
  for (const seed of seeds) {
    state.publish(seed.metadata, seed.crate);
    if (seed.yanked) state.setYanked(seed.name, seed.version, true);
  }
}
