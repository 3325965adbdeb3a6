/**
 * Check runs on a commit and the pull request a commit is claimed to belong to: how a trial build
 * of a pull request reports back, and how it checks that the head it was handed is the pull
 * request's. GitHub's limits are checked before sending, so a report that is too long is a clear
 * error here rather than a bare 422 at the end of a long build.
 */
import { coreOf, type GitHubClient } from './client';
import type { ClientCore } from './core';
import { GitHubApiError, wrapError, type GitHubErrorContext } from './errors';

/** `waiting`, `requested` and `pending` are GitHub Actions' own; a client cannot set them. */
export type CheckRunStatus = 'queued' | 'in_progress' | 'completed';
/** `stale` is GitHub's own; a client cannot set it. */
export type CheckRunConclusion = 'action_required' | 'cancelled' | 'failure' | 'neutral' | 'success' | 'skipped' | 'timed_out';

/** GitHub's limit on output.summary and output.text, in characters. */
export const CHECK_OUTPUT_MAX_CHARS = 65535;

export interface CheckRunOutput {
  title: string;
  /** Markdown, at most CHECK_OUTPUT_MAX_CHARS. */
  summary: string;
  /** Markdown, at most CHECK_OUTPUT_MAX_CHARS. */
  text?: string;
}

export interface CreateCheckRunParams {
  owner: string;
  repo: string;
  /** The 40-hex commit the run reports on. */
  headSha: string;
  name: string;
  status: CheckRunStatus;
  /** Required with status `completed`, refused otherwise. */
  conclusion?: CheckRunConclusion;
  output: CheckRunOutput;
}

export interface UpdateCheckRunParams {
  owner: string;
  repo: string;
  id: number;
  status: CheckRunStatus;
  conclusion?: CheckRunConclusion;
  output: CheckRunOutput;
}

export interface CheckRunRef {
  id: number;
  htmlUrl: string;
  /** Set on a run a dry run would have created: it does not exist on GitHub (id 0). */
  planned?: true;
}

export interface PullRequestInfo {
  number: number;
  headSha: string;
  /**
   * `owner/name` of the repository the head branch is in; not the base repository for a fork's
   * pull request, and null when that fork has since been deleted (treat it as a fork's).
   */
  headRepository: string | null;
  baseRepository: string;
  headRef: string;
  baseRef: string;
  state: 'open' | 'closed';
}

const SHA = /^[0-9a-f]{40}$/i;
const STATUSES: readonly string[] = ['queued', 'in_progress', 'completed'];
const CONCLUSIONS: readonly string[] = ['action_required', 'cancelled', 'failure', 'neutral', 'success', 'skipped', 'timed_out'];

/** Every rule GitHub would answer with a 422, checked before anything is sent. */
function checkRequest(context: GitHubErrorContext, params: { status: string; conclusion?: string; output: CheckRunOutput }): void {
  const invalid = (reason: string) => new GitHubApiError(context, { code: 'invalid_check_run', reason });
  if (!STATUSES.includes(params.status)) throw invalid(`status must be one of ${STATUSES.join(', ')}, got ${JSON.stringify(params.status)}`);
  if (params.conclusion !== undefined && !CONCLUSIONS.includes(params.conclusion)) {
    throw invalid(`conclusion must be one of ${CONCLUSIONS.join(', ')}, got ${JSON.stringify(params.conclusion)}`);
  }
  if (params.status === 'completed' && params.conclusion === undefined) throw invalid('a completed check run needs a conclusion');
  // GitHub would silently complete the run: a caller saying in_progress and success has a bug.
  if (params.status !== 'completed' && params.conclusion !== undefined) throw invalid(`a ${params.status} check run cannot have a conclusion (${params.conclusion})`);
  const { title, summary, text } = params.output ?? ({} as CheckRunOutput);
  if (typeof title !== 'string' || !title.trim()) throw invalid('output.title must be a non-empty string');
  if (typeof summary !== 'string') throw invalid('output.summary must be a string');
  for (const [field, value] of [['summary', summary], ['text', text]] as const) {
    if (value !== undefined && typeof value !== 'string') throw invalid(`output.${field} must be a string`);
    if (value !== undefined && value.length > CHECK_OUTPUT_MAX_CHARS) {
      throw invalid(`output.${field} is ${value.length} characters; GitHub allows at most ${CHECK_OUTPUT_MAX_CHARS}`);
    }
  }
}

/** A 403 on a check-run write is nearly always the token, and the fix is in the workflow. */
function explainForbidden<T>(core: ClientCore, context: GitHubErrorContext, send: () => Promise<T>): () => Promise<T> {
  return async () => {
    try {
      return await send();
    } catch (error) {
      const wrapped = wrapError(error, context, core.secrets);
      if (wrapped.status !== 403 || /rate limit/i.test(wrapped.githubMessage ?? '')) throw wrapped;
      throw new GitHubApiError(context, {
        status: 403,
        githubMessage: wrapped.githubMessage ?? 'Forbidden',
        reason:
          `HTTP 403: ${wrapped.githubMessage ?? 'Forbidden'}. Check runs need a GitHub App token with checks: write (a workflow's ` +
          "GITHUB_TOKEN with `permissions: checks: write`); a personal access token cannot write them, and a fork's pull request gets a read-only token",
      });
    }
  };
}

function output(params: { output: CheckRunOutput }) {
  const { title, summary, text } = params.output;
  return text === undefined ? { title, summary } : { title, summary, text };
}

export async function createCheckRun(client: GitHubClient, params: CreateCheckRunParams): Promise<CheckRunRef> {
  const core: ClientCore = coreOf(client);
  const { owner, repo, headSha, name } = params;
  const context = { operation: `createCheckRun ${JSON.stringify(name)}`, owner, repo };
  if (typeof name !== 'string' || !name.trim()) throw new GitHubApiError(context, { code: 'invalid_check_run', reason: 'name must be a non-empty string' });
  if (!SHA.test(headSha)) throw new GitHubApiError(context, { code: 'invalid_check_run', reason: `headSha must be a 40-hex commit sha, got ${JSON.stringify(headSha)}` });
  checkRequest(context, params);
  const created = await core.write(
    context,
    {
      method: 'POST',
      route: `/repos/${owner}/${repo}/check-runs`,
      description: `create check run ${JSON.stringify(name)} (${params.conclusion ?? params.status}) on ${headSha.slice(0, 12)} in ${owner}/${repo}`,
    },
    explainForbidden(core, context, async () => {
      const { data } = await core.octokit.rest.checks.create({
        owner,
        repo,
        name,
        head_sha: headSha.toLowerCase(),
        status: params.status,
        ...(params.conclusion !== undefined ? { conclusion: params.conclusion } : {}),
        output: output(params),
      });
      return { id: data.id, htmlUrl: data.html_url ?? '' };
    }),
  );
  return created ?? { id: 0, htmlUrl: '', planned: true };
}

/** Replaces the run's status, conclusion and output (a re-sent output replaces the old one whole). */
export async function updateCheckRun(client: GitHubClient, params: UpdateCheckRunParams): Promise<void> {
  const core: ClientCore = coreOf(client);
  const { owner, repo, id } = params;
  const context = { operation: `updateCheckRun ${id}`, owner, repo };
  // Id 0 is a dry run's planned run: there is nothing to update, but the write is still recorded.
  if (!Number.isSafeInteger(id) || id < 0 || (id === 0 && !core.dryRun)) {
    throw new GitHubApiError(context, { code: 'invalid_check_run', reason: `id must be a check run's positive integer id, got ${JSON.stringify(id)}` });
  }
  checkRequest(context, params);
  await core.write(
    context,
    {
      method: 'PATCH',
      route: `/repos/${owner}/${repo}/check-runs/${id}`,
      description: `update check run ${id} in ${owner}/${repo} to ${params.conclusion ?? params.status}`,
    },
    explainForbidden(core, context, async () => {
      await core.octokit.rest.checks.update({
        owner,
        repo,
        check_run_id: id,
        status: params.status,
        ...(params.conclusion !== undefined ? { conclusion: params.conclusion } : {}),
        output: output(params),
      });
    }),
  );
}

/** The pull request as GitHub sees it now: a trial compares the head it was handed against this. */
export async function getPullRequest(client: GitHubClient, params: { owner: string; repo: string; number: number }): Promise<PullRequestInfo> {
  const core: ClientCore = coreOf(client);
  const { owner, repo, number } = params;
  const context = { operation: `getPullRequest #${number}`, owner, repo };
  if (!Number.isSafeInteger(number) || number < 1) {
    throw new GitHubApiError(context, { code: 'invalid_pull_request', reason: `number must be a positive integer, got ${JSON.stringify(number)}` });
  }
  const data = await core.read(context, async () => (await core.octokit.rest.pulls.get({ owner, repo, pull_number: number })).data);
  // Read once, checked here: nothing downstream should trust a shape it did not see validated.
  const bad = (what: string) => new GitHubApiError(context, { code: 'unexpected_response', reason: `GitHub's answer has ${what}` });
  if (!SHA.test(data.head?.sha ?? '')) throw bad(`no 40-hex head sha (${JSON.stringify(data.head?.sha)})`);
  if (typeof data.base?.repo?.full_name !== 'string') throw bad('no base repository');
  if (data.state !== 'open' && data.state !== 'closed') throw bad(`an unknown state ${JSON.stringify(data.state)}`);
  // The description says head.repo is always there; GitHub sends null once a fork is deleted.
  const headRepo = (data.head.repo as { full_name?: unknown } | null | undefined)?.full_name;
  return {
    number: data.number,
    headSha: data.head.sha.toLowerCase(),
    headRepository: typeof headRepo === 'string' ? headRepo : null,
    baseRepository: data.base.repo.full_name,
    headRef: data.head.ref,
    baseRef: data.base.ref,
    state: data.state,
  };
}
