/**
 * Which crates a stack release shipped, and the release before it, read from the released commit
 * of this repository: for an official release what versions.toml said there (each library
 * component's version, its crate's name from its pin there: pin.toml `crate`, else its Cargo.toml
 * at that pin); for a nightly the develop set committed there (each crate at its X.Y.Z-dev.N, tagged).
 */
import { type CrateVersion, DEVELOP_SET_FILE, parseDevelopSetText, readCrateManifest } from '@bllvm/crates';
import { type Stack, VERSIONS_FILE, parsePin, parseVersions, toComponent } from '@bllvm/manifest';
import { requireTag } from '@bllvm/release';
import { type ReleasePoint, lastRelease, pinFilesAt, showFile } from '@bllvm/orchestrator';
import { git } from '@bllvm/sources';
import type { OrchestratorConfig } from '@bllvm/contract';
import { CommandError } from '../command';
import { readPinnedManifests } from '../version/pinned-manifests';

export interface ReleasePoints {
  /** The commit of this repository the release published. */
  commit: string;
  /** The release before it, when `last-release` recorded one: the last good set. */
  previous?: ReleasePoint;
  /** Whether `last-release` names this release (only then is versions.toml put back). */
  isLast: boolean;
}

export interface ReleasedCrate extends CrateVersion {
  /** owner/name of the component's repository, and the tag versions.toml gave the version. */
  repository: string;
  gitTag: string;
}

/** The commit `tag` released: from `last-release` when it names the tag, else the tag itself in this repository. */
export async function releasePoints(root: string, tag: string): Promise<ReleasePoints> {
  const last = await lastRelease(root);
  if (last?.tag === tag) return { commit: last.commit, previous: last.previous, isLast: true };
  const r = await git(['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`], { cwd: root });
  if (!r.ok) throw new CommandError(`no release ${tag} here: last-release names ${last?.tag ?? 'no release'} and there is no tag ${tag} (fetch the tags?)`);
  return { commit: r.stdout, isLast: false };
}

/** The crates release `tag` shipped from `commit`: a nightly's develop set, an official release's versions.toml set. */
export async function releasedCrates(root: string, config: OrchestratorConfig, stack: Stack, point: { tag?: string; commit: string }): Promise<ReleasedCrate[]> {
  const nightly = point.tag !== undefined && requireTag(point.tag).kind === 'nightly';
  return nightly ? developCratesAt(root, stack, point.commit) : cratesAt(root, config, stack, point.commit);
}

/**
 * The develop set committed at `commit`, in chain order: the crates its nightly uploaded (each
 * tagged on its pin). A nightly without one uploaded no crate: the list is empty.
 */
export async function developCratesAt(root: string, stack: Stack, commit: string): Promise<ReleasedCrate[]> {
  const where = `${commit.slice(0, 7)}:${DEVELOP_SET_FILE}`;
  const text = await showFile(root, commit, DEVELOP_SET_FILE);
  if (text === undefined) return [];
  const set = parseDevelopSetText(text, where);
  const repository = new Map(stack.components.map((c) => [c.id, c.repository]));
  return set.crates.flatMap((c) => {
    if (!c.tag) return [];
    const repo = repository.get(c.component);
    if (!repo) throw new CommandError(`${where} lists ${c.component}, which is not a component of this workspace`);
    return [{ component: c.component, crate: c.crate, version: c.version, repository: repo, gitTag: c.tag }];
  });
}

/** The library crates versions.toml names at `commit`, in chain order (dependencies first). */
export async function cratesAt(root: string, config: OrchestratorConfig, stack: Stack, commit: string): Promise<ReleasedCrate[]> {
  const where = `${commit.slice(0, 7)}:${VERSIONS_FILE}`;
  const text = await showFile(root, commit, VERSIONS_FILE);
  if (text === undefined) throw new CommandError(`${where}: the released commit has no ${VERSIONS_FILE}`);
  const versions = parseVersions(text, where, { components: stack.components });
  const pinFiles = await pinFilesAt(root, stack.graph, commit);
  const released = stack.components
    .filter((c) => c.kinds.includes('library') && versions.entries[c.id] && pinFiles[c.id] !== undefined)
    .map((c) => toComponent(root, stack.graph, c.id, parsePin(pinFiles[c.id]!, `${commit.slice(0, 7)}:${c.projectRoot}/pin.toml`)));
  const unnamed = released.filter((c) => c.crate.name === undefined);
  const manifests = unnamed.length ? await readPinnedManifests(config, unnamed) : {};
  return released.map((c) => {
    const entry = versions.entries[c.id]!;
    const name = c.crate.name ?? readCrateManifest(manifests[c.id]!.text, manifests[c.id]!.file).name;
    if (!name) throw new CommandError(`${c.id}: ${manifests[c.id]!.file} has no [package] name`);
    return { component: c.id, crate: name, version: entry.version, repository: c.repository, gitTag: entry.gitTag };
  });
}
