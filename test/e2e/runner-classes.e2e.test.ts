import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubApi, startGitHubApi } from '@bllvm/github-api';
import { type Pipeline, ORCHESTRATOR_REPOSITORY, WORKSPACE_ROOT, startPipeline } from '@bllvm/demo';
import type { ReleaseRunReport, TaskOutcome } from '@bllvm/cli/testing';

// The fleet's shape on one machine: one job per runner class builds only its own tasks, into an
// Nx cache the jobs share; the publish job is a second checkout with an empty dist/ that restores
// every output from that cache (no cargo, no docker) and publishes it — or, when a class's job
// never ran, refuses naming the missing task and its class, having published nothing.
let p: Pipeline;
let api: GitHubApi;
const [OWNER, REPO] = ORCHESTRATOR_REPOSITORY.split('/') as [string, string];
const alnum = (n: number) => randomBytes(n * 2).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, n);
const TOKEN = `ghp_${alnum(36)}`;
const TOKENS = { GITHUB_TOKEN: TOKEN, BLLVM_DEPLOY_TOKEN: TOKEN, ORCHESTRATOR_TOKEN: `github_pat_${alnum(22)}_${alnum(59)}` };
const GIT_ENV = { GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@localhost', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@localhost' };
let publishDir: string;

type Plan = { classes: Record<'builds' | 'perf' | 'docker', { labels: string[]; tasks: string[] }> };
type BuildReport = { exitCode: number; tasks: TaskOutcome[] };
type RestoreReport = { ok: boolean; tasks: { id: string; status: string; runnerClass?: string }[] };

async function buildCli(...args: string[]) {
  return p.sw.ws.cli(...args);
}

/** The publish job's checkout: a clone at the same commit, its own work dir and an empty dist/, the same shared cache. */
async function publishCli(...args: string[]) {
  return execa(process.execPath, [join(publishDir, 'tools/ship/cli/bin/bllvm-release.cjs'), ...args], {
    cwd: publishDir,
    env: { ...process.env, ...GIT_ENV, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false', ...p.sw.ws.env, ...TOKENS, BLLVM_WORK_DIR: join(publishDir, '.bllvm') },
    reject: false,
  });
}

async function toolCalls() {
  const calls = await p.shims.calls();
  return { cargo: calls.filter((c) => c.tool === 'cargo'), dockerBuild: calls.filter((c) => c.tool === 'docker' && /(^|\s)(build|buildx)(\s|$)/.test(c.args)) };
}

function statuses(tasks: TaskOutcome[]) {
  return Object.fromEntries(tasks.map((t) => [t.task, t.cache ? `${t.status} (${t.cache})` : t.status]));
}

beforeAll(async () => {
  p = await startPipeline({ tag: false });
  api = await startGitHubApi({ token: TOKEN });
  const shared = join(p.sw.ws.dir, '..', 'shared-nx');
  // The cache the class jobs and the publish job share (in the fleet: the remote cache). Nx keeps
  // the index of its cache folder in a database in the workspace-data folder, so both are shared.
  Object.assign(p.sw.ws.env, {
    GITHUB_API_URL: api.url,
    NX_CACHE_DIRECTORY: join(shared, 'cache'),
    NX_WORKSPACE_DATA_DIRECTORY: join(shared, 'workspace-data'),
  });
  // No token in any class job.
  for (const name of ['GITHUB_TOKEN', 'BLLVM_DEPLOY_TOKEN', 'ORCHESTRATOR_TOKEN']) p.sw.ws.env[name] = undefined;
  publishDir = join(p.sw.ws.dir, '..', 'publish');
  await execa('git', ['clone', '--quiet', p.sw.ws.dir, publishDir]);
  await symlink(join(WORKSPACE_ROOT, 'node_modules'), join(publishDir, 'node_modules'));
  await mkdir(join(publishDir, '.bllvm'), { recursive: true });
}, 600_000);

afterAll(async () => {
  expect(api?.validationErrors()).toEqual([]);
  await api?.stop();
  await p?.stop();
});

describe('runner classes', () => {
  it('plan groups the affected tasks by class, in graph order, an idle class with none', async () => {
    const r = await buildCli('plan', '--base', 'HEAD~1', '--json');
    expect(r.exitCode, r.stderr.slice(-2000)).toBe(0);
    const { classes } = JSON.parse(r.stdout) as Plan;
    expect(classes.perf).toEqual({ labels: ['self-hosted', 'Linux', 'X64', 'builds', 'perf'], tasks: ['bllvm-consensus:verify'] });
    expect(classes.docker).toEqual({ labels: ['self-hosted', 'Linux', 'X64', 'builds', 'docker'], tasks: ['governance-app:build'] });
    expect(classes.builds.labels).toEqual(['self-hosted', 'Linux', 'X64', 'builds']);
    expect([...classes.builds.tasks].sort()).toEqual(
      [
        ...['bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm', 'bllvm-sdk'].flatMap((c) => [`${c}:build`, `${c}:test`]),
        ...['bllvm-consensus', 'bllvm-protocol', 'bllvm-node'].map((c) => `${c}:package`),
        'governance-app:compile',
        'governance-app:test',
      ].sort(),
    );
    const at = (t: string) => classes.builds.tasks.indexOf(t);
    expect(at('bllvm-consensus:build')).toBeLessThan(at('bllvm-protocol:build'));
    expect(at('bllvm-node:build')).toBeLessThan(at('governance-app:compile'));
    expect(at('bllvm-node:build')).toBeLessThan(at('bllvm-node:test'));
    const human = await buildCli('plan', '--base', 'HEAD');
    expect(human.stdout).toContain('perf [self-hosted, Linux, X64, builds, perf]: nothing to do');
  });

  it('the builds job runs only builds tasks: cargo, and no image', async () => {
    await p.shims.reset();
    const r = await buildCli('build', '-c', 'sandbox', '--runner-class', 'builds', '--json');
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    const s = statuses((JSON.parse(r.stdout) as BuildReport).tasks);
    expect(s['bllvm-node:build']).toBe('built');
    expect(s['governance-app:compile']).toBe('built');
    expect(s['governance-app:build']).toBeUndefined();
    expect(s['bllvm-consensus:verify']).toBeUndefined();
    const calls = await toolCalls();
    expect(calls.cargo.length).toBeGreaterThan(0);
    expect(calls.dockerBuild).toEqual([]);
  });

  it('the docker job builds the image from the builds job\'s binaries, which come from the cache', async () => {
    await p.shims.reset();
    const r = await buildCli('build', '-c', 'sandbox', '--runner-class', 'docker', '--json');
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    const s = statuses((JSON.parse(r.stdout) as BuildReport).tasks);
    expect(s['governance-app:build']).toBe('built');
    expect(s['governance-app:compile']).toMatch(/^cached \(local\)$/);
    expect(s['bllvm-node:test']).toBeUndefined();
    const calls = await toolCalls();
    expect(calls.cargo).toEqual([]);
    expect(calls.dockerBuild.length).toBe(1);
  });

  it('a restore with the perf job\'s proof missing fails naming it and its class, and copies nothing', async () => {
    await p.shims.reset();
    const r = await publishCli('restore', '-c', 'sandbox');
    expect(r.exitCode, r.stdout).toBe(1);
    expect(r.stderr).toContain('bllvm-consensus:verify (perf) is not in the shared cache; rerun the perf job');
    expect(r.stderr).not.toContain('bllvm-node:build (builds)');
    expect(existsSync(join(publishDir, 'dist', 'bllvm-node'))).toBe(false);
    const publish = await publishCli('prerelease', '-c', 'sandbox', '--publish-only', '--json');
    expect(publish.exitCode).toBe(1);
    expect(api.state.releases(OWNER, REPO)).toEqual([]);
    const calls = await toolCalls();
    expect(calls.cargo).toEqual([]);
    expect(calls.dockerBuild).toEqual([]);
  });

  it('after the perf job, the publish checkout restores everything and publishes with zero cargo and docker build calls', async () => {
    const perf = await buildCli('build', '-c', 'sandbox', '--runner-class', 'perf', '--json');
    expect(perf.exitCode, perf.stderr.slice(-3000)).toBe(0);
    expect(statuses((JSON.parse(perf.stdout) as BuildReport).tasks)['bllvm-consensus:verify']).toBe('built');
    await p.shims.reset();
    const r = await publishCli('restore', '-c', 'sandbox', '--json');
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    const restored = JSON.parse(r.stdout) as RestoreReport;
    expect(restored.ok).toBe(true);
    expect(Object.fromEntries(restored.tasks.map((t) => [t.id, t.status]))).toMatchObject({
      'bllvm-node:build': 'local-cache',
      'bllvm-node:test': 'local-cache',
      'bllvm-consensus:verify': 'local-cache',
      'governance-app:compile': 'local-cache',
      'governance-app:build': 'local-cache',
    });
    expect(existsSync(join(publishDir, 'dist', 'governance-app', 'image.json'))).toBe(true);
    const publish = await publishCli('prerelease', '-c', 'sandbox', '--publish-only', '--json');
    expect(publish.exitCode, publish.stdout.slice(-3000)).toBe(0);
    const report = JSON.parse(publish.stdout) as ReleaseRunReport;
    expect(report.ok).toBe(true);
    const calls = await toolCalls();
    expect(calls.cargo).toEqual([]);
    expect(calls.dockerBuild).toEqual([]);
    const releases = api.state.releases(OWNER, REPO);
    expect(releases).toHaveLength(1);
    expect(releases[0]!.assets.map((a) => a.name)).toContain(`governance-app-${report.tag}-image.oci.tar`);
  });

  it('graph-check passes the classed stack and refuses a target without a class, naming it', async () => {
    const ok = await p.sw.ws.nx('run', 'release-set:graph-check', '--outputStyle=static');
    expect(ok.exitCode, ok.stdout.slice(-2000)).toBe(0);
    const file = join(p.sw.ws.dir, 'apps', 'governance-app', 'project.json');
    const before = await readFile(file, 'utf8');
    const project = JSON.parse(before) as { targets: Record<string, unknown> };
    // The plugin gives the targets it infers their class; one project.json defines with its own executor has none unless it says so.
    project.targets.build = { executor: 'nx:run-commands', options: { command: 'true' } };
    await writeFile(file, JSON.stringify(project, null, 2));
    try {
      const bad = await p.sw.ws.nx('run', 'release-set:graph-check', '--outputStyle=static');
      expect(bad.exitCode).toBe(1);
      expect(bad.stdout + bad.stderr).toContain('governance-app:build has no runner class; add "metadata": { "runnerClass": "<builds | perf | docker>" }');
    } finally {
      await writeFile(file, before);
    }
  });
});
