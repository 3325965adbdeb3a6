import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ExpectedAsset, type GitHubClient, GitHubApiError, type Release, type ReleaseAsset, type UploadResult } from '@bllvm/github';
import type { StagedFile } from '@bllvm/release';
import type { PublishRequest } from './request';
import { type ManifestPins, heldAssets, samePins } from './same-set';

/** What the release holds after the upload step, and what it must be verified against. */
export type AssetsOutcome =
  /** Another run published this very set (same orchestrator commit, same pins): its assets are kept. */
  | { kind: 'theirs'; release: Release; expected: ExpectedAsset[] }
  /** The staged files were uploaded (or, in a dry run, would have been). */
  | { kind: 'ours'; release: Release; staged: StagedFile[]; uploads: UploadResult[] };

/**
 * Upload the staged files; or, where another run has published this very set with bytes that
 * differ only in build noise, accept that release once it is complete.
 */
export async function uploadAssets(req: PublishRequest, client: GitHubClient, release: Release, staged: StagedFile[]): Promise<AssetsOutcome> {
  const names = staged.map((f) => f.name);
  const localManifest = join(req.outDir, 'release-manifest.json');
  const accept = (theirs: Release, expected: ExpectedAsset[]): AssetsOutcome => {
    req.log(`${req.tag} is complete with the same pins (published by another run); keeping its assets`);
    return { kind: 'theirs', release: theirs, expected };
  };
  // A repair puts our bytes in place, so it never settles for what the release holds.
  const complete = !req.replaceAssets && (await completeReleaseOfSamePins(client, release, names, localManifest));
  if (complete) return accept(release, complete);
  let uploads: UploadResult[];
  try {
    uploads = await client.uploadAssets(release, staged.map((f) => ({ name: f.name, path: f.path })), { replace: req.replaceAssets, exact: true });
  } catch (e) {
    // Two runs publishing one tag at once (two nightlies started together): wait for the other.
    if (!(e instanceof GitHubApiError && e.code === 'asset_conflict')) throw e;
    for (let waited = 0; waited < 180_000; waited += 2_000) {
      await new Promise((r) => setTimeout(r, 2_000));
      const theirs = await client.findRelease(release.owner, release.repo, release.tag);
      const done = theirs && (await completeReleaseOfSamePins(client, theirs, names, localManifest));
      if (theirs && done) return accept(theirs, done);
    }
    throw e;
  }
  for (const u of uploads) if (u.action !== 'kept') req.log(`${req.dryRun ? 'would upload' : 'uploaded'} ${u.name} (${u.action})`);
  return { kind: 'ours', release, staged, uploads };
}

/** The release's assets after the upload step (what the deploy signal may name). Pure. */
export function releaseAssets(outcome: AssetsOutcome): ReleaseAsset[] {
  if (outcome.kind === 'theirs') return outcome.release.assets;
  return [...outcome.uploads.flatMap((u) => (u.asset ? [u.asset] : [])), ...outcome.release.assets];
}

/**
 * When the release already holds every asset, uploaded, and its manifest records the same
 * orchestrator commit and component commits as ours, return what it holds (to verify it).
 */
async function completeReleaseOfSamePins(client: GitHubClient, release: Release, names: string[], localManifest: string) {
  const held = heldAssets(release, names);
  if (!held) return undefined;
  const manifest = release.assets.find((a) => a.name === 'release-manifest.json')!;
  const remote = JSON.parse((await client.downloadAsset(release, manifest)).toString('utf8')) as ManifestPins;
  const local = JSON.parse(await readFile(localManifest, 'utf8')) as ManifestPins;
  return samePins(remote, local) ? held : undefined;
}
