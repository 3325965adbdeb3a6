import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type GitHubClient, type Release, createGitHubClient } from '@bllvm/github';
import type { StagedFile } from '@bllvm/release';
import type { OrchestratorConfig } from '@bllvm/contract';
import { type ReleasePoint, moveLastRelease } from '@bllvm/orchestrator';
import { signalDeploy } from './deploy';
import { gateReleaseSet } from './gate';
import { readHistory } from './history';
import { readReleaseSet } from './release-set';
import { type PublishRequest, normalizePublishRequest } from './request';
import { stageReleaseSet } from './stage';
import { releaseAssets, uploadAssets } from './upload-assets';
import { verifyAssets } from './verify-assets';
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
  const req = normalizePublishRequest(options, io);
  const orchestratorCommit = await gateReleaseSet(req);
  const set = await readReleaseSet(req, orchestratorCommit);
  const history = await readHistory(req, set);
  const staged = await stageReleaseSet(req, set, history);
  const client = createGitHubClient({ dryRun: req.dryRun, log: req.log, baseUrl: req.config.github.apiUrl, token: req.config.github.token });
  const release = await ensureRelease(req, client, orchestratorCommit);
  const outcome = await uploadAssets(req, client, release, staged);
  await verifyAssets(client, outcome, req.tag, req.dryRun);
  await pruneNightlies(req, client);
  await signalDeploy(req, client, set, releaseAssets(outcome));
  await markLastRelease(req, orchestratorCommit, history.previous);
  return result(req, client, release, staged);
}

/** Create the release, or reuse the one a previous run created, with the staged notes. */
async function ensureRelease(req: PublishRequest, client: GitHubClient, orchestratorCommit: string): Promise<Release> {
  const notes = await readFile(join(req.outDir, 'RELEASE_NOTES.md'), 'utf8');
  return client.ensureRelease({ owner: req.owner, repo: req.repo, tag: req.tag, name: req.tag, body: notes, prerelease: req.nightly, targetCommitish: orchestratorCommit });
}

/** Keep the newest nightlies (this one among them); a release set keeps every release. */
async function pruneNightlies(req: PublishRequest, client: GitHubClient): Promise<void> {
  if (!req.nightly) return;
  const pruned = await client.pruneNightlies({ owner: req.owner, repo: req.repo, keep: req.keepNightlies });
  if (pruned.deleted.length) req.log(`${req.dryRun ? 'would delete' : 'deleted'} old nightlies: ${pruned.deleted.join(', ')}`);
}

/** Last, so `nx affected --base=last-release` moves on only once the release is complete. */
async function markLastRelease(req: PublishRequest, orchestratorCommit: string, previous: ReleasePoint | undefined): Promise<void> {
  const short = orchestratorCommit.slice(0, 7);
  if (req.dryRun) return req.log(`would move last-release to ${short}`);
  await moveLastRelease(req.root, orchestratorCommit, req.tag, previous, req.pushRemote);
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
