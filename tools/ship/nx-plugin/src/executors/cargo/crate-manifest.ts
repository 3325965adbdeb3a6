import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { type Component, OrchestratorError } from '@bllvm/manifest';

async function manifest(dir: string): Promise<{ package?: { name?: unknown; version?: unknown } }> {
  const file = join(dir, 'Cargo.toml');
  try {
    return parseToml(await readFile(file, 'utf8')) as { package?: { name?: unknown; version?: unknown } };
  } catch (e) {
    throw new Error(`${file}: cannot read the crate manifest: ${(e as Error).message.split('\n')[0]}`);
  }
}

/**
 * The crate's package name: the key cargo's `[patch]` is given under. When the pin names the crate
 * (pin.toml `crate`), the manifest at that commit must agree: a rename the pin does not know of
 * would otherwise patch a name nothing depends on, and cargo would look for it on crates.io.
 */
export async function crateName(dir: string, component?: Pick<Component, 'id' | 'pin' | 'crate'>): Promise<string> {
  const name = (await manifest(dir)).package?.name;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`${join(dir, 'Cargo.toml')}: package.name is missing or invalid`);
  if (component?.crate.name !== undefined && component.crate.name !== name)
    throw new OrchestratorError(
      `${component.id}@${component.pin.commit.slice(0, 7)}: its pin.toml names the crate "${component.crate.name}", but ${component.pin.repository}'s Cargo.toml${component.crate.dir === '.' ? '' : ` in ${component.crate.dir}`} names it "${name}" at this commit; set crate = "${name}" in the pin (and add the old name to former-names)`,
    );
  return name;
}

export async function crateVersion(dir: string): Promise<string> {
  const v = (await manifest(dir)).package?.version;
  return typeof v === 'string' ? v : '0.0.0';
}
