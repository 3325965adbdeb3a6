import { readFile } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { parse } from 'smol-toml';
import { manifestPaths } from './cargo-paths';

/**
 * Which sibling checkouts one sandbox run of cargo needs mounted. Mounting every checkout of the
 * stack in each of its N runs made a cold graph read N × N; a run needs only what the crate's
 * manifests reach. What is mounted decides nothing about containment: every path is still checked
 * against all the checkouts, and a checkout cargo asks for that is not mounted is added (see
 * `missingFolders`), so a short guess costs a rerun, never a missed check.
 */
export interface ManifestRefs {
  /** The crate's package name when it is a plain key (`--config patch.crates-io.<name>` needs one). */
  name?: string;
  /** Sibling checkout folders its manifests name by path (dependencies, [patch], members, …). */
  folders: string[];
  /** Crate names it depends on (the `package` of a renamed one): a sibling of that name is patched in by the build. */
  deps: string[];
}

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);
const DEP_TABLES = ['dependencies', 'dev-dependencies', 'dev_dependencies', 'build-dependencies', 'build_dependencies'];

/** Every crate name a manifest depends on, in any dependency table. Pure. */
export function dependencyNames(doc: Table): string[] {
  const tables: unknown[] = DEP_TABLES.map((t) => doc[t]);
  if (isTable(doc.target)) for (const t of Object.values(doc.target)) if (isTable(t)) tables.push(...DEP_TABLES.map((k) => t[k]));
  if (isTable(doc.workspace)) tables.push(doc.workspace.dependencies);
  const names = new Set<string>();
  for (const table of tables)
    if (isTable(table)) for (const [key, spec] of Object.entries(table)) names.add(isTable(spec) && typeof spec.package === 'string' ? spec.package : key);
  return [...names];
}

/** The sibling folders (under the checkout's parent, not the checkout itself) a manifest in `dir` names by path. Pure. */
export function namedFolders(doc: Table, checkout: string, dir: string): string[] {
  const sources = resolve(checkout, '..');
  const folders = new Set<string>();
  for (const { path } of manifestPaths(doc)) {
    const rel = relative(sources, resolve(dir, path));
    const [folder] = rel.split(sep);
    if (!folder || folder === '..' || rel.startsWith(`..${sep}`) || folder === basename(checkout)) continue;
    folders.add(folder);
  }
  return [...folders].sort();
}

async function readManifest(file: string): Promise<Table | undefined> {
  try {
    return parse(await readFile(file, 'utf8')) as Table;
  } catch {
    return undefined; // cargo reports a manifest it cannot read in its own words
  }
}

/** What a checkout's crate manifest and, for a crate in a subfolder, the checkout's root manifest reach. */
export async function manifestRefs(checkout: string, crateDir: string): Promise<ManifestRefs> {
  const crate = await readManifest(join(checkout, crateDir, 'Cargo.toml'));
  const root = crateDir === '.' ? undefined : await readManifest(join(checkout, 'Cargo.toml'));
  const docs = [crate && { doc: crate, dir: join(checkout, crateDir) }, root && { doc: root, dir: checkout }].filter((d) => d !== undefined);
  const name = isTable(crate?.package) ? crate.package.name : undefined;
  return {
    ...(typeof name === 'string' && /^[A-Za-z0-9_-]+$/.test(name) ? { name } : {}),
    folders: [...new Set(docs.flatMap((d) => namedFolders(d.doc, checkout, d.dir)))].sort(),
    deps: [...new Set(docs.flatMap((d) => dependencyNames(d.doc)))].sort(),
  };
}

/**
 * The checkout folders reachable from `start`: the folders its manifests name and the siblings
 * whose crate it depends on by name, and (when `transitive`) theirs in turn, as a resolving cargo
 * run loads them. Only folders of `refs` (the stack's checkouts) are returned, `start` first. Pure.
 */
export function reachableFolders(start: string, refs: ReadonlyMap<string, ManifestRefs>, transitive: boolean): string[] {
  const byName = new Map<string, string>();
  for (const [folder, r] of refs) if (r.name !== undefined) byName.set(r.name, folder);
  const seen = new Set([start]);
  const todo = [start];
  while (todo.length) {
    const r = refs.get(todo.shift()!);
    if (!r) continue;
    for (const f of [...r.folders, ...r.deps.map((d) => byName.get(d)).filter((f) => f !== undefined)])
      if (refs.has(f) && !seen.has(f)) {
        seen.add(f);
        if (transitive) todo.push(f);
      }
  }
  return [...seen];
}

/**
 * Checkout folders a failed cargo run asked for but did not have: a file it could not read under
 * /src/<folder>, or a crate it found no package for that a sibling provides. Pure.
 */
export function missingFolders(stderr: string, refs: ReadonlyMap<string, ManifestRefs>, mounted: ReadonlySet<string>): string[] {
  const wanted = new Set<string>();
  for (const m of stderr.matchAll(/`\/src\/([^/`]+)/g)) wanted.add(m[1]!);
  const byName = new Map([...refs].flatMap(([f, r]) => (r.name !== undefined ? [[r.name, f] as const] : [])));
  for (const m of stderr.matchAll(/no matching package named `([^`]+)`/g)) {
    const f = byName.get(m[1]!);
    if (f) wanted.add(f);
  }
  return [...wanted].filter((f) => refs.has(f) && !mounted.has(f)).sort();
}
