import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubApi, type GitHubApi } from './index';

const TOKEN = 'ghp_servertest_0123456789abcdef';
let api: GitHubApi;
const loud: string[] = [];

beforeAll(async () => {
  api = await startGitHubApi({ token: TOKEN, logger: (line) => loud.push(line) });
});
afterAll(() => api.stop());
afterEach(() => {
  // Every response the tests triggered must have matched GitHub's description.
  expect(api.validationErrors()).toEqual([]);
  expect(loud).toEqual([]);
  api.clearFaults();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `token ${TOKEN}`, ...(body !== undefined && !(body instanceof Uint8Array) ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body === undefined ? {} : { body: body instanceof Uint8Array ? body : typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

describe('github-api server', () => {
  it('binds to 127.0.0.1 only', () => {
    expect(new URL(api.url).hostname).toBe('127.0.0.1');
  });

  it('rejects a create-release body that breaks the description, like GitHub', async () => {
    const bad = await call('POST', '/repos/o/schema/releases', { tag_name: 42 });
    expect(bad.status).toBe(422);
    expect(bad.json.message).toMatch(/^Invalid request\.\n\nFor 'tag_name', must be string\./);
    const missing = await call('POST', '/repos/o/schema/releases', { name: 'no tag' });
    expect(missing.status).toBe(422);
    expect(missing.json.message).toContain("must have required property 'tag_name'");
    const garbled = await call('POST', '/repos/o/schema/releases', '{not json');
    expect(garbled.status).toBe(400);
    expect(garbled.json.message).toBe('Problems parsing JSON');
    const dispatch = await call('POST', '/repos/o/schema/dispatches', {
      event_type: 'x',
      client_payload: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i])),
    });
    expect(dispatch.status).toBe(422);
    expect(api.state.releases('o', 'schema')).toEqual([]);
    expect(api.state.dispatches()).toEqual([]);
  });

  it('requires the token and never echoes it', async () => {
    const none = await fetch(`${api.url}/repos/o/r/releases`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { message: string }).message).toBe('Requires authentication');
    const wrong = await call('GET', '/repos/o/r/releases', undefined, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.message).toBe('Bad credentials');
    const bearer = await call('GET', '/repos/o/r/releases', undefined, { authorization: `Bearer ${TOKEN}` });
    expect(bearer.status).toBe(200);
    const logText = JSON.stringify(await (await fetch(`${api.url}/_log`)).json());
    expect(logText).not.toContain(TOKEN);
    expect(wrong.text).not.toContain(TOKEN);
  });

  it('creates a release with complete objects, its tag, and keeps the tag when the release goes', async () => {
    const sha = 'a'.repeat(40);
    const created = await call('POST', '/repos/BTCDecoded/bllvm/releases', { tag_name: 'v0.1.0', target_commitish: sha, name: 'v0.1.0' });
    expect(created.status).toBe(201);
    const release = created.json;
    expect(release.author.login).toBe('bllvm-release-bot');
    expect(release.upload_url).toBe(`${api.url}/repos/BTCDecoded/bllvm/releases/${release.id}/assets{?name,label}`);
    expect(created.headers.get('location')).toBe(release.url);

    const ref = await call('GET', '/repos/BTCDecoded/bllvm/git/ref/tags/v0.1.0');
    expect(ref.json).toMatchObject({ ref: 'refs/tags/v0.1.0', object: { sha, type: 'commit' } });

    const dup = await call('POST', '/repos/BTCDecoded/bllvm/releases', { tag_name: 'v0.1.0' });
    expect(dup.status).toBe(422);
    expect(dup.json.errors).toEqual([{ resource: 'Release', code: 'already_exists', field: 'tag_name' }]);

    const byTag = await call('GET', '/repos/BTCDecoded/bllvm/releases/tags/v0.1.0');
    expect(byTag.json.id).toBe(release.id);
    const patched = await call('PATCH', `/repos/BTCDecoded/bllvm/releases/${release.id}`, { body: 'notes', prerelease: true });
    expect(patched.json).toMatchObject({ body: 'notes', prerelease: true });

    expect((await call('DELETE', `/repos/BTCDecoded/bllvm/releases/${release.id}`)).status).toBe(204);
    expect((await call('GET', `/repos/BTCDecoded/bllvm/releases/${release.id}`)).status).toBe(404);
    expect((await call('GET', '/repos/BTCDecoded/bllvm/releases/tags/v0.1.0')).status).toBe(404);
    expect((await call('GET', '/repos/BTCDecoded/bllvm/git/ref/tags/v0.1.0')).status).toBe(200);
  });

  it('uploads, lists and serves asset bytes, with GitHub digests and duplicate-name refusal', async () => {
    const release = (await call('POST', '/repos/o/assets/releases', { tag_name: 'nightly-20250101-abcdef0', prerelease: true })).json;
    const bytes = new TextEncoder().encode('binary \u0000 content');
    const up = await call('POST', `/repos/o/assets/releases/${release.id}/assets?name=bllvm.tar.gz`, bytes, { 'content-type': 'application/gzip' });
    expect(up.status).toBe(201);
    expect(up.json).toMatchObject({ name: 'bllvm.tar.gz', size: bytes.length, state: 'uploaded', content_type: 'application/gzip' });
    expect(up.json.digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const again = await call('POST', `/repos/o/assets/releases/${release.id}/assets?name=bllvm.tar.gz`, bytes);
    expect(again.status).toBe(422);
    expect(again.json.errors[0]).toMatchObject({ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' });

    const noName = await call('POST', `/repos/o/assets/releases/${release.id}/assets`, bytes);
    expect(noName.status).toBe(422);

    const list = await call('GET', `/repos/o/assets/releases/${release.id}/assets`);
    expect(list.json.map((a: { name: string }) => a.name)).toEqual(['bllvm.tar.gz']);

    const download = await fetch(`${api.url}/repos/o/assets/releases/assets/${up.json.id}`, {
      headers: { authorization: `token ${TOKEN}`, accept: 'application/octet-stream' },
    });
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
    const browser = await fetch(up.json.browser_download_url);
    expect(new Uint8Array(await browser.arrayBuffer())).toEqual(bytes);

    expect((await call('DELETE', `/repos/o/assets/releases/assets/${up.json.id}`)).status).toBe(204);
    expect(api.state.assetViews(release.id)).toEqual([]);
  });

  it('paginates releases with a Link header', async () => {
    for (let i = 1; i <= 5; i++) await call('POST', '/repos/o/pages/releases', { tag_name: `v0.0.${i}` });
    const first = await call('GET', '/repos/o/pages/releases?per_page=2');
    expect(first.json.map((r: { tag_name: string }) => r.tag_name)).toEqual(['v0.0.5', 'v0.0.4']);
    expect(first.headers.get('link')).toBe(
      `<${api.url}/repos/o/pages/releases?per_page=2&page=2>; rel="next", <${api.url}/repos/o/pages/releases?per_page=2&page=3>; rel="last"`,
    );
    const last = await call('GET', '/repos/o/pages/releases?per_page=2&page=3');
    expect(last.json.map((r: { tag_name: string }) => r.tag_name)).toEqual(['v0.0.1']);
    expect(last.headers.get('link')).toContain('rel="prev"');
  });

  it('serves git refs, whether the ref is sent encoded or with raw slashes', async () => {
    const sha1 = '1'.repeat(40);
    const sha2 = '2'.repeat(40);
    expect((await call('POST', '/repos/o/refs/git/refs', { ref: 'refs/heads/main', sha: sha1 })).status).toBe(201);
    expect((await call('POST', '/repos/o/refs/git/refs', { ref: 'refs/tags/v1', sha: sha1 })).status).toBe(201);
    expect((await call('POST', '/repos/o/refs/git/refs', { ref: 'refs/tags/v1', sha: sha1 })).json.message).toBe('Reference already exists');
    expect((await call('GET', '/repos/o/refs/git/ref/heads%2Fmain')).json.object.sha).toBe(sha1);
    const matching = await call('GET', '/repos/o/refs/git/matching-refs/tags/v');
    expect(matching.json.map((r: { ref: string }) => r.ref)).toEqual(['refs/tags/v1']);
    expect((await call('PATCH', '/repos/o/refs/git/refs/heads/main', { sha: sha2, force: true })).json.object.sha).toBe(sha2);
    expect((await call('DELETE', '/repos/o/refs/git/refs/tags%2Fv1')).status).toBe(204);
    const gone = await call('DELETE', '/repos/o/refs/git/refs/tags/v1');
    expect(gone.status).toBe(422);
    expect((await call('GET', '/repos/o/refs/git/ref/tags/v1')).status).toBe(404);

    // A release on an existing branch name tags that branch's commit.
    const rel = await call('POST', '/repos/o/refs/releases', { tag_name: 'v2', target_commitish: 'main' });
    expect(rel.status).toBe(201);
    expect(api.state.refs('o', 'refs')).toContainEqual({ ref: 'refs/tags/v2', sha: sha2 });
  });

  it('shows drafts only to authenticated callers, and peels annotated tags', async () => {
    const open = await startGitHubApi({ logger: (line) => loud.push(line) });
    try {
      const as = (auth: boolean) => (path: string) => fetch(`${open.url}${path}`, { headers: auth ? { authorization: 'token any' } : {} }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));
      const created = await fetch(`${open.url}/repos/o/d/releases`, { method: 'POST', headers: { authorization: 'token any', 'content-type': 'application/json' }, body: JSON.stringify({ tag_name: 'v1', draft: true }) });
      const draft = (await created.json()) as { id: number; html_url: string };
      expect(draft.html_url).toContain(`/releases/tag/untagged-${draft.id}`);
      expect((await as(true)('/repos/o/d/releases')).json.map((r: { id: number }) => r.id)).toEqual([draft.id]);
      expect((await as(false)('/repos/o/d/releases')).json).toEqual([]);
      expect((await as(false)(`/repos/o/d/releases/${draft.id}`)).status).toBe(404);
      expect((await as(true)(`/repos/o/d/releases/${draft.id}`)).status).toBe(200);
      expect((await as(true)('/repos/o/d/releases/tags/v1')).status).toBe(404);

      const tagSha = open.state.setAnnotatedTag('o', 'd', 'v2', '3'.repeat(40));
      const ref = await as(true)('/repos/o/d/git/ref/tags/v2');
      expect(ref.json.object).toMatchObject({ type: 'tag', sha: tagSha });
      const tag = await as(true)(`/repos/o/d/git/tags/${tagSha}`);
      expect(tag.json).toMatchObject({ tag: 'v2', sha: tagSha, object: { type: 'commit', sha: '3'.repeat(40) } });
      expect(open.validationErrors()).toEqual([]);
    } finally {
      await open.stop();
    }
  });

  it('records repository dispatches', async () => {
    const res = await call('POST', '/repos/BTCDecoded/governance-app/dispatches', { event_type: 'deploy', client_payload: { tag: 'v1', image: 'img:v1' } });
    expect(res.status).toBe(204);
    expect(api.state.dispatches()).toContainEqual(
      expect.objectContaining({ owner: 'BTCDecoded', repo: 'governance-app', eventType: 'deploy', clientPayload: { tag: 'v1', image: 'img:v1' } }),
    );
  });

  it('answers unknown routes with 404 and logs every request with its mutating flag', async () => {
    api.clearLog();
    expect((await call('GET', '/repos/o/r/pulls')).status).toBe(404);
    await call('GET', '/repos/o/r/releases');
    await call('POST', '/repos/o/r/dispatches', { event_type: 'x' });
    const log = api.log();
    expect(log.map((e) => [e.method, e.status, e.mutating])).toEqual([
      ['GET', 404, false],
      ['GET', 200, false],
      ['POST', 204, true],
    ]);
    expect(log[1]!.response).toBe('valid');
  });

  it('takes faults over HTTP and reports them in /_log', async () => {
    const armed = await fetch(`${api.url}/_faults`, {
      method: 'POST',
      body: JSON.stringify([
        { kind: 'status', status: 503, method: 'GET', path: '/repos/o/faults/releases$', times: 2 },
        { kind: 'primary-rate-limit', status: 429, path: '/repos/o/faults/releases/tags/' },
        { kind: 'secondary-rate-limit', path: '/repos/o/faults/git/', retryAfterSeconds: 7 },
      ]),
    });
    expect(armed.status).toBe(201);
    expect((await fetch(`${api.url}/_faults`, { method: 'POST', body: '{"kind":"hook","path":"x"}' })).status).toBe(400);

    expect((await call('GET', '/repos/o/faults/releases')).status).toBe(503);
    expect((await call('GET', '/repos/o/faults/releases')).status).toBe(503);
    expect((await call('GET', '/repos/o/faults/releases')).status).toBe(200);

    const primary = await call('GET', '/repos/o/faults/releases/tags/x');
    expect(primary.status).toBe(429);
    expect(primary.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(primary.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);

    const secondary = await call('GET', '/repos/o/faults/git/ref/tags/x');
    expect(secondary.status).toBe(403);
    expect(secondary.headers.get('retry-after')).toBe('7');
    expect(secondary.json.message).toMatch(/secondary rate limit/);

    const { requests } = (await (await fetch(`${api.url}/_log`)).json()) as { requests: { fault?: string }[] };
    expect(requests.filter((r) => r.fault).map((r) => r.fault)).toEqual(
      expect.arrayContaining(['status', 'status', 'primary-rate-limit', 'secondary-rate-limit']),
    );
  });

  it('drops an upload mid-body and leaves a starter asset that blocks the name', async () => {
    const release = (await call('POST', '/repos/o/drop/releases', { tag_name: 'v1' })).json;
    api.injectFault({ kind: 'drop-connection', method: 'POST', path: '/assets\\?name=big.bin', afterBytes: 1024 });
    const big = new Uint8Array(256 * 1024).fill(7);
    await expect(call('POST', `/repos/o/drop/releases/${release.id}/assets?name=big.bin`, big)).rejects.toThrow();
    const [starter] = api.state.assetViews(release.id);
    expect(starter).toMatchObject({ name: 'big.bin', state: 'starter', size: 0, sha256: null });

    // Listing it must still satisfy the (gap-patched) description.
    const list = await call('GET', `/repos/o/drop/releases/${release.id}/assets`);
    expect(list.json[0]).toMatchObject({ state: 'starter', digest: null });
    expect((await call('POST', `/repos/o/drop/releases/${release.id}/assets?name=big.bin`, big)).status).toBe(422);
    expect((await fetch(list.json[0].browser_download_url)).status).toBe(404);
  });

  it('runs a delete-release hook between two steps, then handles the request normally', async () => {
    const release = (await call('POST', '/repos/o/hook/releases', { tag_name: 'v1' })).json;
    api.injectFault({ kind: 'delete-release', owner: 'o', repo: 'hook', tag: 'v1', method: 'POST', path: '/assets' });
    const up = await call('POST', `/repos/o/hook/releases/${release.id}/assets?name=a.txt`, new Uint8Array([1]));
    expect(up.status).toBe(404);
    expect(api.state.refs('o', 'hook').map((r) => r.ref)).toEqual(['refs/tags/v1']);
  });
});

describe('response validation guard', () => {
  it('turns a response that breaks the description into a loud 500', async () => {
    const lines: string[] = [];
    const broken = await startGitHubApi({ logger: (line) => lines.push(line) });
    try {
      const res = await fetch(`${broken.url}/repos/o/r/releases`, { method: 'POST', body: JSON.stringify({ tag_name: 'v1' }) });
      const release = (await res.json()) as { id: number };
      // Corrupt the state behind the server's back: a state value GitHub never returns.
      const asset = (broken.state as unknown as { insertAsset: Function }).insertAsset(broken.state.getRelease('o', 'r', release.id), {
        name: 'x', label: null, contentType: 'text/plain', state: 'exploded', bytes: Buffer.from('x'),
      });
      const bad = await fetch(`${broken.url}/repos/o/r/releases/assets/${asset.id}`);
      expect(bad.status).toBe(500);
      expect(broken.validationErrors()).toHaveLength(1);
      expect(broken.validationErrors()[0]!.problems[0]!.at).toBe('/state');
      expect(lines.join('\n')).toMatch(/BUG: GET .* does not match GitHub's OpenAPI description/);
    } finally {
      await broken.stop();
    }
  });
});
