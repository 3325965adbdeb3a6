import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { indexPath } from '@bllvm/crates';
import { type CrateArchive, readCrateArchive } from './crate-archive';

/**
 * The registry a `package` task's cargo sees: a cargo local registry (an `index/` folder laid out
 * like crates.io's, the `.crate` files beside it) holding the crates this release packaged for the
 * component's upstreams and the registry crates already in the component's cache. It replaces
 * crates.io (and the configured mirror) for the task, so the verify build resolves every upstream
 * at the version just packaged, offline, from the very bytes the publish job will upload.
 */

/** Where the overlay is mounted in the build sandbox (read-only), and cargo's name for it. */
export const OVERLAY_MOUNT = '/release-crates';
export const OVERLAY_SOURCE = 'release-crates';

/** One dependency line of a registry index entry (cargo's registry index format). */
export interface IndexDependency {
  name: string;
  req: string;
  features: string[];
  optional: boolean;
  default_features: boolean;
  target: string | null;
  kind: 'normal' | 'dev' | 'build';
  registry?: string;
  package?: string;
}

export interface IndexEntry {
  name: string;
  vers: string;
  deps: IndexDependency[];
  cksum: string;
  features: Record<string, string[]>;
  features2?: Record<string, string[]>;
  yanked: false;
  links: string | null;
  v?: 2;
  rust_version?: string;
}

const TABLES = [
  ['dependencies', 'normal'],
  ['dev-dependencies', 'dev'],
  ['build-dependencies', 'build'],
] as const;

const table = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Every dependency a packaged (normalized) manifest declares, in index form. Pure. */
export function manifestDependencies(manifest: Record<string, unknown>): IndexDependency[] {
  const out: IndexDependency[] = [];
  const add = (deps: unknown, kind: IndexDependency['kind'], target: string | null) => {
    for (const [key, raw] of Object.entries(table(deps))) {
      const d = typeof raw === 'string' ? { version: raw } : table(raw);
      const features = Array.isArray(d.features) ? d.features.filter((f): f is string => typeof f === 'string') : [];
      const defaults = d['default-features'] ?? d.default_features;
      out.push({
        name: key,
        req: typeof d.version === 'string' ? d.version : '*',
        features,
        optional: d.optional === true,
        default_features: defaults !== false,
        target,
        kind,
        ...(typeof d['registry-index'] === 'string' ? { registry: d['registry-index'] } : {}),
        ...(typeof d.package === 'string' ? { package: d.package } : {}),
      });
    }
  };
  for (const [name, kind] of TABLES) add(manifest[name], kind, null);
  for (const [target, t] of Object.entries(table(manifest.target))) for (const [name, kind] of TABLES) add(table(t)[name], kind, target);
  return out;
}

/** The crate names (as published) a packaged manifest depends on, sorted, each once. Pure. */
export function dependsOnOf(manifest: Record<string, unknown>): string[] {
  return [...new Set(manifestDependencies(manifest).map((d) => d.package ?? d.name))].sort();
}

/** The index line cargo reads for a crate: from its packaged manifest and the digest of its bytes. Pure. */
export function indexEntry(crate: Pick<CrateArchive, 'name' | 'version' | 'sha256' | 'manifest'>): IndexEntry {
  const pkg = table(crate.manifest.package);
  const all = Object.entries(table(crate.manifest.features)).map(([k, v]) => [k, Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []] as const);
  // Features naming `dep:` or `?/` go in features2, as the registry puts them, for cargo to read them as such.
  const isNew = (vals: readonly string[]) => vals.some((v) => v.startsWith('dep:') || v.includes('?/'));
  const features = Object.fromEntries(all.filter(([, v]) => !isNew(v)));
  const features2 = Object.fromEntries(all.filter(([, v]) => isNew(v)));
  return {
    name: crate.name,
    vers: crate.version,
    deps: manifestDependencies(crate.manifest),
    cksum: crate.sha256,
    features,
    ...(Object.keys(features2).length ? { features2, v: 2 as const } : {}),
    yanked: false,
    links: typeof pkg.links === 'string' ? pkg.links : null,
    ...(typeof pkg['rust-version'] === 'string' ? { rust_version: pkg['rust-version'] } : {}),
  };
}

/** A crate to put in the overlay: its file, read, and who it comes from (for messages). */
export interface OverlayCrate {
  file: string;
  archive: CrateArchive;
  from: string;
  /** The upstream component whose package task made it; none for a registry crate. */
  component?: string;
}

/**
 * Pick one file per name and version: the release's own crates win over the cache's (the same
 * version may be on the registry from an earlier attempt); two different files of one version
 * from the same kind of place are refused, naming both. Pure.
 */
export function chooseOverlayCrates(release: readonly OverlayCrate[], cached: readonly OverlayCrate[]): OverlayCrate[] {
  const chosen = new Map<string, OverlayCrate>();
  for (const group of [release, cached])
    for (const c of group) {
      const key = `${c.archive.name}@${c.archive.version}`;
      const had = chosen.get(key);
      if (!had) chosen.set(key, c);
      else if (group.includes(had) && had.archive.sha256 !== c.archive.sha256)
        throw new Error(`two different ${c.archive.name} ${c.archive.version} crates: ${had.from} and ${c.from}`);
    }
  return [...chosen.values()].sort((a, b) => a.archive.name.localeCompare(b.archive.name) || a.archive.version.localeCompare(b.archive.version));
}

/**
 * The `.crate` files of a cargo home's registry cache (every registry's folder), read as data:
 * those named in `wanted` (`<name>-<version>.crate`, what the lock needs) when given, else all.
 */
export async function cachedRegistryCrates(cargoHome: string, wanted?: ReadonlySet<string>): Promise<OverlayCrate[]> {
  const root = join(cargoHome, 'registry', 'cache');
  if (!existsSync(root)) return [];
  const out: OverlayCrate[] = [];
  for (const registry of await readdir(root, { withFileTypes: true })) {
    if (!registry.isDirectory()) continue;
    for (const f of await readdir(join(root, registry.name), { withFileTypes: true })) {
      if (!f.isFile() || !f.name.endsWith('.crate') || (wanted && !wanted.has(f.name))) continue;
      const file = join(root, registry.name, f.name);
      out.push({ file, archive: await readCrateArchive(file), from: `the registry cache (${registry.name}/${f.name})` });
    }
  }
  return out;
}

/** Write the local registry into `dir` (new, empty): the index, then each crate under cargo's file name. */
export async function writeOverlay(dir: string, crates: readonly OverlayCrate[]): Promise<void> {
  const byName = new Map<string, OverlayCrate[]>();
  for (const c of crates) byName.set(c.archive.name, [...(byName.get(c.archive.name) ?? []), c]);
  await mkdir(join(dir, 'index'), { recursive: true });
  for (const [name, versions] of byName) {
    const file = join(dir, 'index', indexPath(name));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, versions.map((c) => JSON.stringify(indexEntry(c.archive))).join('\n') + '\n');
  }
  for (const c of crates) await copyFile(c.file, join(dir, `${c.archive.name}-${c.archive.version}.crate`));
}

/** cargo `--config` flags that make the overlay replace crates.io for the task. Pure. */
export function overlayConfigArgs(): string[] {
  return ['--config', `source.crates-io.replace-with=${JSON.stringify(OVERLAY_SOURCE)}`, '--config', `source.${OVERLAY_SOURCE}.local-registry=${JSON.stringify(OVERLAY_MOUNT)}`];
}
