import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '@bllvm/github';
import { type GitHubApi, startGitHubApi } from '@bllvm/github-api';
import { type Pipeline, ORCHESTRATOR_REPOSITORY, startPipeline } from '@bllvm/demo';
import type { ReleaseRunReport } from '@bllvm/cli/testing';
import { addCommit, setFault } from '@bllvm/sandbox';

// Issue-level acceptance for releasing: the nightly, prerelease and official release against the
// sandbox org, real cargo and docker, and the local GitHub API checked against GitHub's description.
let p: Pipeline;
const [OWNER, REPO] = ORCHESTRATOR_REPOSITORY.split('/') as [string, string];
const COMPONENTS = ['bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm', 'bllvm-sdk', 'governance-app'];

async function cli(...args: string[]) {
  const r = await p.sw.ws.cli(...args);
  return { ...r, json: args.includes('--json') && r.stdout.trim().startsWith('{') ? (JSON.parse(r.stdout) as ReleaseRunReport) : undefined };
}

const writes = (api: GitHubApi) => api.log().filter((l) => l.mutating);
const releases = (api: GitHubApi) => api.state.releases(OWNER, REPO);

/** Download every asset of a release from the server into a folder, as an operator would. */
async function download(api: GitHubApi, tag: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bllvm-download-'));
  const release = releases(api).find((r) => r.tagName === tag)!;
  for (const a of release.assets) {
    const res = await fetch(`${api.url}/${OWNER}/${REPO}/releases/download/${tag}/${a.name}`);
    expect(res.status, a.name).toBe(200);
    await writeFile(join(dir, a.name), Buffer.from(await res.arrayBuffer()));
  }
  return dir;
}

async function pins(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const c of COMPONENTS) out[c] = /commit = "([0-9a-f]{40})"/.exec(await readFile(join(p.sw.ws.dir, 'apps', c, 'pin.toml'), 'utf8'))![1]!;
  return out;
}

beforeAll(async () => {
  // No last-release yet: the first nightly publishes everything as new.
  p = await startPipeline({ tag: false });
}, 600_000);

afterAll(async () => {
  expect(p.api.validationErrors()).toEqual([]);
  await p?.stop();
});

describe('the nightly', () => {
  let firstTag: string;

  it('--dry-run prints the whole plan and sends no mutating request', async () => {
    const head = await p.sw.ws.git('rev-parse', 'HEAD');
    const r = await cli('nightly', '-c', 'sandbox', '--dry-run');
    expect(r.exitCode, `${failedTaskOutput(r.stderr)}\n${r.stdout.slice(-2000)}`).toBe(0);
    expect(writes(p.api)).toEqual([]);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/Would publish nightly-\d{8}-[0-9a-f]{7} \(nightly prerelease\)/);
    for (const c of COMPONENTS) expect(out).toContain(`${c}-nightly-`);
    expect(out).toMatch(/would POST \/repos\/\{owner\}\/\{repo\}\/releases|would create release/i);
    expect(out).toMatch(/would move last-release/);
    expect(await p.sw.ws.git('rev-parse', 'HEAD')).toBe(head);
    expect(await p.sw.ws.git('tag', '-l', 'last-release')).toBe('');
  });

  it('publishes one prerelease whose assets pass sha256sum -c and whose manifest records the pins', async () => {
    p.api.clearLog();
    const r = await cli('nightly', '-c', 'sandbox', '--json');
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    firstTag = r.json!.tag;
    const head = await p.sw.ws.git('rev-parse', 'HEAD');
    expect(firstTag).toBe(`nightly-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-${head.slice(0, 7)}`);
    const all = releases(p.api);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ tagName: firstTag, prerelease: true, draft: false, targetCommitish: head });
    expect(all[0]!.assets.map((a) => a.name).sort()).toEqual(
      [
        ...COMPONENTS.map((c) => `${c}-${firstTag}-linux-x86_64.tar.gz`),
        `governance-app-${firstTag}-image.oci.tar`,
        'RELEASE_NOTES.md',
        'SHA256SUMS',
        'SHA256SUMS.asc',
        'provenance.intoto.jsonl',
        ...COMPONENTS.map((c) => `${c}.cdx.json`),
        'release-manifest.json',
      ].sort(),
    );
    const dir = await download(p.api, firstTag);
    try {
      const check = await execa('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir });
      expect(check.stdout.split('\n').every((l) => l.endsWith(': OK'))).toBe(true);
      const manifest = JSON.parse(await readFile(join(dir, 'release-manifest.json'), 'utf8')) as { components: { component: string; commit: string }[] };
      expect(Object.fromEntries(manifest.components.map((c) => [c.component, c.commit]))).toEqual(await pins());
      const listing = (await execa('tar', ['-tzf', join(dir, `bllvm-sdk-${firstTag}-linux-x86_64.tar.gz`)])).stdout;
      expect(listing).toContain('bllvm-keygen');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // Deploy signal with something that exists, and last-release on the released commit.
    const deploy = p.api.state.dispatches().filter((d) => d.eventType === 'deploy');
    expect(deploy).toHaveLength(1);
    expect(deploy[0]).toMatchObject({ owner: 'BTCDecoded', repo: 'governance-app', clientPayload: { tag: firstTag } });
    expect(String(deploy[0]!.clientPayload.image)).toContain(`/releases/download/${firstTag}/governance-app-${firstTag}-image.oci.tar`);
    expect(await p.sw.ws.git('rev-parse', 'last-release^{commit}')).toBe(head);
    const affected = await p.sw.ws.nx('show', 'projects', '--affected', '--base=last-release', '--json');
    expect(JSON.parse(affected.stdout)).toEqual([]);
  });

  it('with nothing changed makes no write request; forced, it duplicates nothing and re-uploads nothing', async () => {
    p.api.clearLog();
    const again = await cli('nightly', '-c', 'sandbox');
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/nothing changed since the last release; nothing to publish/);
    expect(writes(p.api)).toEqual([]);

    await p.shims.reset();
    const forced = await cli('nightly', '-c', 'sandbox', '--force', '--json');
    expect(forced.exitCode, JSON.stringify(forced.json?.tasks.filter((t) => t.status !== 'cached'))).toBe(0);
    expect(forced.json!.tag).toBe(firstTag);
    expect(releases(p.api)).toHaveLength(1);
    const w = writes(p.api).map((l) => l.operationId);
    expect(w.filter((op) => op !== 'repos/create-dispatch-event')).toEqual([]);
    expect((await p.shims.calls()).filter((c) => /(^|\s)(build|test)(\s|$)/.test(c.args))).toEqual([]);
  });

  it('after a commit to bllvm-sdk rebuilds only sdk and governance-app and lists exactly that commit', async () => {
    const sha = await addCommit(p.sw.org, 'bllvm-sdk', { message: 'sdk: sign with the new key format' });
    await p.shims.reset();
    const r = await cli('nightly', '-c', 'sandbox', '--json');
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    const built = r.json!.tasks.filter((t) => t.status === 'built' && /:(build|compile|test|verify)$/.test(t.task)).map((t) => t.task).sort();
    expect(built).toEqual(['bllvm-sdk:build', 'bllvm-sdk:test', 'governance-app:build', 'governance-app:compile', 'governance-app:test']);
    // Builds and tests (cargo also reads every checkout's manifests for the containment check).
    const cargoRoots = new Set((await p.shims.calls()).filter((c) => c.tool === 'cargo' && /(^|\s)(build|test)(\s|$)/.test(c.args)).map((c) => c.cwd.split('/').pop()));
    expect([...cargoRoots].sort()).toEqual(['bllvm-sdk', 'governance-app']);
    const notes = releases(p.api).find((rel) => rel.tagName === r.json!.tag)!.body!;
    const sdkSection = notes.slice(notes.indexOf('### bllvm-sdk'), notes.indexOf('###', notes.indexOf('### bllvm-sdk') + 4));
    expect(sdkSection).toMatch(/sdk\\?: sign with the new key format/);
    expect(sdkSection).toContain(sha.slice(0, 7));
    expect(sdkSection.match(/\/commit\/[0-9a-f]{40}/g)).toEqual([`/commit/${sha}`]);
    expect(notes).toMatch(/### bllvm-consensus\s+unchanged/);
  });
});

describe('publishing under faults', () => {
  it('converges to the same release despite two 502s, a rate limit and a dropped upload', async () => {
    const head = await p.sw.ws.git('rev-parse', 'HEAD');
    const tag = releases(p.api).find((r) => r.targetCommitish === head)!.tagName;
    const expected = releases(p.api).find((r) => r.tagName === tag)!.assets.map((a) => `${a.name} ${a.sha256}`).sort();
    const faulty = await startGitHubApi({ token: p.token });
    try {
      faulty.injectFault({ method: 'POST', path: '/releases$', kind: 'status', status: 502, times: 2 });
      faulty.injectFault({ method: 'POST', path: '/assets\\?name=bllvm-node', kind: 'secondary-rate-limit', retryAfterSeconds: 1 });
      faulty.injectFault({ method: 'POST', path: '/assets\\?name=governance-app-.*image', kind: 'drop-connection', afterBytes: 1024 });
      const env = { GITHUB_API_URL: faulty.url };
      Object.assign(p.sw.ws.env, env);
      let r = await cli('prerelease', '-c', 'sandbox', '--json');
      if (r.exitCode !== 0) r = await cli('prerelease', '-c', 'sandbox', '--json'); // a rerun is the documented recovery
      expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
      const got = faulty.state.releases(OWNER, REPO);
      expect(got).toHaveLength(1);
      expect(got[0]!.assets.every((a) => a.state === 'uploaded')).toBe(true);
      expect(got[0]!.assets.map((a) => `${a.name} ${a.sha256}`).sort()).toEqual(expected);
      expect(faulty.log().some((l) => l.fault)).toBe(true);
      expect(faulty.validationErrors()).toEqual([]);
    } finally {
      p.sw.ws.env.GITHUB_API_URL = p.api.url;
      await faulty.stop();
    }
  });
});

describe('retention', () => {
  it('deletes only old nightly prereleases and never an official release', async () => {
    const seeded = await startGitHubApi({ token: p.token });
    try {
      const client = createGitHubClient({ baseUrl: seeded.url, token: p.token, log: () => {} });
      const head = await p.sw.ws.git('rev-parse', 'HEAD');
      await client.ensureRelease({ owner: OWNER, repo: REPO, tag: 'v0.1.0', name: 'v0.1.0', prerelease: false, targetCommitish: head });
      for (let d = 1; d <= 16; d++)
        await client.ensureRelease({ owner: OWNER, repo: REPO, tag: `nightly-202601${String(d).padStart(2, '0')}-abcdef0`, prerelease: true, targetCommitish: head });
      Object.assign(p.sw.ws.env, { GITHUB_API_URL: seeded.url });
      const r = await cli('prerelease', '-c', 'sandbox');
      expect(r.exitCode, r.stderr.slice(-2000)).toBe(0);
      const tags = seeded.state.releases(OWNER, REPO).map((x) => x.tagName).sort();
      expect(tags).toContain('v0.1.0');
      expect(tags.filter((t) => t.startsWith('nightly-'))).toHaveLength(14);
      expect(tags).not.toContain('nightly-20260101-abcdef0');
      expect(tags).not.toContain('nightly-20260103-abcdef0');
      expect(tags).toContain('nightly-20260104-abcdef0');
      expect(seeded.state.refs(OWNER, REPO).map((x) => x.ref)).not.toContain('refs/tags/nightly-20260101-abcdef0');
    } finally {
      p.sw.ws.env.GITHUB_API_URL = p.api.url;
      await seeded.stop();
    }
  });
});

describe('official release and gating', () => {
  it('publishes v0.1.0 from the tagged commits in versions.toml, not as a prerelease', async () => {
    const tagged: Record<string, string> = {};
    for (const c of COMPONENTS) {
      const bare = p.sw.org.repoPath(c as never);
      tagged[c] = (await execa('git', ['--git-dir', bare, 'rev-parse', 'main~0'])).stdout;
      await execa('git', ['--git-dir', bare, 'tag', 'v0.1.0', tagged[c]!]);
    }
    // Move on so the tags are behind the heads: the release must pin the tagged commits.
    await addCommit(p.sw.org, 'bllvm-node', { message: 'node: after the release' });
    const r = await cli('release', '-c', 'sandbox', '--json');
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    expect(r.json!.tag).toBe('v0.1.0');
    expect(await pins()).toEqual(tagged);
    const rel = releases(p.api).find((x) => x.tagName === 'v0.1.0')!;
    expect(rel.prerelease).toBe(false);
    expect(rel.assets.map((a) => a.name)).toContain('bllvm-v0.1.0-linux-x86_64.tar.gz');
  });

  it('a failing verify in consensus lets the builds finish but publishes nothing, and says why', async () => {
    const before = releases(p.api).length;
    const lastRelease = await p.sw.ws.git('rev-parse', 'last-release^{commit}');
    await setFault(p.sw.org, 'bllvm-consensus', 'verify');
    p.api.clearLog();
    const r = await cli('nightly', '-c', 'sandbox', '--json');
    expect(r.exitCode).toBe(1);
    const status = Object.fromEntries(r.json!.tasks.map((t) => [t.task, t.status]));
    expect(status['bllvm-consensus:verify']).toBe('failed');
    for (const c of COMPONENTS) expect(status[`${c}:build`], c).toMatch(/built|cached/);
    expect(status['release-set:release']).toBe('skipped');
    expect(releases(p.api)).toHaveLength(before);
    expect(writes(p.api)).toEqual([]);
    const table = await cli('prerelease', '-c', 'sandbox');
    expect(table.stdout).toMatch(/nothing published: failed: bllvm-consensus:verify \(verify \(cargo test --release --features verify\) failed for bllvm-consensus@[0-9a-f]{7}/);
    expect(await p.sw.ws.git('rev-parse', 'last-release^{commit}')).toBe(lastRelease);
  });
});

/** The part of Nx's output that a failed task printed (its ✖ line and what led to it), else the end. */
function failedTaskOutput(stderr: string): string {
  const at = stderr.lastIndexOf('✖');
  return at < 0 ? stderr.slice(-3000) : stderr.slice(Math.max(0, at - 6000), at + 1000);
}
