import { existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type BuildRecord,
  CHANGELOG_TARGET,
  type Component,
  type CrateRecord,
  DIST_DIR,
  type ImageRecord,
  type NotPublishedRecord,
  RELEASE_SET,
  type SbomMaterial,
  OrchestratorError,
  readBuildRecord,
  readCrateRecord,
  readImageRecord,
  readNotPublishedRecord,
  readSbomMaterial,
  readStack,
  releaseSetDist,
} from '@bllvm/manifest';
import type { ComponentChangelog } from './changelog';
import { type FileDigest, sha256File } from './checksums';
import { type ReleaseHistoryRecord, type ReleasePointRecord, readReleaseHistory } from './release-history';
import type { StageComponent } from './staging';
import { type ParsedTag, requireTag } from './tags';

/**
 * One component as the release ships it: its pin, what its build (and image build) recorded, and
 * what its SBOM is made of. A new per-component step adds its part here (read from the component's
 * dist/ outputs by readReleasePlan), and the publish step applies it.
 */
export interface PlannedComponent extends StageComponent {
  /** owner/name of its source repository (from its pin). */
  repository: string;
  /** The pinned commit, which its build record names. */
  commit: string;
  /** The crate and Cargo.lock its build compiled, for its SBOM. */
  sbom: SbomMaterial;
  /** Its packaged crate, which the publish step uploads to the registry: only a publishable library in a release (not a nightly) has one. */
  crate?: PlannedCrate;
}

/** A packaged crate as the release ships it: its record (of the pinned commit) and the .crate, whose bytes the record names. */
export interface PlannedCrate {
  record: CrateRecord;
  /** dist/<c>/crate/<crate>-<version>.crate. */
  path: string;
  /** A develop set's crate: packaged from its release commit (the record's), made on this pin. */
  base?: string;
}

/**
 * The release, as one typed value: assembled once from dist/ and the pins (readReleasePlan), then
 * applied by the publish step, which stages, signs, uploads, verifies and publishes it and reads no
 * source.
 */
export interface ReleasePlan {
  tag: string;
  kind: ParsedTag['kind'];
  orchestratorCommit: string;
  /** The orchestrator commit's date (ISO): the release manifest's and the signature's date, never the clock. */
  createdAt: string;
  /** In graph order, dependencies first. */
  components: PlannedComponent[];
  /** The release this one follows. */
  previous?: ReleasePointRecord;
  /** Undefined when it could not be collected: the release goes out without it. */
  changelog?: ComponentChangelog[];
}

/** What assembling a plan is given: the release's identity, the components (graph order) with their dist/ records, and the history. */
export interface ReleasePlanInput {
  tag: string;
  orchestratorCommit: string;
  createdAt: string;
  components: readonly {
    component: Pick<Component, 'id' | 'repository' | 'pin' | 'kinds'>;
    buildRecord: BuildRecord;
    image?: ImageRecord;
    /** Undefined when its build kept none. */
    sbom?: SbomMaterial;
    /** What its package target wrote, with the size and sha256 of the .crate as read (undefined: the file is missing). */
    crate?: PlannedCrate & { found?: FileDigest };
    /** What its package target wrote instead when the crate is not for the registry. */
    notPublished?: NotPublishedRecord;
  }[];
  history: ReleaseHistoryRecord;
  /** The command that remakes the history record, for the message when it is of other pins. */
  historyCommand: string;
  /** A nightly's develop set (committed with the pins): the release commits it packages and uploads. */
  develop?: readonly DevelopRelease[];
}

/** A crate of the develop set as the plan reads it: `tag --develop` made `commit` on `base`, the component's pin then. */
export interface DevelopRelease {
  component: string;
  commit?: string;
  base?: string;
}

/**
 * The develop set's release commits for the pins at hand: component → release commit, when every
 * crate of the set is tagged on exactly its component's current pin; none otherwise. All or
 * nothing: a set older than some pin (a later pin move, a trial's or a bisection's pins) is not the
 * set of these pins, and every crate is then packaged at its pin and none uploaded. Pure.
 */
export function developCommitsOn(releases: readonly DevelopRelease[] | undefined, pins: Readonly<Record<string, string>>): Record<string, string> {
  const all = releases ?? [];
  if (!all.length || !all.every((c) => c.commit && c.base && pins[c.component] === c.base)) return {};
  return Object.fromEntries(all.map((c) => [c.component, c.commit!]));
}

/** dist/ does not hold a release of these pins: every problem is named, with what makes the missing output. */
export class ReleasePlanError extends OrchestratorError {
  override readonly name = 'ReleasePlanError';
  constructor(readonly problems: string[]) {
    super(`cannot plan the release:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * The release plan, checked: every record is of the pinned commit, an image component has its
 * image, each component has its SBOM source, and the history is of this orchestrator commit and
 * these pins. Every problem of every component is reported at once. Pure.
 */
export function assembleReleasePlan(input: ReleasePlanInput): ReleasePlan {
  const kind = requireTag(input.tag).kind;
  const problems: string[] = [];
  const components: PlannedComponent[] = [];
  const pins = Object.fromEntries(input.components.map((x) => [x.component.id, x.component.pin.commit]));
  // Only a nightly publishes the develop set; a release publishes versions.toml's, at the pins.
  const develop = kind === 'nightly' ? developCommitsOn(input.develop, pins) : {};
  for (const { component: c, buildRecord, image, sbom, crate, notPublished } of input.components) {
    const commit = c.pin.commit;
    const rebuild = `rebuild it: \`npx nx run ${c.id}:build\``;
    const repackage = `package it: \`npx nx run ${c.id}:${PACKAGE_TARGET}\``;
    if (crate) problems.push(...crateProblems(c.id, develop[c.id] ? { commit: develop[c.id]!, is: 'the develop set\'s release commit on the pin' } : { commit, is: 'the pin' }, crate));
    else if (notPublished && notPublished.commit !== commit) problems.push(`${c.id}: the record that its crate is not published is of ${notPublished.commit.slice(0, 7)}, but the pin is ${commit.slice(0, 7)}; ${repackage}`);
    // A library always leaves one or the other: without either, its crate would silently not go out.
    else if (!notPublished && c.kinds.includes('library')) problems.push(`${c.id}: the library's crate was not packaged (no crate.json or not-published.json in dist/${c.id}/crate/); ${repackage}`);
    if (buildRecord.commit !== commit) problems.push(`${c.id}: the build record is of ${buildRecord.commit.slice(0, 7)}, but the pin is ${commit.slice(0, 7)}; ${rebuild}`);
    if (c.kinds.includes('image') && !image) problems.push(`${c.id}: no image record, but the component ships an image; ${rebuild}`);
    if (image && image.commit !== commit) problems.push(`${c.id}: the image record is of ${image.commit.slice(0, 7)}, but the pin is ${commit.slice(0, 7)}; ${rebuild}`);
    if (!sbom) problems.push(`${c.id}: its build kept no Cargo.lock and crate name for the SBOM; ${rebuild}`);
    else if (sbom.commit !== commit) problems.push(`${c.id}: the SBOM source is of ${sbom.commit.slice(0, 7)}, but the pin is ${commit.slice(0, 7)}; ${rebuild}`);
    // Checked either way, but only a release ships the crates of its pins, and a nightly those of
    // its develop set: a nightly's other crates are the pins' versions, which belong to the release
    // that tags them (the registry keeps a version forever).
    const ships = crate && (kind === 'release' || develop[c.id] !== undefined);
    if (sbom) components.push({ name: c.id, repository: c.repository, commit, buildRecord, ...(image ? { image } : {}), sbom, ...(ships ? { crate: { record: crate.record, path: crate.path, ...(develop[c.id] ? { base: commit } : {}) } } : {}) });
  }
  const h = input.history;
  const pinsOf = (pins: Record<string, string>) => JSON.stringify(Object.entries(pins).sort(([a], [b]) => (a < b ? -1 : 1)));
  if (h.orchestratorCommit !== input.orchestratorCommit || pinsOf(h.pins) !== pinsOf(pins))
    problems.push(`the release history is of orchestrator commit ${h.orchestratorCommit.slice(0, 7)} and other pins, not of ${input.orchestratorCommit.slice(0, 7)}; remake it: \`${input.historyCommand}\``);
  if (problems.length) throw new ReleasePlanError(problems);
  return {
    tag: input.tag,
    kind,
    orchestratorCommit: input.orchestratorCommit,
    createdAt: input.createdAt,
    components,
    ...(h.previous ? { previous: h.previous } : {}),
    ...(h.changelog ? { changelog: h.changelog } : {}),
  };
}

/** The target that packages a component's crate into dist/<c>/crate/. */
export const PACKAGE_TARGET = 'package';

/** Why a packaged crate is not the one to publish: of another commit or component, or its .crate not the bytes its record names. Pure. */
function crateProblems(id: string, expected: { commit: string; is: string }, crate: PlannedCrate & { found?: FileDigest }): string[] {
  const { record, path, found } = crate;
  const repackage = `package it again: \`npx nx run ${id}:${PACKAGE_TARGET}\``;
  const problems: string[] = [];
  if (record.component !== id) problems.push(`${id}: the crate record is of component ${record.component}; ${repackage}`);
  if (record.commit !== expected.commit) problems.push(`${id}: the crate record (${record.crate} ${record.version}) is of ${record.commit}, but ${expected.is} is ${expected.commit}; ${repackage}`);
  if (!found) problems.push(`${id}: ${path} is missing, but its crate record names it; ${repackage}`);
  else if (found.size !== record.size) problems.push(`${id}: ${path} is ${found.size} bytes, but its crate record says ${record.size}; ${repackage}`);
  else if (found.sha256 !== record.sha256) problems.push(`${id}: ${path} has sha256 ${found.sha256}, but its crate record says ${record.sha256}; ${repackage}`);
  return problems;
}

/** The command that makes the release history record. */
export const HISTORY_COMMAND = `npx nx run ${RELEASE_SET}:${CHANGELOG_TARGET}`;

/**
 * Read what the release is made of from dist/ and the pins (each record checked when read) and
 * assemble the plan. Reads files only: no git, no mirror, no checkout.
 */
export async function readReleasePlan(root: string, release: { tag: string; orchestratorCommit: string; createdAt: string; develop?: readonly DevelopRelease[] }): Promise<ReleasePlan> {
  const { components: stack } = await readStack(root);
  const components: ReleasePlanInput['components'][number][] = [];
  for (const c of stack) {
    const buildRecord = await readBuildRecord(c.dist.build.record);
    const image = c.kinds.includes('image') ? await readImageRecord(c.dist.image.record) : undefined;
    const sbom = await readSbomMaterial(c.dist.build.dir);
    const crate = c.kinds.includes('library') ? await readPackagedCrate(c.dist.crate) : undefined;
    const notPublished = c.kinds.includes('library') && !crate ? await readNotPublished(c.dist.crate) : undefined;
    components.push({ component: c, buildRecord, ...(image ? { image } : {}), ...(sbom ? { sbom } : {}), ...(crate ? { crate } : {}), ...(notPublished ? { notPublished } : {}) });
  }
  const history = await readReleaseHistory(releaseSetDist(join(root, DIST_DIR)).changelog.record, HISTORY_COMMAND);
  return assembleReleasePlan({ ...release, components, history, historyCommand: HISTORY_COMMAND });
}

/** The record a library's package target leaves when its crate is not for the registry; undefined when there is none. */
export async function readNotPublished(dist: { notPublished: string }): Promise<NotPublishedRecord | undefined> {
  return existsSync(dist.notPublished) ? readNotPublishedRecord(dist.notPublished) : undefined;
}

/**
 * A library's packaged crate: its record (checked when read) and the digest of the .crate beside
 * it. Undefined when the package target wrote no record: the crate is not published (its
 * manifest says `publish = false`, or the release packages none).
 */
export async function readPackagedCrate(dist: { dir: string; record: string }): Promise<(PlannedCrate & { found?: FileDigest }) | undefined> {
  try {
    await access(dist.record);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const record = await readCrateRecord(dist.record);
  const path = join(dist.dir, record.file);
  const found = await sha256File(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  return { record, path, ...(found ? { found } : {}) };
}
