import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubApi, type GitHubApi } from './index';

const TOKEN = 'ghp_checkstest_0123456789abcdef';
const READ_ONLY = 'ghs_forktoken_0123456789abcdef';
const HEAD = 'c'.repeat(40);
let api: GitHubApi;
const loud: string[] = [];

beforeAll(async () => {
  api = await startGitHubApi({ token: TOKEN, readOnlyToken: READ_ONLY, logger: (line) => loud.push(line) });
});
afterAll(() => api.stop());
afterEach(() => {
  // Every response the tests triggered must have matched GitHub's description.
  expect(api.validationErrors()).toEqual([]);
  expect(loud).toEqual([]);
});

async function call(method: string, path: string, body?: unknown, auth: boolean | string = true) {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { ...(auth ? { authorization: `token ${auth === true ? TOKEN : auth}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

const summary = (length: number) => 'x'.repeat(length);

describe('check runs', () => {
  it('creates, updates, gets and lists a run with the lifecycle GitHub applies', async () => {
    const created = await call('POST', '/repos/o/comp/check-runs', {
      name: 'trial',
      head_sha: HEAD.toUpperCase(),
      status: 'in_progress',
      output: { title: 'Trial running', summary: 'building' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'trial', head_sha: HEAD, status: 'in_progress', conclusion: null, completed_at: null });
    expect(created.json.output).toMatchObject({ title: 'Trial running', summary: 'building', text: null, annotations_count: 0 });
    expect(created.json.html_url).toBe(`${api.url}/o/comp/runs/${created.json.id}`);
    expect(created.json.started_at).toMatch(/Z$/);
    const id = created.json.id as number;

    // A conclusion completes the run even when the status is not given.
    const done = await call('PATCH', `/repos/o/comp/check-runs/${id}`, { conclusion: 'failure', output: { summary: '2 failed', text: 'graph' } });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'Trial running', summary: '2 failed', text: 'graph' } });
    expect(done.json.completed_at).toMatch(/Z$/);

    expect((await call('GET', `/repos/o/comp/check-runs/${id}`)).json).toMatchObject({ id, conclusion: 'failure' });
    expect((await call('GET', `/repos/o/other/check-runs/${id}`)).status).toBe(404);
    expect((await call('PATCH', '/repos/o/comp/check-runs/99999', { conclusion: 'success' })).status).toBe(404);

    const list = await call('GET', `/repos/o/comp/commits/${HEAD}/check-runs`);
    expect(list.status).toBe(200);
    expect(list.json.total_count).toBe(1);
    expect(list.json.check_runs.map((r: { id: number }) => r.id)).toEqual([id]);

    expect(api.state.checkRuns('o', 'comp')).toMatchObject([
      { id, name: 'trial', headSha: HEAD, status: 'completed', conclusion: 'failure', output: { summary: '2 failed', text: 'graph' } },
    ]);
    const snapshot = (await (await fetch(`${api.url}/_state`)).json()) as { checkRuns: { id: number }[] };
    expect(snapshot.checkRuns.map((r) => r.id)).toContain(id);
  });

  it("refuses what GitHub refuses: a completed run without conclusion, stale, a bad sha, output over 65535 characters", async () => {
    const before = api.state.checkRuns('o', 'refuse').length;
    const noConclusion = await call('POST', '/repos/o/refuse/check-runs', { name: 't', head_sha: HEAD, status: 'completed' });
    expect(noConclusion.status).toBe(422);
    expect(noConclusion.json.message).toContain('conclusion');
    expect((await call('POST', '/repos/o/refuse/check-runs', { name: 't', head_sha: HEAD, conclusion: 'stale' })).status).toBe(422);
    expect((await call('POST', '/repos/o/refuse/check-runs', { name: 't', head_sha: 'main' })).json.message).toBe('No commit found for SHA: main');
    expect((await call('POST', '/repos/o/refuse/check-runs', { name: 't', head_sha: HEAD, conclusion: 'nope' })).status).toBe(422);
    expect((await call('POST', '/repos/o/refuse/check-runs', { head_sha: HEAD })).status).toBe(422);

    const tooLong = await call('POST', '/repos/o/refuse/check-runs', { name: 't', head_sha: HEAD, output: { title: 'x', summary: summary(65536) } });
    expect(tooLong.status).toBe(422);
    expect(tooLong.json.message).toContain('output/summary');
    const textTooLong = await call('POST', '/repos/o/refuse/check-runs', { name: 't', head_sha: HEAD, output: { title: 'x', summary: 's', text: summary(65536) } });
    expect(textTooLong.status).toBe(422);
    expect(api.state.checkRuns('o', 'refuse')).toHaveLength(before);

    // Exactly at the limit is accepted, and the same limit holds on update.
    const atLimit = await call('POST', '/repos/o/refuse/check-runs', { name: 't', head_sha: HEAD, output: { title: 'x', summary: summary(65535) } });
    expect(atLimit.status).toBe(201);
    const id = atLimit.json.id as number;
    expect((await call('PATCH', `/repos/o/refuse/check-runs/${id}`, { output: { summary: summary(65536) } })).status).toBe(422);
    expect((await call('PATCH', `/repos/o/refuse/check-runs/${id}`, { status: 'completed' })).status).toBe(422);
    expect((await call('PATCH', `/repos/o/refuse/check-runs/${id}`, { status: 'waiting' })).status).toBe(422);
    expect(api.state.checkRuns('o', 'refuse')[0]).toMatchObject({ status: 'queued', conclusion: null });
    expect(api.state.checkRuns('o', 'refuse')[0]!.output.summary).toHaveLength(65535);
  });

  it("refuses writes with a read-only token (a fork's pull request) but serves its reads", async () => {
    const denied = await call('POST', '/repos/o/ro/check-runs', { name: 't', head_sha: HEAD }, READ_ONLY);
    expect(denied.status).toBe(403);
    expect(denied.json.message).toBe('Resource not accessible by integration');
    expect(api.state.checkRuns('o', 'ro')).toEqual([]);
    expect((await call('GET', `/repos/o/ro/commits/${HEAD}/check-runs`, undefined, READ_ONLY)).status).toBe(200);
    expect((await call('GET', `/repos/o/ro/commits/${HEAD}/check-runs`, undefined, 'ghs_other')).status).toBe(401);
  });

  it('lists the newest run per name by default, all with filter=all, by status and name, paginated', async () => {
    const sha = 'd'.repeat(40);
    const make = async (name: string, extra: object = {}) =>
      (await call('POST', '/repos/o/list/check-runs', { name, head_sha: sha, ...extra })).json.id as number;
    const first = await make('trial', { conclusion: 'cancelled' });
    const second = await make('trial', { status: 'in_progress' });
    const other = await make('api-gate', { conclusion: 'success' });
    await make('elsewhere', {}); // same sha, other repository below must not see it
    await call('POST', '/repos/o/list-other/check-runs', { name: 'trial', head_sha: sha });

    const latest = await call('GET', `/repos/o/list/commits/${sha}/check-runs`);
    expect(latest.json.check_runs.map((r: { id: number }) => r.id)).toEqual(expect.arrayContaining([second, other]));
    expect(latest.json.check_runs.map((r: { id: number }) => r.id)).not.toContain(first);
    const all = await call('GET', `/repos/o/list/commits/${sha}/check-runs?filter=all&check_name=trial`);
    expect(all.json).toMatchObject({ total_count: 2 });
    expect(all.json.check_runs.map((r: { id: number }) => r.id)).toEqual([second, first]);
    const completed = await call('GET', `/repos/o/list/commits/${sha}/check-runs?filter=all&status=completed`);
    expect(completed.json.check_runs.map((r: { id: number }) => r.id).sort()).toEqual([first, other].sort());

    const page = await call('GET', `/repos/o/list/commits/${sha}/check-runs?filter=all&per_page=1&page=2`);
    expect(page.json.total_count).toBe(4);
    expect(page.json.check_runs).toHaveLength(1);
    expect(page.headers.get('link')).toContain('rel="next"');

    // A branch resolves through its ref; an unknown ref is GitHub's 422.
    api.state.setRef('o', 'list', 'refs/heads/topic', sha);
    expect((await call('GET', '/repos/o/list/commits/topic/check-runs')).json.total_count).toBe(3);
    expect((await call('GET', '/repos/o/list/commits/heads%2Ftopic/check-runs')).json.total_count).toBe(3);
    expect((await call('GET', '/repos/o/list/commits/nowhere/check-runs')).status).toBe(422);
  });
});

describe('pull requests', () => {
  it('are seeded through the control API and served with head and base repositories', async () => {
    const seeded = await call('POST', '/_pulls', { owner: 'o', repo: 'pr', number: 7, headSha: HEAD, headRef: 'feature', title: 'Faster' }, false);
    expect(seeded.status).toBe(201);
    const pull = await call('GET', '/repos/o/pr/pulls/7');
    expect(pull.status).toBe(200);
    expect(pull.json).toMatchObject({
      number: 7,
      state: 'open',
      title: 'Faster',
      head: { sha: HEAD, ref: 'feature', repo: { full_name: 'o/pr', fork: false } },
      base: { ref: 'main', repo: { full_name: 'o/pr', fork: false } },
    });

    // A run on the head of a same-repository pull request names it, as GitHub does.
    const run = await call('POST', '/repos/o/pr/check-runs', { name: 'trial', head_sha: HEAD });
    expect(run.json.pull_requests).toMatchObject([{ number: 7, head: { sha: HEAD, ref: 'feature' } }]);

    const pushed = await call('PATCH', '/_pulls/o/pr/7', { headSha: 'e'.repeat(40) }, false);
    expect(pushed.status).toBe(200);
    expect((await call('GET', '/repos/o/pr/pulls/7')).json.head.sha).toBe('e'.repeat(40));
    await call('PATCH', '/_pulls/o/pr/7', { state: 'closed' }, false);
    expect((await call('GET', '/repos/o/pr/pulls/7')).json).toMatchObject({ state: 'closed', closed_at: expect.stringMatching(/Z$/) });

    const missing = await call('GET', '/repos/o/pr/pulls/8');
    expect(missing.status).toBe(404);
    expect((await call('GET', '/repos/o/pr/pulls/7', undefined, false)).status).toBe(401);
  });

  it("serve a fork's pull request with the fork as head repository, left out of check runs' pull_requests", async () => {
    const sha = 'f'.repeat(40);
    api.state.insertPullRequest({ owner: 'o', repo: 'fork', headSha: sha, headRepository: 'stranger/fork' });
    const pull = (await call('GET', '/repos/o/fork/pulls/1')).json;
    expect(pull.head.repo).toMatchObject({ full_name: 'stranger/fork', fork: true, owner: { login: 'stranger' } });
    expect(pull.base.repo.full_name).toBe('o/fork');
    expect(pull.head.label).toBe(`stranger:${pull.head.ref}`);
    const run = await call('POST', '/repos/o/fork/check-runs', { name: 'trial', head_sha: sha });
    expect(run.json.pull_requests).toEqual([]);
    expect(api.state.pullRequests('o', 'fork')).toMatchObject([{ number: 1, headRepository: 'stranger/fork' }]);
  });

  it('refuses a bad seed with a one-line reason and keeps nothing of it', async () => {
    const cases: [unknown, RegExp][] = [
      [{ owner: 'o', repo: 'bad', headSha: 'abc' }, /headSha must be a 40-hex commit sha/],
      [{ owner: 'o', repo: 'bad' }, /headSha must be a non-empty string/],
      [{ owner: 'o', repo: 'bad', headSha: HEAD, headRepository: 'noslash' }, /headRepository must be owner\/name/],
      [{ owner: 'o', repo: 'bad', headSha: HEAD, state: 'merged' }, /state must be open or closed/],
      [{ owner: 'o', repo: 'bad', headSha: HEAD, head_sha: HEAD }, /unknown field\(s\) head_sha/],
      [[1], /expected a JSON object/],
    ];
    for (const [body, message] of cases) {
      const res = await call('POST', '/_pulls', body, false);
      expect(res.status).toBe(400);
      expect(res.json.message).toMatch(message);
    }
    expect((await call('POST', '/_pulls', '{oops', false)).status).toBe(400);
    expect(api.state.pullRequests('o', 'bad')).toEqual([]);

    await call('POST', '/_pulls', { owner: 'o', repo: 'bad', number: 3, headSha: HEAD }, false);
    expect((await call('POST', '/_pulls', { owner: 'o', repo: 'bad', number: 3, headSha: HEAD }, false)).json.message).toMatch(/already exists/);
    expect((await call('PATCH', '/_pulls/o/bad/4', { state: 'closed' }, false)).json.message).toMatch(/no pull request o\/bad#4/);
    expect((await call('PATCH', '/_pulls/o/bad/3', { headSha: 'zz' }, false)).status).toBe(400);
    expect(api.state.pullRequests('o', 'bad')).toMatchObject([{ number: 3, headSha: HEAD, state: 'open' }]);
  });
});
