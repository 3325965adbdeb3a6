import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubApi, startGitHubApi } from '@bllvm/github-api';
import { type Pipeline, ORCHESTRATOR_REPOSITORY, startPipeline } from '@bllvm/demo';
import type { ReleaseRunReport } from '@bllvm/cli/testing';

// The step that holds the tokens builds nothing: the stack is built in a step without tokens, then
// `prerelease --publish-only` runs with tokens and must publish without a single cargo or docker
// build — and, when an output is missing, must refuse (naming it) instead of building it.
let p: Pipeline;
let api: GitHubApi;
const [OWNER, REPO] = ORCHESTRATOR_REPOSITORY.split('/') as [string, string];
const COMPONENTS = ['bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm', 'bllvm-sdk', 'governance-app'];
// Shaped like GitHub's own tokens, so nothing here passes only because a token looks fake.
const alnum = (n: number) => randomBytes(n * 2).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, n);
const TOKEN = `ghp_${alnum(36)}`;
const TOKENS = { GITHUB_TOKEN: TOKEN, BLLVM_DEPLOY_TOKEN: TOKEN, ORCHESTRATOR_TOKEN: `github_pat_${alnum(22)}_${alnum(59)}` };

async function cli(...args: string[]) {
  const r = await p.sw.ws.cli(...args);
  return { ...r, json: args.includes('--json') && r.stdout.trim().startsWith('{') ? (JSON.parse(r.stdout) as ReleaseRunReport) : undefined };
}

/** What ran under the shims: cargo (in the build sandbox, through bwrap) and docker. */
async function toolCalls() {
  const calls = await p.shims.calls();
  return { cargo: calls.filter((c) => c.tool === 'cargo'), dockerBuild: calls.filter((c) => c.tool === 'docker' && /(^|\s)(build|buildx)(\s|$)/.test(c.args)), all: calls };
}

beforeAll(async () => {
  p = await startPipeline({ tag: false });
  api = await startGitHubApi({ token: TOKEN });
  Object.assign(p.sw.ws.env, { GITHUB_API_URL: api.url });
}, 600_000);

afterAll(async () => {
  expect(api?.validationErrors()).toEqual([]);
  await api?.stop();
  await p?.stop();
});

describe('publish-only', () => {
  it('the build step needs no token and builds the whole stack', async () => {
    for (const name of ['GITHUB_TOKEN', 'BLLVM_DEPLOY_TOKEN', 'ORCHESTRATOR_TOKEN']) p.sw.ws.env[name] = undefined;
    const r = await cli('build', '-c', 'sandbox', '--targets', 'build,test,verify,package', '--json');
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    const calls = await toolCalls();
    // The shims do see this build: the zero counts below are not a blind log.
    expect(calls.cargo.length).toBeGreaterThan(0);
    expect(calls.dockerBuild.length).toBeGreaterThan(0);
    expect(api.log()).toEqual([]);
  });

  it('with an output missing, fails naming it and the command that builds it, builds nothing and publishes nothing', async () => {
    const ws = p.sw.ws.dir;
    // As in the publish job: a fresh checkout with the build job's dist/ and no Nx cache, so
    // anything that still depended on a build would run cargo here rather than restore it.
    await rm(join(ws, '.nx', 'cache'), { recursive: true, force: true });
    const aside = [join(ws, 'dist/bllvm-node/test/test.json'), join(ws, 'dist/governance-app/build/build.json')];
    for (const f of aside) await rename(f, `${f}.aside`);
    try {
      Object.assign(p.sw.ws.env, TOKENS);
      await p.shims.reset();
      const r = await cli('prerelease', '-c', 'sandbox', '--publish-only', '--json');
      expect(r.exitCode, r.stdout).toBe(1);
      const status = Object.fromEntries(r.json!.tasks.map((t) => [t.task, t]));
      expect(r.json!.publishOnly).toBe(true);
      expect(status['bllvm-node:release'], r.stdout).toMatchObject({ status: 'failed' });
      expect(status['bllvm-node:release']!.message).toContain(
        'bllvm-node: output dist/bllvm-node/test/test.json of bllvm-node:test is missing; build it first with `npm run cli -- build --targets build,test,verify,package` (this task alone: `npx nx run bllvm-node:test`)',
      );
      expect(status['governance-app:release']!.message).toContain('governance-app: output dist/governance-app/build/build.json of governance-app:compile is missing');
      expect(status['governance-app:release']!.message).toContain('`npx nx run governance-app:compile`');
      expect(status['release-set:release']).toMatchObject({ status: 'skipped' });
      // Not built, not restored from the Nx cache: no build task was even planned.
      expect(r.json!.tasks.filter((t) => /:(build|compile|test|verify)$/.test(t.task))).toEqual([]);
      const calls = await toolCalls();
      expect(calls.cargo).toEqual([]);
      expect(calls.dockerBuild).toEqual([]);
      expect(api.state.releases(OWNER, REPO)).toEqual([]);
      expect(api.log().filter((l) => l.mutating)).toEqual([]);
      expect(await p.sw.ws.git('tag', '-l', 'last-release')).toBe('');
      const table = await cli('prerelease', '-c', 'sandbox', '--publish-only');
      expect(table.stdout).toMatch(/nothing published: failed: .*bllvm-node:release \(bllvm-node: output dist\/bllvm-node\/test\/test\.json of bllvm-node:test is missing/);
    } finally {
      for (const f of aside) await rename(`${f}.aside`, f);
    }
  });

  it('with tokens in the environment publishes what the build step made, with zero cargo and docker build calls', async () => {
    Object.assign(p.sw.ws.env, TOKENS);
    await p.shims.reset();
    const r = await cli('prerelease', '-c', 'sandbox', '--publish-only', '--json');
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.json!.ok).toBe(true);
    const calls = await toolCalls();
    expect(calls.cargo).toEqual([]);
    expect(calls.dockerBuild).toEqual([]);
    expect(r.json!.tasks.filter((t) => /:(build|compile|test|verify)$/.test(t.task))).toEqual([]);
    expect(r.json!.tasks.find((t) => t.task === 'release-set:release')).toMatchObject({ status: 'built' });
    const head = await p.sw.ws.git('rev-parse', 'HEAD');
    const all = api.state.releases(OWNER, REPO);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ tagName: r.json!.tag, prerelease: true, draft: false, targetCommitish: head });
    expect(all[0]!.assets.map((a) => a.name).sort()).toEqual(
      [
        ...COMPONENTS.map((c) => `${c}-${r.json!.tag}-linux-x86_64.tar.gz`),
        `governance-app-${r.json!.tag}-image.oci.tar`,
        'RELEASE_NOTES.md',
        'SHA256SUMS',
        'SHA256SUMS.asc',
        'provenance.intoto.jsonl',
        ...COMPONENTS.map((c) => `${c}.cdx.json`),
        'release-manifest.json',
      ].sort(),
    );
    expect(all[0]!.assets.every((a) => a.state === 'uploaded')).toBe(true);
    expect(await p.sw.ws.git('rev-parse', 'last-release^{commit}')).toBe(head);
  });
});
