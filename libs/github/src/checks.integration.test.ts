import { startGitHubApi, type GitHubApi } from '@bllvm/github-api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CHECK_OUTPUT_MAX_CHARS,
  createCheckRun,
  createGitHubClient,
  getPullRequest,
  GitHubApiError,
  updateCheckRun,
  type GitHubClient,
  type GitHubClientOptions,
} from './index';

const TOKEN = 'ghp_checkstest_5f3c2a1b0e9d8c7b6a5f4e3d';
const FORK_TOKEN = 'ghs_forkprtoken_0a1b2c3d4e5f60718293';
const OWNER = 'BTCDecoded';
const HEAD = 'ab'.repeat(20);

let api: GitHubApi;
let lines: string[];
let errorsSeen: string[];
let repo: string;
let counter = 0;

beforeAll(async () => {
  api = await startGitHubApi({ token: TOKEN, readOnlyToken: FORK_TOKEN });
});
afterAll(() => api.stop());
beforeEach(() => {
  lines = [];
  errorsSeen = [];
  repo = `bllvm-checks-${++counter}`;
  api.clearLog();
});
afterEach(async () => {
  expect(api.validationErrors()).toEqual([]);
  const serverLog = JSON.stringify(await (await fetch(`${api.url}/_log`)).json());
  for (const text of [...lines, ...errorsSeen, serverLog]) {
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(FORK_TOKEN);
  }
});

function client(extra: GitHubClientOptions = {}): GitHubClient {
  return createGitHubClient({ baseUrl: api.url, token: TOKEN, retryBaseMs: 5, log: (l) => lines.push(l), ...extra });
}

async function failure(promise: Promise<unknown>): Promise<GitHubApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GitHubApiError);
  errorsSeen.push(String((error as Error).message), JSON.stringify(error));
  return error as GitHubApiError;
}

const output = { title: 'Trial of bllvm-consensus: running', summary: 'Building 3 components…' };

describe('check runs', () => {
  it('creates a run on the head commit and completes it with the report', async () => {
    const gh = client();
    const run = await createCheckRun(gh, { owner: OWNER, repo, headSha: HEAD, name: 'trial', status: 'in_progress', output });
    expect(run.id).toBeGreaterThan(0);
    expect(run.htmlUrl).toBe(`${api.url}/${OWNER}/${repo}/runs/${run.id}`);
    expect(run.planned).toBeUndefined();

    const text = '```mermaid\ngraph LR\n  n0 --> n1\n```';
    await updateCheckRun(gh, { owner: OWNER, repo, id: run.id, status: 'completed', conclusion: 'failure', output: { title: 'failure: 1 of 3 failed', summary: '| a |', text } });
    expect(api.state.checkRuns(OWNER, repo)).toMatchObject([
      { id: run.id, name: 'trial', headSha: HEAD, status: 'completed', conclusion: 'failure', output: { title: 'failure: 1 of 3 failed', summary: '| a |', text } },
    ]);
    expect(api.log().map((e) => `${e.method} ${e.operationId} ${e.status} ${e.response}`)).toEqual([
      'POST checks/create 201 valid',
      'PATCH checks/update 200 valid',
    ]);
  });

  it('sends an output of exactly the limit and refuses one character more before sending anything', async () => {
    const gh = client();
    const atLimit = 'x'.repeat(CHECK_OUTPUT_MAX_CHARS);
    const run = await createCheckRun(gh, { owner: OWNER, repo, headSha: HEAD, name: 'trial', status: 'queued', output: { ...output, summary: atLimit, text: atLimit } });
    expect(api.state.checkRuns(OWNER, repo)[0]!.output.text).toHaveLength(CHECK_OUTPUT_MAX_CHARS);
    api.clearLog();

    const long = await failure(createCheckRun(gh, { owner: OWNER, repo, headSha: HEAD, name: 'trial', status: 'queued', output: { ...output, summary: `${atLimit}y` } }));
    expect(long.code).toBe('invalid_check_run');
    expect(long.message).toBe(`createCheckRun "trial" ${OWNER}/${repo} failed: output.summary is 65536 characters; GitHub allows at most 65535`);
    const longText = await failure(updateCheckRun(gh, { owner: OWNER, repo, id: run.id, status: 'in_progress', output: { ...output, text: `${atLimit}y` } }));
    expect(longText.message).toContain('output.text is 65536 characters');
    expect(api.log()).toEqual([]);
  });

  it('refuses requests GitHub would refuse, with the reason, and sends nothing', async () => {
    const gh = client();
    const base = { owner: OWNER, repo, headSha: HEAD, name: 'trial', output };
    const cases: [Promise<unknown>, string][] = [
      [createCheckRun(gh, { ...base, status: 'completed' }), 'a completed check run needs a conclusion'],
      [createCheckRun(gh, { ...base, status: 'in_progress', conclusion: 'success' }), 'a in_progress check run cannot have a conclusion (success)'],
      [createCheckRun(gh, { ...base, headSha: 'main', status: 'queued' }), 'headSha must be a 40-hex commit sha, got "main"'],
      [createCheckRun(gh, { ...base, name: ' ', status: 'queued' }), 'name must be a non-empty string'],
      [createCheckRun(gh, { ...base, status: 'queued', output: { title: '', summary: 's' } }), 'output.title must be a non-empty string'],
      [createCheckRun(gh, { ...base, status: 'completed', conclusion: 'stale' as never }), 'conclusion must be one of'],
      [updateCheckRun(gh, { owner: OWNER, repo, id: 0, status: 'queued', output }), "id must be a check run's positive integer id, got 0"],
    ];
    for (const [promise, reason] of cases) expect((await failure(promise)).message).toContain(reason);
    expect(api.log()).toEqual([]);
  });

  it('reports a missing run as GitHub answers it', async () => {
    const error = await failure(updateCheckRun(client(), { owner: OWNER, repo, id: 987654, status: 'completed', conclusion: 'success', output }));
    expect(error.status).toBe(404);
    expect(error.message).toBe(`updateCheckRun 987654 ${OWNER}/${repo} failed: HTTP 404: Not Found`);
  });

  it("explains a 403 from a read-only token (a fork's pull request) without printing it", async () => {
    const gh = client({ token: FORK_TOKEN });
    const error = await failure(createCheckRun(gh, { owner: OWNER, repo, headSha: HEAD, name: 'trial', status: 'queued', output }));
    expect(error.status).toBe(403);
    expect(error.message).toContain('HTTP 403: Resource not accessible by integration');
    expect(error.message).toContain('permissions: checks: write');
    expect(api.state.checkRuns(OWNER, repo)).toEqual([]);
    // Reads still work with it: the pull request can be checked.
    api.state.insertPullRequest({ owner: OWNER, repo, headSha: HEAD });
    expect((await getPullRequest(gh, { owner: OWNER, repo, number: 1 })).headSha).toBe(HEAD);
  });

  it('in a dry run records the writes, sends none, and returns a planned run', async () => {
    const gh = client({ dryRun: true });
    const run = await createCheckRun(gh, { owner: OWNER, repo, headSha: HEAD, name: 'trial', status: 'in_progress', output });
    expect(run).toEqual({ id: 0, htmlUrl: '', planned: true });
    await updateCheckRun(gh, { owner: OWNER, repo, id: run.id, status: 'completed', conclusion: 'success', output });
    expect(gh.plannedWrites.map((w) => `${w.method} ${w.route}`)).toEqual([`POST /repos/${OWNER}/${repo}/check-runs`, `PATCH /repos/${OWNER}/${repo}/check-runs/0`]);
    expect(api.log().filter((e) => e.mutating)).toEqual([]);
    expect(api.state.checkRuns(OWNER, repo)).toEqual([]);
  });
});

describe('getPullRequest', () => {
  it("reads a same-repository pull request's head and base", async () => {
    api.state.insertPullRequest({ owner: OWNER, repo, number: 12, headSha: HEAD.toUpperCase(), headRef: 'faster-sync' });
    expect(await getPullRequest(client(), { owner: OWNER, repo, number: 12 })).toEqual({
      number: 12,
      headSha: HEAD,
      headRepository: `${OWNER}/${repo}`,
      baseRepository: `${OWNER}/${repo}`,
      headRef: 'faster-sync',
      baseRef: 'main',
      state: 'open',
    });
  });

  it("tells a fork's pull request by its head repository, and sees a newer push and closing", async () => {
    api.state.insertPullRequest({ owner: OWNER, repo, number: 3, headSha: HEAD, headRepository: 'stranger/bllvm-fork' });
    const gh = client();
    const first = await getPullRequest(gh, { owner: OWNER, repo, number: 3 });
    expect(first).toMatchObject({ headRepository: 'stranger/bllvm-fork', baseRepository: `${OWNER}/${repo}` });
    api.state.updatePullRequest(OWNER, repo, 3, { headSha: 'cd'.repeat(20), state: 'closed' });
    expect(await getPullRequest(gh, { owner: OWNER, repo, number: 3 })).toMatchObject({ headSha: 'cd'.repeat(20), state: 'closed' });
  });

  it('says which pull request is missing, and refuses a number that is not one', async () => {
    const missing = await failure(getPullRequest(client(), { owner: OWNER, repo, number: 404 }));
    expect(missing.status).toBe(404);
    expect(missing.message).toBe(`getPullRequest #404 ${OWNER}/${repo} failed: HTTP 404: Not Found`);
    const bad = await failure(getPullRequest(client(), { owner: OWNER, repo, number: 1.5 }));
    expect(bad.code).toBe('invalid_pull_request');
  });
});
