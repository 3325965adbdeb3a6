/**
 * @bllvm/github-api — a local stand-in for api.github.com, for tests and the offline demo.
 * Serves the release, asset, git-ref, dispatch, check-run and pull-request operations the project
 * uses, checked both ways against GitHub's official OpenAPI description.
 */
export { startGitHubApi, type GitHubApi, type GitHubApiOptions } from './server';
export type { Fault, FaultAction, FaultMatch } from './faults';
export type { LoggedRequest, ValidationFailure } from './log';
export type {
  AssetState,
  AssetView,
  CheckRunConclusion,
  CheckRunRecord,
  CheckRunStatus,
  DispatchRecord,
  GitHubState,
  PullRequestRecord,
  PullRequestSeed,
  RefRecord,
  ReleaseView,
  StateSnapshot,
} from './state';
export { ensureOpenApiDescription, defaultOpenApiDir, OPENAPI_PACKAGE, OPENAPI_VERSION } from './openapi/description';
export { DESCRIPTION_GAPS, SERVED_OPERATIONS, type OperationId } from './openapi/served';
