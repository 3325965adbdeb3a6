import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DevelopSet, developSetPath, readDevelopSet } from '@bllvm/crates';
import { type GitHubClient, type Release, createGitHubClient } from '@bllvm/github';
import { type ReleasePlan, type StagedFile, readReleasePlan } from '@bllvm/release';
import { commitDate, moveLastRelease } from '@bllvm/orchestrator';
import { attestReleaseSet } from './attest';
import { publishReleaseCrates, releaseCrates } from './crates';
import { DeploySignalError, signalDeploy } from './deploy';
import { gateReleaseSet } from './gate';
import { type PublishProgress, type PublishStep, publishSteps, startProgress } from './progress';
import { type PublishRequest, normalizePublishRequest, publishDeadline, type PublishRequestInput } from './request';
import { stageReleaseSet } from './stage';
import { releaseAssets, uploadAssets } from './upload-assets';
import { verifyAssets } from './verify-assets';
import type { PublishExecutorOptions } from './schema';

/** What the executor hands the publish steps: the request's input, normalized by the first step. */
export interface PublishIO extends PublishRequestInput {
  /** Given the progress record once the request is read; it is kept up to date until the publish ends. */
  onProgress?: (progress: PublishProgress) => void;
}

export interface PublishResult {
  tag: string;
  releaseUrl?: string;
  assets: string[];
  /** Writes made, or in a dry run the writes that would have been made. */
  writes: string[];
}

/**
 * Publish the release set recorded by the pins at HEAD: the release plan is assembled once, from
 * dist/ and the pins, and applied; nothing here reads a component's sources. Every step converges:
 * a rerun after any failure finds what the last run did and completes it, without duplicates.
 */
export async function publishReleaseSet(options: PublishExecutorOptions, io: PublishIO): Promise<PublishResult> {
  const req = normalizePublishRequest(options, io);
  const progress = startProgress(req.tag, publishSteps(req));
  io.onProgress?.(progress);
  const at = (step: PublishStep) => void (progress.step = step);
  const orchestratorCommit = await gateReleaseSet(req);
  // The develop set committed with the pins: a nightly uploads the crates it tagged on them.
  const develop = await readDevelopSet(developSetPath(req.root));
  const plan = await readReleasePlan(req.root, { tag: req.tag, orchestratorCommit, createdAt: await commitDate(req.root, orchestratorCommit), develop: develop?.crates });
  // A rebuild: the staged folder is the result, and nothing may reach GitHub.
  if (options.stageOnly) return stageOnly(req, plan, develop);
  const github = (deadline: Date) => createGitHubClient({ dryRun: req.dryRun, log: req.log, baseUrl: req.config.github.apiUrl, token: req.config.github.token, deadline });
  if (req.deployOnly) {
    at('deploy');
    const deadline = publishDeadline(req, 0);
    return resendDeploy(req, github(deadline), plan, progress, deadline);
  }
  if (releaseCrates(plan).length === 0) {
    progress.steps = progress.steps.filter((s) => s !== 'crates');
    if (plan.kind === 'nightly') req.log('crates: packaged and checked; none uploaded (no develop set tagged on these pins: `nightly --develop` makes one)');
  }
  at('stage');
  const staged = await attestReleaseSet(req, plan, await stageReleaseSet(req, plan, develop));
  // Before anything reaches GitHub: the release is drafted only once every crate is out.
  let cratesMs = 0;
  if (progress.steps.includes('crates')) {
    at('crates');
    const began = Date.now();
    await publishReleaseCrates(req, plan);
    cratesMs = Date.now() - began;
  }
  // One deadline for all the GitHub work that follows, known once the bytes to upload are; the
  // crates' uploads are not counted against it (they have their own limits: each request's, the
  // index's visibility wait).
  const deadline = publishDeadline({ ...req, startedAt: req.startedAt + cratesMs }, staged.reduce((n, f) => n + f.size, 0));
  const client = github(deadline);
  // A draft until every asset is verified: a run cut off before then leaves nothing public.
  at('draft');
  const draft = await ensureRelease(req, client, orchestratorCommit);
  at('upload');
  const outcome = await uploadAssets(req, client, draft, staged);
  at('verify');
  await verifyAssets(client, outcome, req.tag, req.dryRun);
  at('public');
  const release = await client.publishRelease(outcome.release);
  if (!release.planned) {
    Object.assign(progress, { published: true, url: release.htmlUrl });
    req.log(`${req.tag} is public`);
  }
  if (req.nightly) at('prune');
  await pruneNightlies(req, client);
  let deployFailure: unknown;
  if (req.deployComponent !== undefined) at('deploy');
  try {
    // Published assets: a draft's download URLs are not the public ones.
    if (await signalDeploy(req, client, plan, release.planned ? releaseAssets(outcome) : release.assets, deadline)) progress.deploy = 'sent';
  } catch (e) {
    deployFailure = e;
    progress.deploy = 'failed';
  }
  // The release is complete either way: last-release moves on, and only the signal is resent.
  at('last-release');
  await markLastRelease(req, plan);
  if (deployFailure) throw new DeploySignalError(req.tag, (deployFailure as Error).message);
  return result(req, client, release, staged);
}

async function stageOnly(req: PublishRequest, plan: ReleasePlan, develop: DevelopSet | undefined): Promise<PublishResult> {
  const staged = await stageReleaseSet({ ...req, dryRun: false }, plan, develop);
  return { tag: req.tag, assets: staged.map((f) => f.name), writes: [] };
}

/** Create the draft release, or reuse the release (or draft) a previous run created, with the staged notes. */
async function ensureRelease(req: PublishRequest, client: GitHubClient, orchestratorCommit: string): Promise<Release> {
  const notes = await readFile(join(req.outDir, 'RELEASE_NOTES.md'), 'utf8');
  return client.ensureRelease({ owner: req.owner, repo: req.repo, tag: req.tag, name: req.tag, body: notes, prerelease: req.nightly, targetCommitish: orchestratorCommit, draft: true });
}

/** Send only the deploy signal, for the tag's published release (a draft is not signalled). */
async function resendDeploy(req: PublishRequest, client: GitHubClient, plan: ReleasePlan, progress: PublishProgress, deadline: Date): Promise<PublishResult> {
  const release = await client.getRelease(req.owner, req.repo, req.tag);
  if (!release) throw new Error(`no published release ${req.tag} in ${req.owner}/${req.repo}: publish it first (the deploy signal names its assets)`);
  Object.assign(progress, { published: true, url: release.htmlUrl });
  try {
    if (await signalDeploy(req, client, plan, release.assets, deadline)) progress.deploy = 'sent';
  } catch (e) {
    progress.deploy = 'failed';
    throw e;
  }
  return { tag: req.tag, releaseUrl: release.htmlUrl, assets: release.assets.map((a) => a.name), writes: client.plannedWrites.map((w) => `${w.method} ${w.route}`) };
}

/** Keep the newest nightlies (this one among them); a release set keeps every release. */
async function pruneNightlies(req: PublishRequest, client: GitHubClient): Promise<void> {
  if (!req.nightly) return;
  const pruned = await client.pruneNightlies({ owner: req.owner, repo: req.repo, keep: req.keepNightlies });
  if (pruned.deleted.length) req.log(`${req.dryRun ? 'would delete' : 'deleted'} old nightlies: ${pruned.deleted.join(', ')}`);
}

/** Last, so `nx affected --base=last-release` moves on only once the release is complete. */
async function markLastRelease(req: PublishRequest, plan: ReleasePlan): Promise<void> {
  const short = plan.orchestratorCommit.slice(0, 7);
  if (req.dryRun) return req.log(`would move last-release to ${short}`);
  await moveLastRelease(req.root, plan.orchestratorCommit, plan.tag, plan.previous, req.pushRemote);
  req.log(`last-release -> ${short}${req.pushRemote ? ` (pushed to ${req.pushRemote})` : ''}`);
}

function result(req: PublishRequest, client: GitHubClient, release: Release, staged: StagedFile[]): PublishResult {
  return {
    tag: req.tag,
    releaseUrl: release.planned ? undefined : release.htmlUrl,
    assets: staged.map((f) => f.name),
    writes: client.plannedWrites.map((w) => `${w.method} ${w.route}`),
  };
}
