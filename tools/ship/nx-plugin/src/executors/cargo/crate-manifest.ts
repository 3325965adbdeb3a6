import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';

async function manifest(dir: string): Promise<{ package?: { name?: unknown; version?: unknown } }> {
  const file = join(dir, 'Cargo.toml');
  try {
    return parseToml(await readFile(file, 'utf8')) as { package?: { name?: unknown; version?: unknown } };
  } catch (e) {
    throw new Error(`${file}: cannot read the crate manifest: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** The crate's package name: the key cargo's `[patch]` is given under. */
export async function crateName(dir: string): Promise<string> {
  const name = (await manifest(dir)).package?.name;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`${join(dir, 'Cargo.toml')}: package.name is missing or invalid`);
  return name;
}

export async function crateVersion(dir: string): Promise<string> {
  const v = (await manifest(dir)).package?.version;
  return typeof v === 'string' ? v : '0.0.0';
}
