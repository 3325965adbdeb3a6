import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxWorkspace, createSandboxWorkspace } from '@bllvm/demo';
import { addCommit, setFault } from '@bllvm/sandbox';
import type { BisectReport } from '@bllvm/cli';
import { runCli } from '@bllvm/cli/testing';

// Cross-repository bisect on a real sandbox org: pins moved over several components in this
// repository's history, a test regression planted in one component's range (behind a commit that
// does not build), found by building states in a scratch clone with the shared cache; then found
// again by an operator's --run command, which runs in the build sandbox and sees nothing else.

let sw: SandboxWorkspace;
let good: string;
let faultStep: string;
const planted = { before: '', broken: '', fault: '' };

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return cliWith({}, ...args);
}

async function cliWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { cwd: sw.ws.dir, env: { ...process.env, ...sw.ws.env, ...env }, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function movePin(component: string, commit: string): Promise<string> {
  await sw.pin(component, commit);
  await sw.ws.git('commit', '-qam', `move ${component} to ${commit.slice(0, 7)}`);
  return (await sw.ws.git('rev-parse', 'HEAD')).trim();
}

beforeAll(async () => {
  sw = await createSandboxWorkspace();
  good = (await sw.ws.git('rev-parse', 'HEAD')).trim();
  const commits = async (repo: string, n: number) => {
    let head = '';
    for (let i = 0; i < n; i++) head = await addCommit(sw.org, repo as never);
    return head;
  };
  await movePin('bllvm-consensus', await commits('bllvm-consensus', 2));
  await movePin('bllvm-node', await commits('bllvm-node', 2));
  await sw.ws.git('commit', '-q', '--allow-empty', '-m', 'docs: no pin moves here');
  // bllvm-protocol's range: a good commit, one that does not build, its fix, the test regression, one more.
  await addCommit(sw.org, 'bllvm-protocol');
  planted.broken = await setFault(sw.org, 'bllvm-protocol', 'build');
  planted.before = await setFault(sw.org, 'bllvm-protocol', null);
  planted.fault = await setFault(sw.org, 'bllvm-protocol', 'test');
  faultStep = await movePin('bllvm-protocol', await addCommit(sw.org, 'bllvm-protocol'));
  await movePin('bllvm-consensus', await commits('bllvm-consensus', 1));
  await movePin('bllvm-node', await commits('bllvm-node', 1));
  await movePin('bllvm-protocol', await commits('bllvm-protocol', 1));
}, 600_000);

afterAll(async () => sw?.remove());

describe('bisect', () => {
  it('names the component commit that broke the tests, skipping one that does not build, within the bound', async () => {
    const head = (await sw.ws.git('rev-parse', 'HEAD')).trim();
    const pinsBefore = (await sw.ws.git('ls-files', '-s', 'apps'));
    const r = await cli('bisect', '--good', good, '--bad', 'HEAD', '--json');
    expect(r.code, r.err.slice(-4000)).toBe(0);
    const report = JSON.parse(r.out) as BisectReport;
    expect(report.task).toBe('bllvm-protocol:test');
    expect(report.steps).toBe(6);
    expect(report.firstBadStep?.commit).toBe(faultStep);
    expect(report.culprit?.component).toBe('bllvm-protocol');
    expect(report.culprit?.commit.sha).toBe(planted.fault);
    expect(report.culprit?.commit.subject).toBe('Inject test fault (bllvm sandbox)');
    expect(report.culprit?.lastGood.sha).toBe(planted.before);
    expect(report.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/^bllvm-protocol does not build here/)]);
    expect(report.skipped[0]!.state).toContain(planted.broken.slice(0, 12));
    // ⌈log₂ 6⌉ steps + ⌈log₂ 5⌉ commits + the two ends; the skip costs one more.
    expect(report.bound).toBe(3 + 3 + 2);
    expect(report.builds).toBeLessThanOrEqual(report.bound + report.skipped.length);
    // Inside protocol's range nothing upstream moves: consensus comes from the cache every time.
    const inRange = report.probes.filter((p) => p.phase === 'commits');
    expect(inRange.length).toBeGreaterThan(0);
    for (const p of inRange) expect(p.cached, p.state).toBeGreaterThanOrEqual(1);
    expect(report.cacheHits).toBeGreaterThanOrEqual(inRange.length);
    expect(report.failure).toMatch(/fault|panicked|FAILED/i);
    // The real pins and this checkout's history are untouched.
    expect((await sw.ws.git('rev-parse', 'HEAD')).trim()).toBe(head);
    expect((await sw.ws.git('ls-files', '-s', 'apps'))).toBe(pinsBefore);
    expect((await sw.ws.git('status', '--porcelain')).trim()).toBe('');
  }, 900_000);

  it('refuses a good end that is not good, saying which task fails there', async () => {
    const r = await cli('bisect', '--good', faultStep, '--bad', 'HEAD', '--component', 'bllvm-protocol');
    expect(r.code, r.err.slice(-3000)).toBe(2);
    expect(r.err).toMatch(new RegExp(`the good end ${faultStep} \\(${faultStep.slice(0, 12)}\\) is not good: bllvm-protocol:test failed`));
  }, 600_000);

  it('refuses ends that are not in order, and a range that moved no pin', async () => {
    const backwards = await cli('bisect', '--good', 'HEAD', '--bad', good);
    expect(backwards.code).not.toBe(0);
    expect(backwards.err).toMatch(/is not an ancestor of/);
    const none = await cli('bisect', '--good', 'HEAD', '--bad', 'HEAD');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no commit between HEAD and HEAD moved a pin/);
  });

  it('with --run, a command in the build sandbox judges each built state and names the same culprit', async () => {
    // One test by name, offline, with the build's cargo configuration: it fails (exit 101) from the
    // injected fault on and matches nothing (exit 0) before it. The state's build record is at /dist.
    const command = 'test -s /dist/build/build.json || exit 200; cargo test --offline --lib sandbox_injected_test_fault';
    const r = await cli('bisect', '--good', good, '--bad', 'HEAD', '--component', 'bllvm-protocol', '--run', command, '--json');
    expect(r.code, r.err.slice(-4000)).toBe(0);
    const report = JSON.parse(r.out) as BisectReport;
    expect(report.task).toBe('bllvm-protocol:build');
    expect(report.command).toBe(command);
    expect(report.culprit?.commit.sha).toBe(planted.fault);
    expect(report.culprit?.lastGood.sha).toBe(planted.before);
    // The commit that does not build is skipped before the command runs; every other state is the command's.
    expect(report.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/^bllvm-protocol:build failed.*; the command runs only where bllvm-protocol:build passes$/)]);
    for (const p of report.probes.filter((p) => p.verdict !== 'skip')) expect(p.commandExit, p.state).toBe(p.verdict === 'bad' ? 101 : 0);
    expect(report.failure).toMatch(/injected test fault/);
    expect(report.skipped[0]!.commandExit).toBeUndefined();
    expect((await sw.ws.git('status', '--porcelain')).trim()).toBe('');
  }, 900_000);

  it('with --run, the command sees no token and no network and cannot write a checkout; an exit of 128 or more stops the bisection', async () => {
    let connections = 0;
    const server = createServer((s) => { connections++; s.destroy(); });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    const tokens = { GITHUB_TOKEN: `ghp_${'Q'.repeat(36)}`, ORCHESTRATOR_TOKEN: 'orchestrator-token-value-5a1b', BLLVM_DEPLOY_TOKEN: 'deploy-token-value-77c0' };
    const saw = '/target/bisect-run-saw.txt';
    // What the command saw, written where the test can read it as data; then an exit git bisect run reads as "stop".
    const command = [
      `{ env | sort; echo "uid=$(id -u)"`,
      // Controls: the tools the probes use run here, so a "none" or "read-only" below is the sandbox's doing.
      `bash -c 'exit 0' && echo bash=runs; touch /target/.bisect-run-probe && echo target=writable`,
      `if bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port}' 2>/dev/null; then echo net=reached; else echo net=none; fi`,
      `for d in /src/*; do if touch "$d/.bisect-run-probe" 2>/dev/null; then echo "checkout-writable=$d"; else echo "checkout-read-only=$d"; fi; done`,
      `if touch /dist/.bisect-run-probe 2>/dev/null; then echo dist=writable; else echo dist=read-only; fi`,
      `if cargo metadata --offline --format-version 1 >/dev/null 2>&1; then echo cargo=resolves; else echo cargo=fails; fi; } > ${saw}`,
      'exit 130',
    ].join('\n');
    try {
      const r = await cliWith(tokens, 'bisect', '--good', good, '--bad', 'HEAD', '--component', 'bllvm-protocol', '--run', command);
      expect(r.code, r.err.slice(-3000)).toBe(1);
      expect(r.err).toMatch(/bisect stopped at bad end [0-9a-f]{12}: the command exited 130 \(128 or more/);
      for (const t of Object.values(tokens)) expect(r.out + r.err).not.toContain(t);
    } finally {
      server.close();
    }
    const workDir = sw.ws.env.BLLVM_WORK_DIR!;
    const seen = await readFile(join(workDir, 'target', 'bllvm-protocol', 'build', 'bisect-run-saw.txt'), 'utf8');
    const lines = seen.split('\n');
    expect(lines).toContain('CARGO_HOME=/cargo-home');
    expect(lines).toContain('CARGO_TARGET_DIR=/target');
    expect(lines).toContain('uid=1000');
    for (const t of Object.values(tokens)) expect(seen).not.toContain(t);
    expect(seen).not.toMatch(/TOKEN|GITHUB_|NX_/);
    expect(lines).toEqual(expect.arrayContaining(['bash=runs', 'target=writable', 'net=none']));
    expect(connections).toBe(0);
    expect(lines.filter((l) => l.startsWith('checkout-read-only=/src/')).length).toBeGreaterThanOrEqual(2);
    expect(lines.filter((l) => l.startsWith('checkout-writable='))).toEqual([]);
    expect(lines).toContain('dist=read-only');
    expect(lines).toContain('cargo=resolves');
    for (const folder of await readdir(join(workDir, 'sources'))) expect(existsSync(join(workDir, 'sources', folder, '.bisect-run-probe')), folder).toBe(false);
  }, 600_000);
});
