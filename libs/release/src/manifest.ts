import type { BuildRecord, BuildSettings, CrateRecord, ImageRecord } from '@bllvm/manifest';
import { isCommitSha, repositoryProblem } from '@bllvm/manifest';
import { assertPlainFileName } from './checksums';
import { assertComponentName } from './names';
import { requireTag } from './tags';

export interface StagedAsset {
  name: string;
  size: number;
  sha256: string;
}

/** A component as the release manifest records it: what its build record says, and its staged files. */
export interface ReleaseManifestComponent extends Pick<BuildRecord, 'component' | 'repository' | 'branch' | 'commit' | 'version' | 'toolchain' | 'features'> {
  artifacts: StagedAsset[];
  archive: StagedAsset;
  image?: { image: string; imageId: string; archive: StagedAsset };
  /** How it was built, for a rebuilder: profile, target and the build record's settings (when it has them). */
  build?: { profile: string; target?: string; settings: BuildSettings };
  /** The crate the release publishes to the cargo registry, when it is a publishable library. */
  crate?: ReleaseManifestCrate;
}

/**
 * A published crate as the manifest vouches for it: `sha256` is the .crate's, which is what the
 * registry's index lists as its `cksum` and cargo checks every download against.
 */
export interface ReleaseManifestCrate {
  name: string;
  version: string;
  /** `<name>-<version>.crate`, as cargo names the download. */
  file: string;
  size: number;
  sha256: string;
  /** The commit packaged: the component's pinned commit. */
  commit: string;
  /** The tag naming that commit in the component's repository, when it has one. */
  tag?: string;
}

/** How the release's own files were made, beyond the components' builds: what a rebuilder must match. */
export interface Archiver {
  /** The gzip stream is zlib's deflate at this level; another zlib may compress the same tar differently. */
  zlib: string;
  gzipLevel: number;
}

export interface ReleaseManifest {
  schema: 1;
  tag: string;
  kind: 'nightly' | 'release';
  prerelease: boolean;
  orchestratorCommit: string;
  createdAt: string;
  components: ReleaseManifestComponent[];
  archiver?: Archiver;
}

export interface ReleaseManifestInput {
  tag: string;
  orchestratorCommit: string;
  /** Passed in, never read from the clock here, so the same inputs give the same file. */
  createdAt: Date | string;
  archiver?: Archiver;
  /** In graph order; the manifest keeps it. */
  components: readonly {
    buildRecord: BuildRecord;
    archive: StagedAsset;
    image?: { record: ImageRecord; archive: StagedAsset };
    crate?: CrateRecord;
    /** When the crate is a develop set's: the commit its release commit was made on (the build's). */
    crateBase?: string;
  }[];
}

const HEX64 = /^[0-9a-f]{64}$/;

export function buildReleaseManifest(input: ReleaseManifestInput): ReleaseManifest {
  const parsed = requireTag(input.tag);
  if (!isCommitSha(input.orchestratorCommit)) {
    throw new Error(`orchestratorCommit must be a 40-hex commit, got ${JSON.stringify(input.orchestratorCommit)}`);
  }
  // A nightly's name promises which orchestrator commit made it; a manifest saying otherwise would be a lie.
  if (parsed.kind === 'nightly' && !input.orchestratorCommit.startsWith(parsed.sha)) {
    throw new Error(`tag ${input.tag} names orchestrator commit ${parsed.sha}, but orchestratorCommit is ${input.orchestratorCommit}`);
  }
  const createdAt = new Date(input.createdAt);
  if (Number.isNaN(createdAt.getTime())) throw new Error(`createdAt is not a date: ${JSON.stringify(input.createdAt)}`);
  if (input.components.length === 0) throw new Error('a release needs at least one component');

  const problems = releaseSetProblems(input.components.map((c) => c.buildRecord));
  if (problems.length > 0) throw new Error(`inconsistent release set:\n  ${problems.join('\n  ')}`);

  return {
    schema: 1,
    tag: input.tag,
    kind: parsed.kind,
    prerelease: parsed.kind === 'nightly',
    orchestratorCommit: input.orchestratorCommit,
    createdAt: createdAt.toISOString(),
    components: input.components.map(({ buildRecord: r, archive, image, crate, crateBase }) => {
      assertAsset(archive, `${r.component} archive`);
      const entry: ReleaseManifestComponent = {
        component: r.component,
        repository: r.repository,
        branch: r.branch,
        commit: r.commit,
        version: r.version,
        toolchain: r.toolchain,
        features: [...r.features],
        artifacts: r.artifacts.map((a) => ({ name: a.name, size: a.size, sha256: a.sha256 })),
        archive: { ...archive },
      };
      if (image) {
        const problem = imageProblem(r, image.record);
        if (problem) throw new Error(problem);
        assertAsset(image.archive, `${r.component} image archive`);
        entry.image = { image: image.record.image, imageId: image.record.imageId, archive: { ...image.archive } };
      }
      if (r.settings) entry.build = { profile: r.profile, ...(r.target ? { target: r.target } : {}), settings: r.settings };
      if (crate) entry.crate = manifestCrate(r, crate, crateBase);
      return entry;
    }),
    ...(input.archiver ? { archiver: { ...input.archiver } } : {}),
  };
}

/** Stable bytes: two-space indent and a final newline, key order as built above. */
export function serializeReleaseManifest(manifest: ReleaseManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * What makes a set of build records unfit to ship together. The stack is built at one set of
 * commits (architecture invariant 3): a component built against an upstream commit other than
 * the one shipped beside it would put binaries in the release that match none of its sources.
 */
export function releaseSetProblems(records: readonly BuildRecord[]): string[] {
  const problems: string[] = [];
  const commits = new Map<string, string>();
  for (const r of records) {
    try {
      assertComponentName(r.component);
    } catch (e) {
      problems.push((e as Error).message);
      continue;
    }
    if (commits.has(r.component)) problems.push(`${r.component} appears twice`);
    commits.set(r.component, r.commit);
    if (!isCommitSha(r.commit)) problems.push(`${r.component}: commit ${JSON.stringify(r.commit)} is not 40-hex`);
    const repoProblem = repositoryProblem(r.repository);
    if (repoProblem) problems.push(`${r.component}: repository ${repoProblem}`);
    if (!Array.isArray(r.artifacts) || r.artifacts.length === 0) problems.push(`${r.component}: build record lists no artifacts`);
    const names = new Set<string>();
    for (const a of r.artifacts ?? []) {
      try {
        assertPlainFileName(a.name, `${r.component} artifact`);
        assertAsset(a, `${r.component} artifact ${a.name}`);
      } catch (e) {
        problems.push((e as Error).message);
      }
      if (names.has(a.name)) problems.push(`${r.component}: artifact ${a.name} listed twice`);
      names.add(a.name);
    }
  }
  for (const r of records) {
    for (const [upstream, commit] of Object.entries(r.upstream ?? {})) {
      const shipped = commits.get(upstream);
      if (shipped !== undefined && shipped !== commit) {
        problems.push(`${r.component} was built against ${upstream}@${commit.slice(0, 7)}, but this release ships ${upstream}@${shipped.slice(0, 7)}`);
      }
    }
  }
  return problems;
}

/** An image belongs with a build only if it is the same component at the same commit. */
export function imageProblem(build: BuildRecord, image: ImageRecord): string | undefined {
  if (image.component !== build.component) return `image record is for ${image.component}, not ${build.component}`;
  if (image.commit !== build.commit) {
    return `${build.component}: image was built from ${image.commit.slice(0, 7)}, binaries from ${build.commit.slice(0, 7)}`;
  }
  return undefined;
}

/**
 * A crate belongs with a build only if it is the same component packaged at the same commit, or,
 * for a develop set's crate, at the release commit made on the build's commit (`base`).
 */
function manifestCrate(build: BuildRecord, c: CrateRecord, base?: string): ReleaseManifestCrate {
  if (c.component !== build.component) throw new Error(`crate record is for ${c.component}, not ${build.component}`);
  if (c.commit !== build.commit && base !== build.commit)
    throw new Error(`${build.component}: crate ${c.crate} ${c.version} was packaged from ${c.commit}, binaries built from ${build.commit}`);
  assertAsset(c, `${build.component} crate ${c.file}`);
  return { name: c.crate, version: c.version, file: c.file, size: c.size, sha256: c.sha256, commit: c.commit, ...(c.tag ? { tag: c.tag } : {}) };
}

function assertAsset(a: Pick<StagedAsset, 'size' | 'sha256'>, what: string): void {
  if (!Number.isSafeInteger(a.size) || a.size < 0) throw new Error(`${what}: size ${a.size} is not a byte count`);
  if (!HEX64.test(a.sha256)) throw new Error(`${what}: sha256 ${JSON.stringify(a.sha256)} is not 64 lowercase hex`);
}
