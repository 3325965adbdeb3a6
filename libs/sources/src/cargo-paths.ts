import { isAbsolute, posix, relative, sep } from 'node:path';

/**
 * Every way a Cargo manifest or a cargo configuration file names a folder cargo will read code
 * from. Pure: a parsed TOML document in, (key, path) pairs out; the caller resolves each path
 * against the right folder and decides whether it stays inside the checkouts.
 */
export interface NamedPath {
  /** Where the path is declared, as a TOML key (`dependencies.helper`, `workspace.members`, `paths`). */
  key: string;
  path: string;
}

export type Table = Record<string, unknown>;
export const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
/** Every table of a manifest that declares dependencies, in both spellings cargo accepts. */
export const DEP_TABLES = ['dependencies', 'dev-dependencies', 'dev_dependencies', 'build-dependencies', 'build_dependencies'];
const TARGET_TABLES = ['lib', 'bin', 'example', 'test', 'bench'];

function depPaths(table: unknown, where: string, out: NamedPath[]): void {
  if (!isTable(table)) return;
  for (const [name, spec] of Object.entries(table)) if (isTable(spec) && typeof spec.path === 'string') out.push({ key: `${where}.${name}`, path: spec.path });
}

/** A glob's fixed leading folders (`crates/*` → `crates`): where cargo starts looking. */
export function globBase(pattern: string): string {
  const parts = pattern.split('/');
  const i = parts.findIndex((p) => /[*?[\]{}]/.test(p));
  return (i < 0 ? parts : parts.slice(0, i)).join('/') || '.';
}

/** Paths in a Cargo.toml, relative to its folder: dependencies, [patch], [replace], workspace members, targets. */
export function manifestPaths(doc: Table): NamedPath[] {
  const out: NamedPath[] = [];
  for (const t of DEP_TABLES) depPaths(doc[t], t, out);
  if (isTable(doc.target))
    for (const [target, tables] of Object.entries(doc.target)) if (isTable(tables)) for (const t of DEP_TABLES) depPaths(tables[t], `target.'${target}'.${t}`, out);
  if (isTable(doc.patch)) for (const [registry, table] of Object.entries(doc.patch)) depPaths(table, `patch.${registry}`, out);
  depPaths(doc.replace, 'replace', out);
  const ws = doc.workspace;
  if (isTable(ws)) {
    depPaths(ws.dependencies, 'workspace.dependencies', out);
    if (Array.isArray(ws.members)) for (const m of ws.members) if (typeof m === 'string') out.push({ key: 'workspace.members', path: globBase(m) });
  }
  const pkg = doc.package;
  if (isTable(pkg)) {
    // The workspace root a member points at is itself read as a manifest.
    if (typeof pkg.workspace === 'string') out.push({ key: 'package.workspace', path: pkg.workspace });
    if (typeof pkg.build === 'string') out.push({ key: 'package.build', path: pkg.build });
  }
  for (const t of TARGET_TABLES) {
    const v = doc[t];
    for (const target of Array.isArray(v) ? v : [v]) if (isTable(target) && typeof target.path === 'string') out.push({ key: t, path: target.path });
  }
  return out;
}

/**
 * Paths in a `.cargo/config.toml` (or `.cargo/config`), relative to the folder holding `.cargo`:
 * `paths` overrides, [patch] entries, and directory sources that replace a registry.
 */
export function configPaths(doc: Table): NamedPath[] {
  const out: NamedPath[] = [];
  if (Array.isArray(doc.paths)) for (const p of doc.paths) if (typeof p === 'string') out.push({ key: 'paths', path: p });
  if (isTable(doc.patch)) for (const [registry, table] of Object.entries(doc.patch)) depPaths(table, `patch.${registry}`, out);
  if (isTable(doc.source))
    for (const [name, src] of Object.entries(doc.source)) {
      if (!isTable(src)) continue;
      for (const k of ['directory', 'local-registry']) if (typeof src[k] === 'string') out.push({ key: `source.${name}.${k}`, path: src[k] as string });
    }
  return out;
}

/** The 1-based line of a TOML text that declares `value` as a string, or undefined when it is not written literally. */
export function lineOf(text: string, value: string): number | undefined {
  const quoted = [JSON.stringify(value), `'${value}'`];
  const i = text.split(/\r?\n/).findIndex((l) => quoted.some((q) => l.includes(q)));
  return i < 0 ? undefined : i + 1;
}

/** Is `child` the folder `parent` or below it (lexically; `..` never counts as below)? Pure. */
export function within(child: string, parent: string, path: { relative: typeof relative; isAbsolute: typeof isAbsolute; sep: string } = { relative, isAbsolute, sep }): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!path.isAbsolute(rel) && rel.split(path.sep)[0] !== '..');
}
const withinPosix = (child: string, parent: string) => within(child, parent, posix);

/** What `cargo metadata --format-version 1` reports that matters here. */
export interface CargoMetadata {
  packages: { name: string; source: string | null; manifest_path: string; dependencies: { name: string; path?: string }[]; targets?: { name: string; src_path: string }[] }[];
}

/** A path cargo resolved outside the allowed folders, as cargo saw it (sandbox paths). */
export interface ResolvedEscape {
  /** The manifest declaring it (the package's own for its targets, the dependent's for a dependency). */
  manifest: string;
  what: string;
  resolved: string;
}

/**
 * Every local package cargo loaded, every path dependency and every target source it resolved,
 * checked against the checkouts as the sandbox mounts them. Registry packages (source set) live
 * in the cargo home and are not component input of this kind. Pure.
 */
export function metadataEscapes(meta: CargoMetadata, roots: readonly string[]): ResolvedEscape[] {
  const inside = (p: string) => roots.some((r) => withinPosix(p, r));
  const found: ResolvedEscape[] = [];
  for (const pkg of meta.packages) {
    if (pkg.source !== null) continue;
    if (!inside(pkg.manifest_path)) found.push({ manifest: pkg.manifest_path, what: `package "${pkg.name}"`, resolved: posix.dirname(pkg.manifest_path) });
    for (const d of pkg.dependencies) if (d.path !== undefined && !inside(d.path)) found.push({ manifest: pkg.manifest_path, what: `path dependency "${d.name}"`, resolved: posix.normalize(d.path) });
    for (const t of pkg.targets ?? []) if (!inside(t.src_path)) found.push({ manifest: pkg.manifest_path, what: `target "${t.name}" source`, resolved: posix.normalize(t.src_path) });
  }
  return found;
}

/**
 * Files cargo said it could not read, from its error output: inside the sandbox a path outside
 * the mounted checkouts does not exist, so this is how an escape shows when cargo stops on it. Pure.
 */
export function unreadablePaths(stderr: string): string[] {
  return [...new Set([...stderr.matchAll(/failed to read `([^`]+)`/g)].map((m) => m[1]!))];
}
