import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxWorkspace, createSandboxWorkspace } from '@bllvm/demo';
import { addCommit, setFault } from '@bllvm/sandbox';
import type { BisectReport } from '@bllvm/cli';
import { runCli } from '@bllvm/cli/testing';

// Cross-repository bisect on a real sandbox org: pins moved over several components in this
// repository's history, a test regression planted in one component's range (behind a commit that
// does not build), found by building states in a scratch clone with the shared cache.

let sw: SandboxWorkspace;
let good: string;
let faultStep: string;
const planted = { before: '', broken: '', fault: '' };

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { cwd: sw.ws.dir, env: { ...process.env, ...sw.ws.env }, out: (l) => out.push(l), err: (l) => err.push(l) });
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
});
