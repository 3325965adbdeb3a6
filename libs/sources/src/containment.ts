import { readFile, readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { parse } from 'smol-toml';
import { type NamedPath, configPaths, lineOf, manifestPaths, metadataEscapes, unreadablePaths } from './cargo-paths';
import { type MetadataResult, inSandbox } from './cargo-metadata';
import { git } from './git';

/**
 * A build is of the pinned commits and nothing else (invariant 3). Repository contents are
 * untrusted: a symlink, a `path =` dependency, a workspace member, a [replace] or a `.cargo/config`
 * path override can point anywhere on the runner, and cargo would compile (or read) it without
 * complaint. The build sandbox cannot read outside the checkouts anyway; these checks make the
 * refusal early and clear, naming the file and line, for every problem of every component at once.
 */
export function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

/** One checkout to check: the component, its folder, its crate's folder inside it and the commit it is at. */
export interface Checked {
  component: string;
  dir: string;
  /** Relative to `dir`; '.' when the crate is the repository's root. */
  crateDir: string;
  commit: string;
}

const label = (c: Checked) => `${c.component}@${c.commit.slice(0, 7)}`;

/** Every tracked symlink of a checkout (at any depth) whose target leaves it. */
export async function escapingSymlinks(c: Checked): Promise<string[]> {
  const r = await git(['ls-files', '-s', '-z'], { cwd: c.dir });
  if (!r.ok) return [`${label(c)}: cannot list the files of ${c.dir}`];
  const root = await realpath(c.dir);
  const problems: string[] = [];
  for (const entry of r.stdout.split('\0')) {
    const m = /^120000 [0-9a-f]+ \d+\t(.+)$/.exec(entry);
    if (!m) continue;
    const path = m[1]!;
    const link = join(c.dir, path);
    const target = await readlink(link);
    const lexical = resolve(dirname(link), target);
    const real = await realpath(link).catch(() => undefined);
    if (!isInside(lexical, c.dir) || (real !== undefined && !isInside(real, root)))
      problems.push(`${label(c)}: ${path} is a symlink to ${JSON.stringify(target).slice(0, 200)}, outside the checkout; refusing to build it`);
  }
  return problems;
}

/** How a key reads in a message: the existing wording for dependencies, the table otherwise. */
function describe(key: string): string {
  const dep = /^(.*dependencies)\.([^.]+)$/.exec(key);
  if (dep) return `path dependency "${dep[2]}" (${dep[1]})`;
  if (key.startsWith('patch.')) return `[patch] entry ${key}`;
  if (key.startsWith('replace.')) return `[replace] entry "${key.slice('replace.'.length)}"`;
  if (key === 'paths') return 'path override (paths)';
  if (key === 'workspace.members') return 'workspace member';
  return key;
}

/**
 * Paths a Cargo.toml or .cargo/config file of a checkout names outside `checkouts`, each with the
 * file and the line declaring it. A file that is not readable TOML is skipped: cargo and
 * graph-check report it with its own error. Pure apart from reading the file.
 */
export async function fileEscapes(c: Checked, file: string, kind: 'manifest' | 'config', checkouts: readonly string[], sourcesDir: string): Promise<string[]> {
  let text: string;
  let named: NamedPath[];
  try {
    text = await readFile(file, 'utf8');
    const doc = parse(text) as Record<string, unknown>;
    named = kind === 'manifest' ? manifestPaths(doc) : configPaths(doc);
  } catch {
    return [];
  }
  // A config's paths are relative to the folder holding `.cargo`; a manifest's to its own folder.
  const base = kind === 'manifest' ? dirname(file) : dirname(dirname(file));
  const shown = relative(c.dir, file) || file;
  return named
    .map((n) => ({ ...n, abs: resolve(base, n.path) }))
    .filter((n) => !checkouts.some((k) => isInside(n.abs, k)))
    .map((n) => {
      const line = lineOf(text, n.path);
      return (
        `${label(c)}: ${shown}${line ? `:${line}` : ''}: ${describe(n.key)} = ${JSON.stringify(n.path).slice(0, 200)} resolves to ${n.abs}, ` +
        `outside the checkouts in ${sourcesDir}; refusing to build code no pin records`
      );
    });
}

/** The host file of a path cargo reported inside the sandbox, when it lies in one of the checkouts. */
function toHost(p: string, checkouts: readonly string[]): string | undefined {
  for (const k of checkouts) {
    const at = inSandbox(k);
    if (p === at || p.startsWith(`${at}/`)) return join(k, p.slice(at.length));
  }
  return undefined;
}

/**
 * What cargo's own view of a checkout adds: every local manifest it loaded (nested crates,
 * workspace members, [replace] and [patch] targets) scanned like the root one, every path it
 * resolved outside the checkouts, and when cargo stopped on a file it could not read (outside
 * the sandbox's checkouts nothing exists), that file and the manifest that led to it. `known`:
 * problems already found in this checkout's root manifest and config.
 */
export async function metadataProblems(c: Checked, result: MetadataResult, checkouts: readonly string[], sourcesDir: string, known = 0): Promise<string[]> {
  const roots = checkouts.map(inSandbox);
  const problems: string[] = [];
  if (result.ok) {
    const manifests = new Set(result.meta.packages.filter((p) => p.source === null).map((p) => toHost(p.manifest_path, [c.dir])).filter((m): m is string => m !== undefined));
    for (const m of manifests) if (m !== join(c.dir, c.crateDir, 'Cargo.toml')) problems.push(...(await fileEscapes(c, m, 'manifest', checkouts, sourcesDir)));
    for (const e of metadataEscapes(result.meta, roots))
      problems.push(`${label(c)}: ${e.manifest}: ${e.what} resolves to ${e.resolved} in the build sandbox, outside the checkouts; refusing to build code no pin records`);
    return [...new Set(problems)];
  }
  const outside = unreadablePaths(result.stderr).filter((p) => !roots.some((r) => p === r || p.startsWith(`${r}/`)));
  if (outside.length === 0) return []; // cargo stopped for another reason: the build reports it with cargo's own words
  // "failed to get `x` as a dependency of package `sub v0.1.0 (/src/c/sub)`": the manifest to scan.
  const dependents = [...result.stderr.matchAll(/as a dependency of package `[^`(]*\(([^)]+)\)`/g)].map((m) => toHost(posix.join(m[1]!, 'Cargo.toml'), [c.dir]));
  for (const m of new Set(dependents)) if (m && m !== join(c.dir, c.crateDir, 'Cargo.toml')) problems.push(...(await fileEscapes(c, m, 'manifest', checkouts, sourcesDir)));
  // Cargo stops at the first: when the files already named a way out, its stop is that one.
  if (problems.length === 0 && known === 0)
    problems.push(...outside.map((p) => `${label(c)}: cargo metadata needs ${p}, outside the checkouts in ${sourcesDir}; refusing to build code no pin records`));
  return problems;
}
