import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCacheServer } from '@bllvm/cache-server/testing';
import { type SandboxWorkspace, createSandboxWorkspace } from '@bllvm/demo';
import { type ExpressionContext, type Workflow, jobOutputs, parseOutputs, readWorkflow, stepEnv } from '@bllvm/fleet';
import { type GitHubApi, startGitHubApi } from '@bllvm/github-api';
import type { TrialOutcome } from '@bllvm/orchestrator';
import { type PodmanService, startPodmanService } from '@bllvm/podman';
import { addCommit } from '@bllvm/sandbox';
import { runCli } from '@bllvm/cli/testing';

// Trials of component pull requests on the seed sandbox org: the head built in place of its pin,
// everything downstream at its pins, in a scratch clone reading a private copy of the shared Nx
// cache. One workspace for every case; the nightly before them fills the shared cache.

const TOKEN = 'trial-e2e-token';
const RUST = join(import.meta.dirname, '..', '..', 'tools/doubles/sandbox/rust');
const WORKFLOW = join(import.meta.dirname, '..', '..', '.github/workflows/trial.yml');
// The repository's secrets as the Trial workflow names them: the API double's token, and a cache read token.
const SECRETS = { ORCHESTRATOR_TOKEN: TOKEN, NX_CACHE_READ_TOKEN: 'nx-cache-read-e2e-secret' };

let sw: SandboxWorkspace;
let podman: PodmanService;
let api: GitHubApi;
const timings: Record<string, number> = {};

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string; ms: number }> {
  return cliWith({ ...process.env, ...sw.ws.env }, ...args);
}

async function cliWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; out: string; err: string; ms: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const started = Date.now();
  const code = await runCli(args, { cwd: sw.ws.dir, env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n'), ms: Date.now() - started };
}

// ---- the Trial workflow's own wiring, evaluated by GitHub's expression engine (@bllvm/fleet) ----

let workflow: Workflow;

function workflowContext(over: Partial<Omit<ExpressionContext, 'env'>> = {}): Omit<ExpressionContext, 'env'> {
  return { secrets: SECRETS, vars: {}, inputs: {}, github: { event_name: 'repository_dispatch' }, runner: { temp: '/tmp/runner' }, needs: {}, steps: {}, status: 'success', ...over };
}

/** The variables .github/workflows/trial.yml sets for one step of one job. */
function workflowStepEnv(jobId: string, stepId: string, over: Partial<Omit<ExpressionContext, 'env'>> = {}): Record<string, string> {
  const job = workflow.jobs.find((j) => j.id === jobId)!;
  const step = job.steps.find((s) => s.id === stepId)!;
  return stepEnv(workflow.env, job, step, workflowContext(over));
}

/** The trial job's Trial step env for what the accept step printed into $GITHUB_OUTPUT, through the accept job's outputs. */
function trialStepEnv(accepted: string): Record<string, string> {
  const accept = workflow.jobs.find((j) => j.id === 'accept')!;
  const outputs = jobOutputs(workflow.env, accept, workflowContext({ steps: { accept: { outcome: 'success', conclusion: 'success', outputs: parseOutputs(accepted) } } }));
  return workflowStepEnv('trial', 'trial', { needs: { accept: { result: 'success', outputs } } });
}

/** What the runner machine gives every step: the sandbox's services and settings, never a secret (those come from the workflow). */
function machineEnv(): NodeJS.ProcessEnv {
  const { GITHUB_TOKEN: _token, BLLVM_CARGO_REGISTRY_TOKEN: _crates, ...services } = sw.ws.env;
  return { ...process.env, ...services };
}

/** The names of the variables holding any secret's value. */
function holdingSecrets(env: NodeJS.ProcessEnv): string[] {
  const secrets = [...Object.values(SECRETS), sw.env.BLLVM_CARGO_REGISTRY_TOKEN!];
  return Object.entries(env).filter(([, v]) => v !== undefined && secrets.some((s) => v.includes(s))).map(([k]) => k).sort();
}

/** A pull-request event as the component's notify workflow sends it, accepted by the accept step with the env the workflow gives it. */
async function acceptStep(number: number, sha: string): Promise<{ out: string; err: string; code: number; checkRun: number }> {
  const event = join(sw.ws.dir, '..', `event-${number}.json`);
  await writeFile(event, JSON.stringify({ action: 'pull-request', client_payload: { repository: 'BTCDecoded/bllvm-consensus', number, sha } }));
  const env = workflowStepEnv('accept', 'accept');
  // The evaluation hands a secret to the step that maps it: the token the accept step reads the pull request with.
  expect(holdingSecrets(env)).toEqual(['GITHUB_TOKEN']);
  const r = await cliWith({ ...machineEnv(), ...env }, 'trial', '--event-file', event, '--event-name', 'repository_dispatch', '--check-only', '--open-check-run');
  return { ...r, checkRun: Number(/^check-run=(\d+)$/m.exec(r.out)?.[1]) };
}

/** A pull request in the sandbox org: a commit on a topic branch, published as refs/pull/<n>/head as GitHub does. */
async function openPullRequest(repo: 'bllvm-consensus' | 'bllvm-sdk' | 'bllvm', number: number, files: Record<string, string>): Promise<string> {
  const sha = await addCommit(sw.org, repo, { branch: `topic-${number}`, files, message: `pull request ${number}` });
  await execa('git', ['update-ref', `refs/pull/${number}/head`, sha], { cwd: sw.org.repoPath(repo) });
  return sha;
}

/** Every entry of the shared Nx cache and its index, hashed: what a trial must leave as it found it. */
async function sharedCacheDigest(): Promise<{ entries: string[]; digest: string }> {
  const h = createHash('sha256');
  const entries: string[] = [];
  const walk = async (dir: string, rel: string) => {
    for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) await walk(path, `${rel}${e.name}/`);
      else h.update(`${rel}${e.name}\0`).update(await readFile(path));
    }
  };
  const cache = join(sw.ws.dir, '.nx', 'cache');
  for (const e of await readdir(cache, { withFileTypes: true })) if (e.isDirectory() && /^\d+$/.test(e.name)) entries.push(e.name);
  await walk(cache, 'cache/');
  const data = join(sw.ws.dir, '.nx', 'workspace-data');
  for (const f of (await readdir(data)).filter((n) => /\.db$/.test(n)).sort()) h.update(f).update(await readFile(join(data, f)));
  return { entries: entries.sort(), digest: h.digest('hex') };
}

async function checkoutState() {
  return {
    head: (await sw.ws.git('rev-parse', 'HEAD')).trim(),
    pins: await sw.ws.git('ls-files', '-s', 'apps'),
    status: (await sw.ws.git('status', '--porcelain')).trim(),
    versions: await readFile(join(sw.ws.dir, 'versions.toml'), 'utf8'),
  };
}

let before: Awaited<ReturnType<typeof checkoutState>>;
let cacheBefore: Awaited<ReturnType<typeof sharedCacheDigest>>;
const pr = { removed: '', added: '', changed: '', additive: '', leaf: '' };
let failed: TrialOutcome;

beforeAll(async () => {
  sw = await createSandboxWorkspace();
  podman = await startPodmanService(join(sw.ws.dir, '..', 'podman'));
  api = await startGitHubApi({ token: TOKEN });
  Object.assign(sw.ws.env, { DOCKER_HOST: podman.dockerHost, GITHUB_API_URL: api.url, GITHUB_TOKEN: TOKEN });
  // A main build of the pins fills the shared cache every trial reads (the builds the trials' upstream need).
  const main = await sw.ws.nx('run-many', '-t', 'build', '--projects=bllvm-consensus,bllvm-protocol,bllvm-node,bllvm-sdk', '-c', 'sandbox', '--outputStyle=static');
  expect(main.exitCode, main.stdout.slice(-3000) + main.stderr.slice(-2000)).toBe(0);
  const lib = await readFile(join(RUST, 'bllvm-consensus/src/lib.rs'), 'utf8');
  const sdk = await readFile(join(RUST, 'bllvm-sdk/src/lib.rs'), 'utf8');
  // bllvm-protocol calls consensus::check_coinbase: renamed, it is gone for its downstream.
  pr.removed = await openPullRequest('bllvm-consensus', 7, { 'src/lib.rs': lib.replaceAll('check_coinbase', 'check_coinbase_reward') });
  pr.added = await openPullRequest('bllvm-consensus', 10, { 'src/lib.rs': `${lib}\n/// Added by the pull request.\npub fn trial_added() -> u32 {\n    10\n}\n` });
  // A parameter added to check_coinbase (its own tests follow): bllvm-protocol's call has one argument too few.
  const changed = lib
    .replace('pub fn check_coinbase(height: u64, claimed: u64, fees: u64)', 'pub fn check_coinbase(height: u64, claimed: u64, fees: u64, burned: u64)')
    .replace('let allowed = block_subsidy(height)\n', 'let allowed = block_subsidy(height)\n        .saturating_sub(burned)\n')
    .replace(/check_coinbase\(([^):]*)\)/g, 'check_coinbase($1, 0)');
  expect(changed.match(/check_coinbase\([^)]*\)/g)).toEqual(['check_coinbase(height: u64, claimed: u64, fees: u64, burned: u64)', ...Array(4).fill(expect.stringMatching(/, 0\)$/))]);
  expect(changed).toContain('.saturating_sub(burned)');
  pr.changed = await openPullRequest('bllvm-consensus', 11, { 'src/lib.rs': changed });
  pr.additive = await openPullRequest('bllvm-sdk', 8, { 'src/lib.rs': `${sdk}\n/// Added by the pull request: nothing downstream uses it yet.\npub fn trial_extra() -> u32 {\n    8\n}\n` });
  pr.leaf = await openPullRequest('bllvm', 9, { 'README.md': '# bllvm\n\nA leaf change.\n' });
  workflow = readWorkflow(await readFile(WORKFLOW, 'utf8'));
  before = await checkoutState();
  cacheBefore = await sharedCacheDigest();
  expect(cacheBefore.entries.length).toBeGreaterThanOrEqual(4);
}, 600_000);

afterAll(async () => {
  console.log(`trial e2e timings (ms): ${JSON.stringify(timings)}`);
  await api?.stop();
  await podman?.stop();
  await sw?.remove();
});

describe('trial', () => {
  it('fails an upstream pull request that removes a function a downstream uses, naming the downstream and its first error', async () => {
    const file = join(sw.ws.dir, '..', 'trial-7.json');
    const r = await cli('trial', 'bllvm-consensus', 'pull/7/head', '--pull-request', '7', '-c', 'sandbox', '--outcome-file', file);
    expect(r.code, r.err.slice(-3000)).toBe(1);
    expect(r.out).toMatch(/^bllvm-protocol\s+build\s+failed\s+error\[E0425\]: cannot find function `check_coinbase`/m);
    const o = JSON.parse(await readFile(file, 'utf8')) as TrialOutcome;
    failed = o;
    timings['trial of consensus (warm cache, fails)'] = r.ms;
    expect(o).toMatchObject({ component: 'bllvm-consensus', repository: 'BTCDecoded/bllvm-consensus', ref: 'pull/7/head', headSha: pr.removed, pullRequest: 7, conclusion: 'failure' });
    expect(o.graph.nodes).toEqual(['bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm', 'bllvm-sdk', 'governance-app']);
    expect(o.graph.edges).toContainEqual(['bllvm-consensus', 'bllvm-protocol']);
    const task = (p: string, t: string) => o.tasks.find((x) => x.project === p && x.target === t);
    // The component itself is fine at its head, built fresh (its pin moved); the downstream does not compile.
    expect(task('bllvm-consensus', 'build')?.status).toBe('built');
    expect(task('bllvm-consensus', 'test')?.status).toBe('built');
    expect(task('bllvm-protocol', 'build')).toMatchObject({ status: 'failed', firstError: expect.stringMatching(/^error\[E0425\]: cannot find function `check_coinbase`/) });
    expect(task('bllvm-node', 'build')?.status).toBe('skipped');
    // The compatibility gate agrees with the downstream build: the function is gone from the API.
    expect(o.api?.classification).toBe('breaking');
    expect(o.api!.items.join('\n')).toMatch(/check_coinbase/);
    expect(r.out).toMatch(/^public API of bllvm-consensus: breaking/m);
    expect(await checkoutState()).toEqual(before);
    expect(await sharedCacheDigest()).toEqual(cacheBefore);
  }, 300_000);

  it('refuses a forged head sha and builds nothing; a bad ref and an unknown component are one-line errors', async () => {
    api.state.insertPullRequest({ owner: 'BTCDecoded', repo: 'bllvm-consensus', number: 7, headSha: pr.removed });
    const event = join(sw.ws.dir, '..', 'event.json');
    const send = async (sha: string, ...more: string[]) => {
      await writeFile(event, JSON.stringify({ action: 'pull-request', client_payload: { repository: 'BTCDecoded/bllvm-consensus', number: 7, sha } }));
      return cli('trial', '--event-file', event, '--event-name', 'repository_dispatch', '--check-only', ...more);
    };
    const forged = await send(pr.leaf);
    expect(forged.code).toBe(1);
    expect(forged.err).toMatch(`event rejected: the event's head ${pr.leaf.slice(0, 12)} is not the head of pull request BTCDecoded/bllvm-consensus#7 (${pr.removed.slice(0, 12)}): refused, nothing built`);
    expect(forged.out).toBe('');
    expect(api.state.checkRuns('BTCDecoded', 'bllvm-consensus')).toEqual([]);
    const genuine = await send(pr.removed, '--open-check-run');
    expect(genuine.code, genuine.err).toBe(0);
    const lines = genuine.out.split('\n');
    expect(lines.slice(0, 5)).toEqual(['component=bllvm-consensus', 'repository=BTCDecoded/bllvm-consensus', `sha=${pr.removed}`, 'pull-request=7', 'fork=false']);
    const id = Number(/^check-run=(\d+)$/.exec(lines[5]!)![1]);
    expect(api.state.getCheckRun('BTCDecoded', 'bllvm-consensus', id)).toMatchObject({ headSha: pr.removed, status: 'in_progress', name: 'bllvm trial' });

    // The report job: the outcome the trial job left, checked, completes the check run.
    const outcome = join(sw.ws.dir, '..', 'outcome.json');
    const report = (file: string, sha = pr.removed) => cli('trial', '--report', file, '--repository', 'BTCDecoded/bllvm-consensus', '--sha', sha, '--check-run', String(id), '--job-result', 'failure');
    await writeFile(outcome, JSON.stringify({ ...failed, tasks: [...failed.tasks, { project: 'x', target: 'build', status: 'built', token: 'smuggled' }] }));
    const tampered = await report(outcome);
    expect(tampered.code).toBe(1);
    expect(tampered.err).toMatch(/the trial outcome is not usable: .*outcome\.json: tasks\[\d+\] has an unexpected key "token"/);
    await writeFile(outcome, JSON.stringify(failed));
    const elsewhere = await report(outcome, pr.additive);
    expect(elsewhere.err).toMatch(/is of BTCDecoded\/bllvm-consensus@\w{12}, not of the checked head/);
    const done = await report(outcome);
    expect(done.code, done.err).toBe(0);
    const run = api.state.getCheckRun('BTCDecoded', 'bllvm-consensus', id)!;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(`${run.output.summary}\n${run.output.text}`).toMatch(/bllvm-protocol[\s\S]*check_coinbase/);
    expect(run.output.summary).toMatch(/API compatibility[\s\S]*\*\*breaking\*\*/);
    expect(api.validationErrors()).toEqual([]);

    // A shared remote cache the trial may use only with the read token: a write token is refused before anything is built.
    await mkdir(join(sw.ws.dir, '..', 'cache-store'));
    const server = await startCacheServer({ storeDir: join(sw.ws.dir, '..', 'cache-store'), readTokens: ['read-token'], writeTokens: ['write-token'], log: () => {} });
    try {
      Object.assign(sw.ws.env, { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: 'write-token' });
      const writer = await cli('trial', 'bllvm-consensus', pr.removed);
      expect(writer.code).toBe(1);
      expect(writer.err).toMatch(/the remote cache token may write: a trial is given the cache's read token only/);
      expect(writer.err).not.toContain('write-token');
      expect(server.stats().writes).toBe(0);
    } finally {
      delete sw.ws.env.NX_SELF_HOSTED_REMOTE_CACHE_SERVER;
      delete sw.ws.env.NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN;
      await server.stop();
    }

    const badRef = await cli('trial', 'bllvm-consensus', 'no-such-branch');
    expect(badRef.code).toBe(1);
    expect(badRef.err).toMatch(/ref "no-such-branch" does not exist in BTCDecoded\/bllvm-consensus/);
    const unknown = await cli('trial', 'bllvm-nope', 'main');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/unknown component "bllvm-nope"/);
    expect(await sharedCacheDigest()).toEqual(cacheBefore);
    expect(await checkoutState()).toEqual(before);
  }, 120_000);

  it('passes an upstream pull request that only adds a function: additive, every downstream built at its pin', async () => {
    // The Trial workflow's path for a pull request of the repository itself: accept, the trial with the env the workflow gives it, the report.
    api.state.insertPullRequest({ owner: 'BTCDecoded', repo: 'bllvm-consensus', number: 10, headSha: pr.added });
    const accepted = await acceptStep(10, pr.added);
    expect(accepted.code, accepted.err).toBe(0);
    expect(accepted.out.split('\n').slice(0, 5)).toEqual(['component=bllvm-consensus', 'repository=BTCDecoded/bllvm-consensus', `sha=${pr.added}`, 'pull-request=10', 'fork=false']);
    const env = trialStepEnv(accepted.out);
    expect(env).toMatchObject({ COMPONENT: 'bllvm-consensus', SHA: pr.added, NUMBER: '10', NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: SECRETS.NX_CACHE_READ_TOKEN });
    // The cache's read token and no other secret (no cache server is configured here, so the trial drops it too).
    expect(holdingSecrets(env)).toEqual(['NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN']);
    const file = join(sw.ws.dir, '..', 'trial-10.json');
    const r = await cliWith({ ...machineEnv(), ...env }, 'trial', env.COMPONENT!, env.SHA!, '--pull-request', env.NUMBER!, '--outcome-file', file, '-c', 'sandbox', '--targets', 'build', '--json');
    expect(r.code, r.err.slice(-3000) + r.out.slice(-2000)).toBe(0);
    const o = JSON.parse(r.out) as TrialOutcome;
    timings['trial of consensus (additive, build only)'] = r.ms;
    expect(o).toMatchObject({ component: 'bllvm-consensus', headSha: pr.added, conclusion: 'success' });
    expect(o.tasks.filter((t) => t.status === 'failed')).toEqual([]);
    expect(o.tasks.find((t) => t.project === 'bllvm-protocol' && t.target === 'build')?.status, 'the downstream that failed on the removal builds').toBe('built');
    expect(o.api).toEqual({ classification: 'additive', items: [expect.stringContaining('trial_added')] });
    expect(await sharedCacheDigest()).toEqual(cacheBefore);

    const done = await cli('trial', '--report', file, '--repository', 'BTCDecoded/bllvm-consensus', '--sha', pr.added, '--check-run', String(accepted.checkRun), '--job-result', r.code === 0 ? 'success' : 'failure');
    expect(done.code, done.err).toBe(0);
    expect(done.out).toBe(`check run ${accepted.checkRun} completed: success`);
    const run = api.state.getCheckRun('BTCDecoded', 'bllvm-consensus', accepted.checkRun)!;
    expect(run).toMatchObject({ headSha: pr.added, name: 'bllvm trial', status: 'completed', conclusion: 'success' });
    expect(run.output.summary).toMatch(/API compatibility[\s\S]*\*\*additive\*\*[\s\S]*trial_added/);
    expect(run.output.summary).not.toMatch(/Disagreement/);
    expect(api.validationErrors()).toEqual([]);
  }, 300_000);

  it("a fork's pull request that changes a signature bllvm-protocol calls: its trial holds no secret, bllvm-protocol fails at the call, the gate and the check run say breaking", async () => {
    api.state.insertPullRequest({ owner: 'BTCDecoded', repo: 'bllvm-consensus', number: 11, headSha: pr.changed, headRepository: 'stranger/bllvm-consensus' });
    const accepted = await acceptStep(11, pr.changed);
    expect(accepted.code, accepted.err).toBe(0);
    expect(accepted.out.split('\n').slice(0, 5)).toEqual(['component=bllvm-consensus', 'repository=BTCDecoded/bllvm-consensus', `sha=${pr.changed}`, 'pull-request=11', 'fork=true']);
    expect(api.state.getCheckRun('BTCDecoded', 'bllvm-consensus', accepted.checkRun)).toMatchObject({ headSha: pr.changed, status: 'in_progress', name: 'bllvm trial' });
    // What the workflow gives the trial job of a fork's pull request: no secret at all, not even the cache's read token.
    const env = trialStepEnv(accepted.out);
    expect(env).toMatchObject({ COMPONENT: 'bllvm-consensus', SHA: pr.changed, NUMBER: '11', NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: '' });
    expect(holdingSecrets(env)).toEqual([]);
    // The trial run with exactly that, on what the runner machine provides: it still builds.
    const given = { ...machineEnv(), ...env };
    expect(holdingSecrets(given)).toEqual([]);
    const file = join(sw.ws.dir, '..', 'trial-11.json');
    const r = await cliWith(given, 'trial', env.COMPONENT!, env.SHA!, '--pull-request', env.NUMBER!, '--outcome-file', file, '-c', 'sandbox', '--targets', 'build');
    timings['trial of consensus (fork, changed signature, build only)'] = r.ms;
    expect(r.code, r.err.slice(-3000)).toBe(1);
    expect(r.out).toMatch(/^bllvm-protocol\s+build\s+failed\s+error\[E0061\]: this function takes 4 arguments but 3 arguments were supplied/m);
    const o = JSON.parse(await readFile(file, 'utf8')) as TrialOutcome;
    expect(o).toMatchObject({ component: 'bllvm-consensus', repository: 'BTCDecoded/bllvm-consensus', ref: pr.changed, headSha: pr.changed, pullRequest: 11, conclusion: 'failure' });
    const task = (p: string, t: string) => o.tasks.find((x) => x.project === p && x.target === t);
    expect(task('bllvm-consensus', 'build')?.status).toBe('built');
    expect(task('bllvm-protocol', 'build')).toMatchObject({ status: 'failed', firstError: expect.stringMatching(/^error\[E0061\]: this function takes 4 arguments but 3 arguments were supplied/) });
    const downstream = o.graph.nodes.filter((n) => n !== 'bllvm-consensus' && n !== 'bllvm-protocol');
    expect(downstream).toEqual(['bllvm-node', 'bllvm', 'bllvm-sdk', 'governance-app']);
    expect(downstream.map((n) => `${n}:${task(n, 'build')?.status}`)).toEqual(downstream.map((n) => `${n}:skipped`));
    // The gate: the same function, its signature changed (not removed and added).
    expect(o.api?.classification).toBe('breaking');
    expect(o.api!.items).toEqual([
      'changed fn bllvm_consensus::check_coinbase: fn check_coinbase(u64, u64, u64) -> core::result::Result<(), bllvm_consensus::ConsensusError> → fn check_coinbase(u64, u64, u64, u64) -> core::result::Result<(), bllvm_consensus::ConsensusError>',
    ]);
    expect(r.out).toMatch(/^public API of bllvm-consensus: breaking/m);

    const done = await cli('trial', '--report', file, '--repository', 'BTCDecoded/bllvm-consensus', '--sha', pr.changed, '--check-run', String(accepted.checkRun), '--job-result', r.code === 0 ? 'success' : 'failure');
    expect(done.code, done.err).toBe(0);
    expect(done.out).toBe(`check run ${accepted.checkRun} completed: failure`);
    const run = api.state.getCheckRun('BTCDecoded', 'bllvm-consensus', accepted.checkRun)!;
    expect(run).toMatchObject({ headSha: pr.changed, name: 'bllvm trial', status: 'completed', conclusion: 'failure' });
    expect(run.output.summary).toMatch(/bllvm-protocol[\s\S]*E0061/);
    expect(run.output.summary).toMatch(/API compatibility[\s\S]*\*\*breaking\*\*[\s\S]*changed fn bllvm_consensus::check_coinbase/);
    expect(api.validationErrors()).toEqual([]);
    expect(await checkoutState()).toEqual(before);
    expect(await sharedCacheDigest()).toEqual(cacheBefore);
  }, 300_000);

  it('passes an additive pull request, its downstream built at their pins; the upstream comes from the shared cache', async () => {
    const r = await cli('trial', 'bllvm-sdk', 'topic-8', '-c', 'sandbox', '--targets', 'build,test', '--json');
    expect(r.code, r.err.slice(-3000) + r.out.slice(-2000)).toBe(0);
    const o = JSON.parse(r.out) as TrialOutcome;
    timings['trial of sdk (warm cache, passes)'] = r.ms;
    expect(o).toMatchObject({ component: 'bllvm-sdk', headSha: pr.additive, conclusion: 'success', graph: { nodes: ['bllvm-sdk', 'governance-app'], edges: [['bllvm-sdk', 'governance-app']] } });
    const status = Object.fromEntries(o.tasks.map((t) => [`${t.project}:${t.target}`, t.status]));
    expect(status).toMatchObject({ 'bllvm-sdk:build': 'built', 'bllvm-sdk:test': 'built', 'governance-app:build': 'built', 'governance-app:test': 'built', 'bllvm-node:build': 'cache-hit' });
    expect(await checkoutState()).toEqual(before);
    expect(await sharedCacheDigest()).toEqual(cacheBefore);
  }, 300_000);

  it('a trial on a leaf builds only the leaf', async () => {
    const r = await cli('trial', 'bllvm', 'pull/9/head', '-c', 'sandbox', '--targets', 'build', '--json');
    expect(r.code, r.err.slice(-3000)).toBe(0);
    const o = JSON.parse(r.out) as TrialOutcome;
    timings['trial of the leaf bllvm (warm cache)'] = r.ms;
    expect(o.graph).toEqual({ nodes: ['bllvm'], edges: [] });
    expect(o.tasks.filter((t) => t.status === 'built').map((t) => `${t.project}:${t.target}`)).toEqual(['bllvm:build']);
    expect(o.tasks.map((t) => t.project)).toEqual(expect.arrayContaining(['bllvm-node']));
    expect(o.tasks.filter((t) => t.project !== 'bllvm').every((t) => t.status === 'cache-hit')).toBe(true);
    expect(await sharedCacheDigest()).toEqual(cacheBefore);
  }, 300_000);

  it('a later main build of the same commit gets nothing of the trial: it builds it again and fills the shared cache', async () => {
    // The trial built bllvm-consensus at pr.removed; the main build of that pin must not find it.
    await sw.pin('bllvm-consensus', pr.removed);
    await sw.ws.git('commit', '-qam', 'move bllvm-consensus to the pull request head');
    const r = await cli('build', '--targets', 'build', '--json');
    const report = JSON.parse(r.out) as { tasks: { task: string; status: string }[] };
    expect(report.tasks.find((t) => t.task === 'bllvm-consensus:build')?.status).toBe('built');
    const after = await sharedCacheDigest();
    expect(after.entries.length).toBeGreaterThan(cacheBefore.entries.length);
    expect(existsSync(join(sw.ws.dir, '.nx', 'cache'))).toBe(true);
  }, 300_000);

  it('version --check-api refuses a patch release of that breaking change, naming what breaks; --minor is accepted', async () => {
    // HEAD moved bllvm-consensus to the pull request that renamed check_coinbase; HEAD~1 is before it.
    const versions = await readFile(join(sw.ws.dir, 'versions.toml'), 'utf8');
    const patch = await cli('version', '--dry-run', '--check-api', '--api-base', 'HEAD~1');
    expect(patch.code, patch.err.slice(-3000)).toBe(1);
    expect(patch.err).toMatch(/public API of bllvm-consensus since HEAD~1: breaking/);
    expect(patch.err).toMatch(/bllvm-consensus 0\.1\.0 → 0\.1\.1 keeps cargo-compatible versions, but its public API has \d+ breaking changes?: it needs at least a minor bump\n\s+- .*check_coinbase/);
    const minor = await cli('version', '--dry-run', '--check-api', '--api-base', 'HEAD~1', '--minor', 'bllvm-consensus');
    expect(minor.code, minor.err.slice(-3000)).toBe(0);
    expect(minor.out).toMatch(/bllvm-consensus\s+bllvm-consensus\s+0\.1\.0\s+0\.2\.0/);
    expect(await readFile(join(sw.ws.dir, 'versions.toml'), 'utf8')).toBe(versions);
  }, 300_000);
});
