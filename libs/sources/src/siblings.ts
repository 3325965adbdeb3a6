import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { namedFolders } from './mounts';

/**
 * The sibling checkout folders a crate's manifest names by path (`../blvm-muhash`, `../../blvm-sdk`):
 * dependencies of every kind and, above all, `[patch.crates-io]` entries, which cargo requires to
 * exist even when nothing in the build uses them. Pure apart from reading the manifest; a manifest
 * that does not parse names nothing here (cargo reports it with its own words).
 */
export async function siblingFolders(checkout: string, crateDir: string): Promise<string[]> {
  const dir = join(checkout, crateDir);
  let doc: Record<string, unknown>;
  try {
    doc = parse(await readFile(join(dir, 'Cargo.toml'), 'utf8')) as Record<string, unknown>;
  } catch {
    return [];
  }
  return namedFolders(doc, checkout, dir);
}
