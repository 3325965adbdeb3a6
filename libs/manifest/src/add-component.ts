import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ComponentKind } from './component';
import { type Pin, PIN_FILE, formatPin, repositoryName } from './pins';
import { componentProjectJson } from './project-config';
import { isCommitSha, refProblem } from './refs';
import { parseVersions } from './versions';

/**
 * Adding a component, the one way the component generator and `import` both do it: its folder
 * (project.json naming its kind, pin.toml), its place in the release set, and an entry in
 * versions.toml when the file names it under none of its names. Deriving its graph from the
 * manifests (`nx sync`) is the caller's choice. A pure plan of file writes, and a thin write.
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
  /** Its version in versions.toml (default 0.1.0). */
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
  const known = new Set([...components, ...added.map((a) => a.id)]);
  for (const a of added) {
    if (!isCommitSha(a.pin.commit)) throw new Error(`commit "${a.pin.commit}" is not a 40-character lowercase hex commit`);
    const branchProblem = refProblem(a.pin.branch);
    if (branchProblem) throw new Error(`branch ${branchProblem}`);
    for (const d of a.dependsOn ?? []) if (!known.has(d)) throw new Error(`dependsOn: "${d}" is not a component (known: ${components.join(', ')})`);
  }
  const writes: FileWrite[] = [];
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
      if (namesOf(a).some((n) => Object.hasOwn(entries, n))) continue;
      text = insertIntoVersions(text, versionsLine(a, entries));
    }
    if (text !== files.versions) {
      parseVersions(text, VERSIONS_FILE); // never leave a file we cannot read
      writes.push({ path: VERSIONS_FILE, text });
    }
  }
  return writes;
}

/** Every name versions.toml may already list the component under. */
function namesOf(a: NewComponent): string[] {
  return [a.id, repositoryName(a.pin.repository), ...(a.pin.crate ? [a.pin.crate] : []), ...(a.pin.formerNames ?? [])];
}

/** Its [versions] line: its version, the tag that version gets, and its upstreams at their versions. */
function versionsLine(a: NewComponent, entries: Readonly<Record<string, { version: string }>>): string {
  const version = a.version ?? DEFAULT_VERSION;
  const requires = (a.dependsOn ?? []).map((d) => `"${d}=${entries[d]?.version ?? version}"`);
  return `${a.id} = { version = "${version}", git_tag = "v${version}", git_commit = ""${requires.length ? `, requires = [${requires.join(', ')}]` : ''} }`;
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

/** Add `added` to the workspace at `workspaceRoot` on disk (the thin effect of planAddComponents). */
export async function addComponents(workspaceRoot: string, components: readonly string[], added: readonly NewComponent[]): Promise<void> {
  const read = (path: string) => readFile(join(workspaceRoot, path), 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
  const writes = planAddComponents({ releaseSet: await read(RELEASE_SET_PROJECT), versions: await read(VERSIONS_FILE) }, components, added);
  for (const w of writes) {
    await mkdir(dirname(join(workspaceRoot, w.path)), { recursive: true });
    await writeFile(join(workspaceRoot, w.path), w.text, w.create ? { flag: 'wx' } : {});
  }
}
