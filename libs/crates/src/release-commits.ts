import { ManifestError } from '@bllvm/manifest';
import { readCrateManifest } from './cargo-manifest';
import { updateCargoLock } from './lock-edit';
import { parseVersion } from './semver';
import { updateCrateManifest } from './update-manifest';
import { VersionPlanError } from './version-plan-error';

/** One release asked for: this component's crate at this version (an official X.Y.Z or a develop X.Y.Z-dev.N alike). */
export interface ReleaseRequest {
  component: string;
  version: string;
}

/** A file of the component's repository at its pin: where it is in the tree, how messages name it, and its text. */
export interface PinnedFile {
  path: string;
  file: string;
  text: string;
}

/** What the planner reads of each component at its pin. */
export interface ReleaseSource {
  component: string;
  manifest: PinnedFile;
  /** The Cargo.lock the repository commits for the crate's workspace, when it commits one. */
  lock?: PinnedFile;
}

export interface ChangedFile {
  path: string;
  text: string;
  /** One line per value changed. */
  changed: string[];
}

/** The release commit one component needs: on top of its pin, exactly these files changed. */
export interface PlannedReleaseCommit {
  component: string;
  crate: string;
  /** The version its Cargo.toml says at the pin. */
  from: string;
  version: string;
  tag: string;
  message: string;
  files: ChangedFile[];
  /** What the edit concerns but leaves alone (inherited values), and why. */
  leftAlone: string[];
}

export interface ReleaseCommitPlan {
  commits: PlannedReleaseCommit[];
  /** Components whose Cargo.toml already says the version asked for: nothing to commit. */
  unchanged: { component: string; crate: string; version: string }[];
}

/** The tag of a release: `v<version>`, as the org tags. */
export const releaseTag = (version: string) => `v${version}`;

/**
 * The release commits of a set of (component, version): for each component whose crate's
 * Cargo.toml at its pin says another version, its manifest with the new [package] version and
 * every internal requirement that no longer admits the new upstream version rewritten
 * (updateCrateManifest), and its committed Cargo.lock's own entries following (updateCargoLock).
 * Nothing else. A component already at its version but whose requirements would still change is
 * refused: its tag would name two different trees. Throws a VersionPlanError or a ManifestError. Pure.
 */
export function planReleaseCommits(requests: readonly ReleaseRequest[], sources: readonly ReleaseSource[]): ReleaseCommitPlan {
  const byComponent = new Map(sources.map((s) => [s.component, s]));
  const seen = new Set<string>();
  const read = requests.map((r) => {
    if (seen.has(r.component)) throw new VersionPlanError(`${r.component} is asked for twice`);
    seen.add(r.component);
    if (!parseVersion(r.version)) throw new VersionPlanError(`${r.component}: "${r.version}" is not a version`);
    const source = byComponent.get(r.component);
    if (!source) throw new VersionPlanError(`${r.component}: no Cargo.toml was read at its pin`);
    const manifest = readCrateManifest(source.manifest.text, source.manifest.file);
    if (!manifest.name) throw new ManifestError(source.manifest.file, 'has no [package] name');
    if (manifest.versionFromWorkspace) throw new ManifestError(source.manifest.file, 'version.workspace = true: the crate takes its version from its workspace');
    if (manifest.version === undefined) throw new ManifestError(source.manifest.file, '[package] has no version to change');
    return { request: r, source, crate: manifest.name, from: manifest.version };
  });
  const versions = Object.fromEntries(read.map((x) => [x.crate, x.request.version]));
  const plan: ReleaseCommitPlan = { commits: [], unchanged: [] };
  for (const { request, source, crate, from } of read) {
    const updated = updateCrateManifest(source.manifest.text, source.manifest.file, { version: request.version, dependencies: versions });
    if (from === request.version) {
      if (updated.changed.length)
        throw new VersionPlanError(
          `${request.component}: its Cargo.toml already says ${crate} ${from}, but ${updated.changed.join('; ')}: a release commit would need a new version (plan one with \`version\`)`,
        );
      plan.unchanged.push({ component: request.component, crate, version: from });
      continue;
    }
    const files: ChangedFile[] = [{ path: source.manifest.path, text: updated.text, changed: updated.changed }];
    if (source.lock) {
      const requirements = Object.fromEntries(
        readCrateManifest(updated.text, source.manifest.file)
          .requirements.filter((s) => s.requirement !== undefined && Object.hasOwn(versions, s.crate))
          .map((s) => [s.crate, s.requirement!]),
      );
      const lock = updateCargoLock(source.lock.text, source.lock.file, { own: crate, versions, requirements });
      if (lock.changed.length) files.push({ path: source.lock.path, text: lock.text, changed: lock.changed });
    }
    plan.commits.push({
      component: request.component,
      crate,
      from,
      version: request.version,
      tag: releaseTag(request.version),
      message: `Release ${crate} ${request.version}\n`,
      files,
      leftAlone: updated.leftAlone,
    });
  }
  return plan;
}
