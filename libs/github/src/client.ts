/**
 * The project's GitHub client: one configured Octokit plus the release operations the pipeline
 * needs, each converging (safe to re-run) and each honouring dry runs.
 */
import { downloadAsset, listAssets, uploadAssets, verifyReleaseAssets, type AssetFile, type ExpectedAsset, type UploadOptions, type UploadResult } from './assets';
import { createCore, type ClientCore, type GitHubClientOptions, type GitHubOctokit, type PlannedWrite } from './core';
import { sendDeploy, sendDispatch, type DeployParams } from './dispatch';
import { ensureRelease, findRelease, getRelease, listReleases, publishRelease, tagCommit, type EnsureReleaseParams } from './releases';
import { pruneNightlies, type PruneParams, type PruneResult } from './retention';
import type { Release, ReleaseAsset } from './types';

export class GitHubClient {
  private readonly core: ClientCore;

  constructor(opts: GitHubClientOptions = {}) {
    this.core = createCore(opts);
  }

  /** The underlying Octokit, for reads this class does not cover. Writes should go through methods here. */
  get octokit(): GitHubOctokit {
    return this.core.octokit;
  }

  get baseUrl(): string {
    return this.core.baseUrl;
  }

  get dryRun(): boolean {
    return this.core.dryRun;
  }

  /** Writes a dry run skipped, in order. Empty when not a dry run. */
  get plannedWrites(): readonly PlannedWrite[] {
    return this.core.plannedWrites;
  }

  getRelease(owner: string, repo: string, tag: string): Promise<Release | null> {
    return getRelease(this.core, owner, repo, tag);
  }

  /** The published release for the tag, else its draft (seen only with push access), else null. */
  findRelease(owner: string, repo: string, tag: string): Promise<Release | null> {
    return findRelease(this.core, owner, repo, tag);
  }

  /** Make a draft public; a published release is returned unchanged. */
  publishRelease(release: Release): Promise<Release> {
    return publishRelease(this.core, release);
  }

  /** The commit a tag names (annotated tags peeled), or null when there is no such tag. */
  tagCommit(owner: string, repo: string, tag: string): Promise<string | null> {
    return tagCommit(this.core, owner, repo, tag);
  }

  listReleases(owner: string, repo: string): Promise<Release[]> {
    return listReleases(this.core, owner, repo);
  }

  ensureRelease(params: EnsureReleaseParams): Promise<Release> {
    return ensureRelease(this.core, params);
  }

  listAssets(release: Release): Promise<ReleaseAsset[]> {
    return listAssets(this.core, release);
  }

  downloadAsset(release: Release, asset: ReleaseAsset): Promise<Buffer> {
    return downloadAsset(this.core, release, asset);
  }

  uploadAssets(release: Release, files: AssetFile[], options?: UploadOptions): Promise<UploadResult[]> {
    return uploadAssets(this.core, release, files, options);
  }

  verifyReleaseAssets(release: Release, expected: ExpectedAsset[], sha256sumsName?: string, unlisted?: (name: string) => boolean): Promise<string[]> {
    return verifyReleaseAssets(this.core, release, expected, sha256sumsName, unlisted);
  }

  pruneNightlies(params: PruneParams): Promise<PruneResult> {
    return pruneNightlies(this.core, params);
  }

  sendDispatch(owner: string, repo: string, eventType: string, payload?: Record<string, unknown>): Promise<void> {
    return sendDispatch(this.core, owner, repo, eventType, payload);
  }

  sendDeploy(params: DeployParams): Promise<void> {
    return sendDeploy(this.core, params);
  }
}

export function createGitHubClient(opts: GitHubClientOptions = {}): GitHubClient {
  return new GitHubClient(opts);
}

/** The core behind a client, for the operations that take the client as an argument (checks.ts). */
export function coreOf(client: GitHubClient): ClientCore {
  return client['core'];
}
