import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type BuildRecord, type ImageRecord, pinPath, readComponentGraph, readPin } from '@bllvm/manifest';
import type { OrchestratorConfig } from '@bllvm/contract';
import { type GitHubClient, GitHubApiError, type Release, type ReleaseAsset, createGitHubClient } from '@bllvm/github';
import { type ComponentChangelog, collectChangelog, planRelease, requireTag, stageArtifacts } from '@bllvm/release';
import { ensureMirror, paths } from '@bllvm/sources';
import { commitDate, headCommit, lastRelease, moveLastRelease, pinsAt, uncommittedPins } from '../../lib/orchestrator-repo';
import { execa } from 'execa';
import type { UploadResult } from '@bllvm/github';
import type { PublishExecutorOptions } from './schema';

export interface PublishIO {
  workspaceRoot: string;
  tag: string;
  dryRun: boolean;
  /** Push `last-release` to this remote after publishing. */
  pushRemote?: string;
  /** The deployment's configuration (sources, GitHub API and tokens, switch defaults). */
  config: OrchestratorConfig;
  log: (line: string) => void;
}

export interface PublishResult {
  tag: string;
  releaseUrl?: string;
  assets: string[];
  /** Writes made, or in a dry run the writes that would have been made. */
  writes: string[];
}

/**
 * Publish the release set recorded by the pins at HEAD. Every step converges: a rerun after any
 * failure finds what the last run did and completes it, without duplicates.
 */
export async function publishReleaseSet(options: PublishExecutorOptions, io: PublishIO): Promise<PublishResult> {
  const cfg = io.config;
  const root = io.workspaceRoot;
  const parsed = requireTag(io.tag);
  const keep = options.keepNightlies ?? 14;
  // Nx does not enforce every schema rule for every type; zero would delete the nightly just published.
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`keepNightlies must be a whole number of at least 1, got ${keep}`);
  const nightly = parsed.kind === 'nightly';
  const [owner, repo] = (options.repository ?? cfg.github.repository ?? 'BTCDecoded/bllvm').split('/') as [string, string];

  const dirty = await uncommittedPins(root);
  if (dirty.length) throw new Error(`pins have uncommitted changes (${dirty.join(', ')}); commit them first: a release must be of a recorded set of pins`);
  const orchestratorCommit = await headCommit(root);
  if (nightly && !orchestratorCommit.startsWith(parsed.sha))
    throw new Error(`tag ${io.tag} names orchestrator commit ${parsed.sha}, but HEAD is ${orchestratorCommit.slice(0, 7)}`);

  const graph = await readComponentGraph(root);
  const components: { name: string; buildRecord: BuildRecord; image?: ImageRecord }[] = [];
  const current: Record<string, string> = {};
  const repositories: Record<string, string> = {};
  for (const name of graph.components) {
    const pin = await readPin(pinPath(root, graph.roots[name]!));
    current[name] = pin.commit;
    repositories[name] = pin.repository;
    const buildRecord = JSON.parse(await readFile(join(root, 'dist', name, 'build', 'build.json'), 'utf8')) as BuildRecord;
    let image: ImageRecord | undefined;
    if (graph.tags[name]?.includes('kind:image')) image = JSON.parse(await readFile(join(root, 'dist', name, 'image.json'), 'utf8')) as ImageRecord;
    components.push({ name, buildRecord, image });
  }

  // The changelog reads the mirrors; make sure both ends are there (a fetch only if one is missing).
  // Re-publishing what last-release already marks (a rerun, or --force) compares with the release before it.
  const last = await lastRelease(root);
  const previous = last && last.commit === orchestratorCommit ? last.previous : last;
  const previousPins = previous ? await pinsAt(root, graph, previous.commit) : {};
  for (const name of graph.components) await ensureMirror(cfg, repositories[name]!, { commit: current[name], component: name });
  let changelog: ComponentChangelog[] | undefined;
  try {
    changelog = await collectChangelog({
      mirrorDir: (c) => paths.mirror(cfg, repositories[c]!),
      previous: previousPins,
      current,
      repositories,
    });
  } catch (e) {
    io.log(`warning: changelog not collected: ${(e as Error).message}`);
  }

  const outDir = join(root, 'dist', 'release', io.tag);
  await rm(outDir, { recursive: true, force: true });
  const staged = await stageArtifacts({
    distDir: join(root, 'dist'),
    outDir,
    tag: io.tag,
    components,
    orchestratorCommit,
    createdAt: await commitDate(root, orchestratorCommit),
    changelog,
    previousTag: previous?.tag,
    orchestratorRepository: `${owner}/${repo}`,
  });
  io.log(`staged ${staged.length} files in ${outDir}`);

  if (io.dryRun)
    io.log(
      planRelease({
        tag: io.tag,
        previousTag: previous?.tag,
        components: graph.components.map((c) => ({ component: c, commit: current[c]!, version: components.find((x) => x.name === c)!.buildRecord.version })),
        files: staged.map((f) => f.name),
      }).trimEnd(),
    );

  const client = createGitHubClient({ dryRun: io.dryRun, log: io.log, baseUrl: cfg.github.apiUrl, token: cfg.github.token });
  const notes = await readFile(join(outDir, 'RELEASE_NOTES.md'), 'utf8');
  const release = await client.ensureRelease({ owner, repo, tag: io.tag, name: io.tag, body: notes, prerelease: nightly, targetCommitish: orchestratorCommit });
  const assets = await publishAssets(client, release, staged, join(outDir, 'release-manifest.json'), options.replaceAssets ?? cfg.publish.replaceAssets, io);
  if (nightly) {
    const pruned = await client.pruneNightlies({ owner, repo, keep });
    if (pruned.deleted.length) io.log(`${io.dryRun ? 'would delete' : 'deleted'} old nightlies: ${pruned.deleted.join(', ')}`);
  }
  const deployComponent = options.deployComponent ?? 'governance-app';
  const image = components.find((c) => c.name === deployComponent)?.image;
  if (image) {
    const [deployOwner, deployRepo] = repositories[deployComponent]!.split('/') as [string, string];
    const ref = await imageForDeploy(image, assets, options.imagePush ?? cfg.publish.imagePush, io);
    // GITHUB_TOKEN of an Actions run cannot dispatch to another repository: a separate token may be given.
    const deployClient = cfg.github.deployToken
      ? createGitHubClient({ dryRun: io.dryRun, log: io.log, baseUrl: cfg.github.apiUrl, token: cfg.github.deployToken })
      : client;
    await deployClient.sendDeploy({ owner: deployOwner, repo: deployRepo, tag: io.tag, image: ref });
  }
  if (!io.dryRun) {
    await moveLastRelease(root, orchestratorCommit, io.tag, previous, io.pushRemote);
    io.log(`last-release -> ${orchestratorCommit.slice(0, 7)}${io.pushRemote ? ` (pushed to ${io.pushRemote})` : ''}`);
  } else io.log(`would move last-release to ${orchestratorCommit.slice(0, 7)}`);
  return {
    tag: io.tag,
    releaseUrl: release.planned ? undefined : release.htmlUrl,
    assets: staged.map((f) => f.name),
    writes: client.plannedWrites.map((w) => `${w.method} ${w.route}`),
  };
}

/**
 * What the deploy signal names must exist (the old pipeline told governance-app to pull an image
 * it never pushed). With imagePush (default BLLVM_IMAGE_PUSH=1) the saved image is loaded and pushed to its registry
 * and the signal names that reference; otherwise it names the image archive on the release.
 */
async function imageForDeploy(image: ImageRecord, assets: ReleaseAsset[], push: boolean, io: PublishIO): Promise<string> {
  if (push) {
    if (io.dryRun) {
      io.log(`would push ${image.image}`);
      return image.image;
    }
    const archive = join(io.workspaceRoot, 'dist', image.component, image.archive.name);
    for (const args of [['load', '--input', archive], ['push', image.image]]) {
      const r = await execa('docker', args, { reject: false, stdin: 'ignore' });
      if (r.exitCode !== 0) throw new Error(`docker ${args[0]} ${image.image} failed: ${String(r.stderr).trim()}`);
    }
    io.log(`pushed ${image.image}`);
    return image.image;
  }
  const asset = assets.find((a) => a.name.endsWith('.oci.tar'));
  return asset?.browserDownloadUrl ?? image.image;
}

/**
 * Upload the staged files and verify the release against them; or, where another run has
 * published this very set (same orchestrator commit, same pins) with bytes that differ only in
 * build noise, accept that release once it is complete. Returns the release's assets.
 */
async function publishAssets(
  client: GitHubClient,
  release: Release,
  staged: { name: string; path: string; size: number; sha256: string }[],
  localManifest: string,
  replace: boolean,
  io: PublishIO,
): Promise<ReleaseAsset[]> {
  const names = staged.map((f) => f.name);
  const accept = async (theirs: Release, expected: { name: string; size: number; sha256: string }[]) => {
    io.log(`${io.tag} is complete with the same pins (published by another run); keeping its assets`);
    const problems = await client.verifyReleaseAssets(theirs, expected);
    if (problems.length) throw new Error(`release ${io.tag} is inconsistent:\n  ${problems.join('\n  ')}`);
    return theirs.assets;
  };
  const complete = await completeReleaseOfSamePins(client, release, names, localManifest);
  if (complete) return accept(release, complete);
  let uploads: UploadResult[];
  try {
    uploads = await client.uploadAssets(release, staged.map((f) => ({ name: f.name, path: f.path })), { replace });
  } catch (e) {
    // Two runs publishing one tag at once (two nightlies started together): wait for the other.
    if (!(e instanceof GitHubApiError && e.code === 'asset_conflict')) throw e;
    for (let waited = 0; waited < 180_000; waited += 2_000) {
      await new Promise((r) => setTimeout(r, 2_000));
      const theirs = await client.getRelease(release.owner, release.repo, release.tag);
      const done = theirs && (await completeReleaseOfSamePins(client, theirs, names, localManifest));
      if (theirs && done) return accept(theirs, done);
    }
    throw e;
  }
  for (const u of uploads) if (u.action !== 'kept') io.log(`${io.dryRun ? 'would upload' : 'uploaded'} ${u.name} (${u.action})`);
  if (!io.dryRun) {
    const problems = await client.verifyReleaseAssets(release, staged.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256 })));
    if (problems.length) throw new Error(`release ${io.tag} does not match what was staged:\n  ${problems.join('\n  ')}`);
  }
  return [...uploads.flatMap((u) => (u.asset ? [u.asset] : [])), ...release.assets];
}

interface ManifestPins {
  orchestratorCommit?: string;
  components?: { component: string; commit: string }[];
}

/**
 * When the release already holds every asset, uploaded, and its manifest records the same
 * orchestrator commit and component commits as ours, return what it holds (to verify it).
 */
async function completeReleaseOfSamePins(client: GitHubClient, release: Release, names: string[], localManifest: string) {
  if (release.planned) return undefined;
  const byName = new Map(release.assets.map((a) => [a.name, a]));
  if (!names.every((n) => byName.get(n)?.state === 'uploaded' && byName.get(n)?.sha256)) return undefined;
  const remote = JSON.parse((await client.downloadAsset(release, byName.get('release-manifest.json')!)).toString('utf8')) as ManifestPins;
  const local = JSON.parse(await readFile(localManifest, 'utf8')) as ManifestPins;
  const key = (m: ManifestPins) => JSON.stringify([m.orchestratorCommit, (m.components ?? []).map((c) => [c.component, c.commit])]);
  if (key(remote) !== key(local)) return undefined;
  return names.map((n) => ({ name: n, size: byName.get(n)!.size, sha256: byName.get(n)!.sha256! }));
}
