import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'smol-toml';

/** `<name>-<version>.crate`: how cargo names a downloaded package in its registry cache. */
export type CrateFile = string;

/**
 * What the lock needs downloaded: the file name of every package from a registry, or undefined
 * when it cannot tell (a lock it cannot read, or a package from git), in which case cargo fetches.
 * Path packages (the stack's own crates) need nothing.
 */
export function lockedDownloads(lockText: string): CrateFile[] | undefined {
  let doc: { package?: { name?: unknown; version?: unknown; source?: unknown }[] };
  try {
    doc = parse(lockText) as typeof doc;
  } catch {
    return undefined;
  }
  const out: CrateFile[] = [];
  for (const p of doc.package ?? []) {
    if (p.source === undefined) continue;
    if (typeof p.source !== 'string' || typeof p.name !== 'string' || typeof p.version !== 'string') return undefined;
    if (!/^(registry|sparse)\+/.test(p.source)) return undefined;
    out.push(`${p.name}-${p.version}.crate`);
  }
  return out;
}

/**
 * Does the dependency step still need `cargo fetch`? Not when the cache already holds every package
 * the lock names: most tasks of a run, each of which would otherwise start a sandbox and cargo to
 * be told there is nothing to do.
 */
export function fetchNeeded(needed: readonly CrateFile[] | undefined, cached: ReadonlySet<CrateFile>): boolean {
  return needed === undefined || needed.some((f) => !cached.has(f));
}

/** The package files in a cargo home's registry cache (every registry's folder). */
export async function cachedCrates(cargoHome: string): Promise<Set<CrateFile>> {
  const root = join(cargoHome, 'registry', 'cache');
  const out = new Set<CrateFile>();
  if (!existsSync(root)) return out;
  for (const registry of await readdir(root, { withFileTypes: true })) {
    if (!registry.isDirectory()) continue;
    for (const f of await readdir(join(root, registry.name), { withFileTypes: true })) if (f.isFile() && f.name.endsWith('.crate')) out.add(f.name);
  }
  return out;
}

export async function lockNeedsFetch(lockFile: string, cargoHome: string): Promise<boolean> {
  return fetchNeeded(lockedDownloads(await readFile(lockFile, 'utf8')), await cachedCrates(cargoHome));
}
