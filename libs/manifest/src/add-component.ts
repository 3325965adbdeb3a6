import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Component, ComponentKind } from './component';
import { type Pin, PIN_FILE, formatPin, repositoryName } from './pins';
import { componentProjectJson } from './project-config';
import { isCommitSha, refProblem } from './refs';
import { type VersionEntry, parseVersions } from './versions';

/**
 * Adding a component, the one way the component generator and `import` both do it: its folder
 * (project.json naming its kind, pin.toml), its place in the release set, and an entry in
 * versions.toml when the file names it under none of its names. Deriving its graph from the
 * manifests (`nx sync`) is the caller's choice; a caller that knows the graph only after deriving
 * it (`import`) writes the entries' `requires` then (planRequires). A pure plan of file writes,
 * and a thin write.
 */

/** The project every component feeds; it depends on all of them. */
export const RELEASE_SET_PROJECT = 'apps/release-set/project.json';
export const VERSIONS_FILE = 'versions.toml';

export interface NewComponent {
  id: string;
  pin: Pin;
  kind: ComponentKind;
  /** Its direct upstreams where the caller knows them (the generator); otherwise `nx sync` derives them. */
  dependsOn?: readonly string[];
  /** Its version in versions.toml (default 0.1.0): `import` takes it from the crate's Cargo.toml. */
  version?: string;
}

/** The files adding reads, by workspace-relative path; undefined where the file does not exist. */
export interface AddComponentFiles {
  releaseSet?: string;
  versions?: string;
}

/** One file to write, workspace-relative; `create` files must not exist yet. */
export interface FileWrite {
  path: string;
  text: string;
  create?: boolean;
}

const DEFAULT_VERSION = '0.1.0';

/**
 * The writes that add `added` to a workspace whose components are `components` (ids). Throws on
 * a pin or dependency it cannot write, before anything is written. Pure.
 */
export function planAddComponents(files: AddComponentFiles, components: readonly string[], added: readonly NewComponent[]): FileWrite[] {
  return planAdd(files, components, added).writes;
}

/** planAddComponents, and the ids whose versions.toml entry it writes. */
function planAdd(files: AddComponentFiles, components: readonly string[], added: readonly NewComponent[]): { writes: FileWrite[]; entered: string[] } {
  const known = new Set([...components, ...added.map((a) => a.id)]);
  for (const a of added) {
    if (!isCommitSha(a.pin.commit)) throw new Error(`commit "${a.pin.commit}" is not a 40-character lowercase hex commit`);
    const branchProblem = refProblem(a.pin.branch);
    if (branchProblem) throw new Error(`branch ${branchProblem}`);
    for (const d of a.dependsOn ?? []) if (!known.has(d)) throw new Error(`dependsOn: "${d}" is not a component (known: ${components.join(', ')})`);
  }
  const writes: FileWrite[] = [];
  const entered: string[] = [];
  for (const a of added) {
    const root = `apps/${a.id}`;
    writes.push({ path: `${root}/project.json`, text: `${JSON.stringify(componentProjectJson(a.id, a.kind, a.dependsOn), null, 2)}\n`, create: true });
    writes.push({ path: `${root}/${PIN_FILE}`, text: formatPin(a.pin), create: true });
  }
  if (files.releaseSet !== undefined && added.length) {
    const set = JSON.parse(files.releaseSet) as { implicitDependencies?: string[] };
    set.implicitDependencies = [...new Set([...(set.implicitDependencies ?? []), ...added.map((a) => a.id)])];
    writes.push({ path: RELEASE_SET_PROJECT, text: `${JSON.stringify(set, null, 2)}\n` });
  }
  if (files.versions !== undefined) {
    let text = files.versions;
    for (const a of added) {
      const entries = parseVersions(text, VERSIONS_FILE).entries;
      if (namedInVersions(text, a)) continue;
      const version = a.version ?? DEFAULT_VERSION;
      const requires = (a.dependsOn ?? []).map((d) => `${d}=${entries[d]?.version ?? version}`);
      text = insertIntoVersions(text, versionsLine(a.id, { version, gitTag: `v${version}`, requires }));
      entered.push(a.id);
    }
    if (text !== files.versions) {
      parseVersions(text, VERSIONS_FILE); // never leave a file we cannot read
      writes.push({ path: VERSIONS_FILE, text });
    }
  }
  return { writes, entered };
}

/** Whether versions.toml (its text) names the component already, under any of its names: then adding it writes no entry. Pure. */
export function namedInVersions(text: string, a: Pick<NewComponent, 'id' | 'pin'>): boolean {
  const entries = parseVersions(text, VERSIONS_FILE).entries;
  return namesOf(a).some((n) => Object.hasOwn(entries, n));
}

/** Every name versions.toml may already list the component under. */
function namesOf(a: Pick<NewComponent, 'id' | 'pin'>): string[] {
  return [a.id, repositoryName(a.pin.repository), ...(a.pin.crate ? [a.pin.crate] : []), ...(a.pin.formerNames ?? [])];
}

/** A [versions] line: the version, the tag that version gets, the upstreams (`name=version`) and binaries. */
function versionsLine(name: string, e: { version: string; gitTag: string; gitCommit?: string; requires: readonly string[]; binaries?: readonly string[] }): string {
  const list = (xs: readonly string[]) => `[${xs.map((x) => `"${x}"`).join(', ')}]`;
  return (
    `${name} = { version = "${e.version}", git_tag = "${e.gitTag}", git_commit = "${e.gitCommit ?? ''}"` +
    `${e.requires.length ? `, requires = ${list(e.requires)}` : ''}${e.binaries?.length ? `, binaries = ${list(e.binaries)}` : ''} }`
  );
}

/**
 * The `requires` of entries added without them (by `import`, before `nx sync` derived the graph),
 * from each component's direct upstreams in the derived graph: each upstream as versions.toml names
 * it, at its version there. An entry that already lists requires, or an upstream the file has no
 * entry for (`check` reports it), is left alone; so is an entry that is not one line. `components`
 * is the stack, so the file's names are read as ids. Pure; returns the new text.
 */
export function planRequires(text: string, upstreams: Readonly<Record<string, readonly string[]>>, components: readonly Component[]): string {
  const parsed = parseVersions(text, VERSIONS_FILE, { components });
  const lines = text.split('\n');
  for (const [id, deps] of Object.entries(upstreams)) {
    const entry: VersionEntry | undefined = parsed.entries[id];
    const at = parsed.locations?.[id];
    if (!entry || !at?.line || Object.keys(entry.requires).length || !deps.length) continue;
    const line = lines[at.line - 1]!;
    if (!/^\s*"?[A-Za-z0-9._-]+"?\s*=\s*\{[^{}]*\}\s*$/.test(line)) continue;
    const requires = deps.filter((d) => parsed.entries[d]).map((d) => `${parsed.locations?.[d]?.written ?? d}=${parsed.entries[d]!.version}`);
    if (!requires.length) continue;
    lines[at.line - 1] = versionsLine(at.written, { ...entry, requires, binaries: entry.binaries });
  }
  const out = lines.join('\n');
  parseVersions(out, VERSIONS_FILE, { components }); // never leave a file we cannot read
  return out;
}

/** After the last line of the [versions] table, keeping comments and layout. Pure. */
export function insertIntoVersions(text: string, line: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\s*\[versions\]\s*$/.test(l));
  if (start < 0) throw new Error('versions.toml has no [versions] table');
  let end = start + 1;
  while (end < lines.length && !/^\s*\[/.test(lines[end]!)) end++;
  let last = end - 1;
  while (last > start && lines[last]!.trim() === '') last--;
  lines.splice(last + 1, 0, line);
  return lines.join('\n');
}

/**
 * Add `added` to the workspace at `workspaceRoot` on disk (the thin effect of planAddComponents).
 * Returns the ids it wrote a versions.toml entry for.
 */
export async function addComponents(workspaceRoot: string, components: readonly string[], added: readonly NewComponent[]): Promise<string[]> {
  const { writes, entered } = planAdd({ releaseSet: await read(workspaceRoot, RELEASE_SET_PROJECT), versions: await read(workspaceRoot, VERSIONS_FILE) }, components, added);
  for (const w of writes) {
    await mkdir(dirname(join(workspaceRoot, w.path)), { recursive: true });
    await writeFile(join(workspaceRoot, w.path), w.text, w.create ? { flag: 'wx' } : {});
  }
  return entered;
}

/** Write the `requires` of the entries `upstreams` names into versions.toml on disk (the thin effect of planRequires). */
export async function addRequires(workspaceRoot: string, upstreams: Readonly<Record<string, readonly string[]>>, components: readonly Component[]): Promise<void> {
  const text = await read(workspaceRoot, VERSIONS_FILE);
  if (text === undefined) return;
  const next = planRequires(text, upstreams, components);
  if (next !== text) await writeFile(join(workspaceRoot, VERSIONS_FILE), next);
}

const read = (root: string, path: string) =>
  readFile(join(root, path), 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
