/**
 * The develop set as `version --develop` leaves it for the nightly's later steps (release commits,
 * packaging, upload, notes): which version each component's crate gets, in chain order, and, once
 * `tag --develop` made them, each crate's tag and release commit. Written under dist/, never into
 * versions.toml: the develop set is not the official one. Pure: the record, its path, its
 * validation when read and the recording of the tags.
 */
import { join } from 'node:path';
import { ManifestError } from '@bllvm/manifest';
import type { CrateVersion } from './plan-develop';
import type { MadeTag } from './tagged-versions-file';
import { releaseTag } from './release-commits';
import { parseVersion } from './semver';

export const DEVELOP_SET_SCHEMA = 1;

/** Relative to the workspace's dist/: beside the release set's other outputs, not a component's folder. */
export const DEVELOP_SET_FILE = join('release-set', 'develop', 'crates.json');

export interface DevelopSet {
  schema: typeof DEVELOP_SET_SCHEMA;
  kind: 'develop';
  /** The registry whose versions the plan went past, as the plan named it. */
  registry: string;
  /** In chain order, dependencies first. */
  crates: DevelopCrate[];
}

/** One crate of the develop set; `tag` and `commit` once `tag --develop` made its release commit. */
export interface DevelopCrate extends CrateVersion {
  /** Always v<version>. */
  tag?: string;
  /** The release commit the tag names (on top of the component's pin). */
  commit?: string;
}

export function developSetPath(distDir: string): string {
  return join(distDir, DEVELOP_SET_FILE);
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
    if (e.commit !== undefined && (typeof e.commit !== 'string' || !COMMIT.test(e.commit)))
      throw new ManifestError(file, `${at}.commit must be a 40-hex commit, got ${JSON.stringify(e.commit)?.slice(0, 80)}`);
    const made = e.tag === undefined ? {} : { tag: e.tag as string, commit: e.commit as string };
    return { component: e.component as string, crate: e.crate as string, version: e.version, ...made };
  });
  return { schema: DEVELOP_SET_SCHEMA, kind: 'develop', registry: o.registry, crates };
}

/** A release tag `tag --develop` made, found or would make, with what it was made for. */
export interface DevelopTag extends MadeTag {
  crate: string;
  version: string;
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
    if (c.tag === t.tag && c.commit === t.commit) return c;
    changed.push(`${c.component}: ${t.tag} ${t.commit}${c.commit ? ` (was ${c.commit})` : ''}`);
    return { ...c, tag: t.tag, commit: t.commit };
  });
  const next = { ...set, crates };
  // Never leave a record that would not read back as it is.
  parseDevelopSet(JSON.parse(serializeDevelopSet(next)), file);
  return { set: next, changed };
}
