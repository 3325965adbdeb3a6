/**
 * The develop set as `version --develop` leaves it for the nightly's later steps (release commits,
 * packaging, upload, notes, yank): which version each component's crate gets, in chain order, and,
 * once `tag --develop` made them, each crate's tag, release commit and the pin it was made on.
 * Committed beside the pins (the nightly commits it with them), so the builds, the publish job and
 * a later yank all read the one set the commit names; never into versions.toml: the develop set is
 * not the official one. Pure: the record, its path, its validation when read, the recording of the
 * tags, and which release commits apply to the pins at hand.
 */
import { join } from 'node:path';
import { DEVELOP_SET_FILE, ManifestError } from '@bllvm/manifest';
import type { CrateVersion } from './plan-develop';
import type { MadeTag } from './tagged-versions-file';
import { developCommitsOn } from '@bllvm/release';
import { releaseTag } from './release-commits';
import { parseVersion } from './semver';

export const DEVELOP_SET_SCHEMA = 1;

/** Relative to the workspace root (spelled in libs/manifest, which the package targets' inputs are inferred in). */
export { DEVELOP_SET_FILE };

export interface DevelopSet {
  schema: typeof DEVELOP_SET_SCHEMA;
  kind: 'develop';
  /** The registry whose versions the plan went past, as the plan named it. */
  registry: string;
  /** In chain order, dependencies first. */
  crates: DevelopCrate[];
}

/** One crate of the develop set; `tag`, `commit` and `base` once `tag --develop` made its release commit. */
export interface DevelopCrate extends CrateVersion {
  /** Always v<version>. */
  tag?: string;
  /** The release commit the tag names (on top of the component's pin). */
  commit?: string;
  /** The pin the release commit was made on (its parent): the set applies to that pin only. */
  base?: string;
}

export function developSetPath(workspaceRoot: string): string {
  return join(workspaceRoot, DEVELOP_SET_FILE);
}

export function serializeDevelopSet(set: DevelopSet): string {
  return `${JSON.stringify(set, null, 2)}\n`;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const COMMIT = /^[0-9a-f]{40}$/;

/** The develop set in `json` (read from `file`), checked field by field; a ManifestError says what is wrong. */
export function parseDevelopSet(json: unknown, file: string): DevelopSet {
  const o = json as Partial<Record<keyof DevelopSet, unknown>> | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new ManifestError(file, 'is not a JSON object');
  if (o.schema !== DEVELOP_SET_SCHEMA) throw new ManifestError(file, `schema must be ${DEVELOP_SET_SCHEMA}, got ${JSON.stringify(o.schema)?.slice(0, 40)}`);
  if (o.kind !== 'develop') throw new ManifestError(file, `kind must be "develop", got ${JSON.stringify(o.kind)?.slice(0, 40)}`);
  if (typeof o.registry !== 'string' || o.registry === '') throw new ManifestError(file, 'registry must be a non-empty string');
  if (!Array.isArray(o.crates)) throw new ManifestError(file, 'crates must be a list');
  const seen = new Set<string>();
  const crates = o.crates.map((c: unknown, i): DevelopCrate => {
    const e = c as Partial<Record<keyof DevelopCrate, unknown>> | null;
    const at = `crates[${i}]`;
    if (typeof e !== 'object' || e === null) throw new ManifestError(file, `${at} is not an object`);
    for (const key of ['component', 'crate'] as const)
      if (typeof e[key] !== 'string' || !NAME.test(e[key] as string)) throw new ManifestError(file, `${at}.${key} must be a name, got ${JSON.stringify(e[key])?.slice(0, 80)}`);
    if (typeof e.version !== 'string' || !parseVersion(e.version)) throw new ManifestError(file, `${at}.version must be a version, got ${JSON.stringify(e.version)?.slice(0, 80)}`);
    if (seen.has(e.component as string)) throw new ManifestError(file, `${at}: ${e.component as string} is listed twice`);
    seen.add(e.component as string);
    // The tag and its commit are recorded together, once both are in the component's repository.
    if ((e.tag === undefined) !== (e.commit === undefined)) throw new ManifestError(file, `${at} must have both tag and commit, or neither`);
    if (e.tag !== undefined && e.tag !== releaseTag(e.version))
      throw new ManifestError(file, `${at}.tag must be "${releaseTag(e.version)}" (its version's tag), got ${JSON.stringify(e.tag)?.slice(0, 80)}`);
    for (const key of ['commit', 'base'] as const)
      if (e[key] !== undefined && (typeof e[key] !== 'string' || !COMMIT.test(e[key] as string)))
        throw new ManifestError(file, `${at}.${key} must be a 40-hex commit, got ${JSON.stringify(e[key])?.slice(0, 80)}`);
    if (e.base !== undefined && e.commit === undefined) throw new ManifestError(file, `${at}.base goes with a commit`);
    const made = e.tag === undefined ? {} : { tag: e.tag as string, commit: e.commit as string, ...(e.base === undefined ? {} : { base: e.base as string }) };
    return { component: e.component as string, crate: e.crate as string, version: e.version, ...made };
  });
  return { schema: DEVELOP_SET_SCHEMA, kind: 'develop', registry: o.registry, crates };
}

/** A release tag `tag --develop` made, found or would make, with what it was made for. */
export interface DevelopTag extends MadeTag {
  crate: string;
  version: string;
  /** The pin the release commit is on. */
  base?: string;
}

export interface TaggedDevelopSet {
  set: DevelopSet;
  /** One line per crate whose tag or commit changes; empty when the set records them already. */
  changed: string[];
}

/**
 * The develop set with each tagged crate's `tag` and `commit` set. Each tag must be of a crate the
 * set lists, at the crate and version it lists (a set planned again since is refused, not
 * overwritten); the other crates keep what they have. Pure.
 */
export function recordDevelopTags(set: DevelopSet, tags: readonly DevelopTag[], file: string): TaggedDevelopSet {
  const byComponent = new Map(tags.map((t) => [t.component, t]));
  const listed = new Set(set.crates.map((c) => c.component));
  for (const t of tags) if (!listed.has(t.component)) throw new ManifestError(file, `does not list ${t.component}, which was tagged ${t.tag}`);
  const changed: string[] = [];
  const crates = set.crates.map((c): DevelopCrate => {
    const t = byComponent.get(c.component);
    if (!t) return c;
    if (t.crate !== c.crate || t.version !== c.version)
      throw new ManifestError(file, `lists ${c.component} as ${c.crate} ${c.version}, but its release commit is of ${t.crate} ${t.version}; run \`version --develop\` again`);
    if (t.tag !== releaseTag(c.version)) throw new ManifestError(file, `${c.component}: tag ${t.tag} is not ${releaseTag(c.version)}`);
    const base = t.base ?? c.base;
    if (c.tag === t.tag && c.commit === t.commit && c.base === base) return c;
    changed.push(`${c.component}: ${t.tag} ${t.commit}${c.commit && c.commit !== t.commit ? ` (was ${c.commit})` : ''}`);
    return { ...c, tag: t.tag, commit: t.commit, ...(base ? { base } : {}) };
  });
  const next = { ...set, crates };
  // Never leave a record that would not read back as it is.
  parseDevelopSet(JSON.parse(serializeDevelopSet(next)), file);
  return { set: next, changed };
}

/** The release commits of `set` for the pins at hand, all or nothing (libs/release developCommitsOn). Pure. */
export function developCommits(set: DevelopSet | undefined, pins: Readonly<Record<string, string>>): Record<string, string> {
  return developCommitsOn(set?.crates, pins);
}

/**
 * Whether `set` is the develop set of the pins at hand: it lists crates, and every one is tagged on
 * its component's current pin. Then a rerun of the nightly keeps it (same versions, same tags, the
 * upload journal goes on) rather than planning past versions an interrupted run already uploaded. Pure.
 */
export function developSetApplies(set: DevelopSet | undefined, pins: Readonly<Record<string, string>>): set is DevelopSet {
  // The same all-or-nothing rule the package tasks and the release plan apply.
  return Object.keys(developCommits(set, pins)).length > 0;
}
