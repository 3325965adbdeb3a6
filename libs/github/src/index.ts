/**
 * @bllvm/github — the project's only GitHub client. Build it with createGitHubClient(); every
 * GitHub call in the project goes through it, so retries, rate limits, dry runs and token
 * handling live in one place.
 */
export { createGitHubClient, GitHubClient } from './client';
export { SLOWEST_UPLOAD_BYTES_PER_SECOND, type GitHubClientOptions, type PlannedWrite } from './core';
export { GitHubApiError, type GitHubErrorContext } from './errors';
export type { EnsureReleaseParams } from './releases';
export type { AssetFile, ExpectedAsset, UploadAction, UploadOptions, UploadResult } from './assets';
export { NIGHTLY_TAG, isNightly, type PruneParams, type PruneResult } from './retention';
export { MAX_PAYLOAD_KEYS, type DeployParams } from './dispatch';
export type { Release, ReleaseAsset } from './types';
export {
  CHECK_OUTPUT_MAX_CHARS,
  createCheckRun,
  getPullRequest,
  updateCheckRun,
  type CheckRunConclusion,
  type CheckRunOutput,
  type CheckRunRef,
  type CheckRunStatus,
  type CreateCheckRunParams,
  type PullRequestInfo,
  type UpdateCheckRunParams,
} from './checks';
