import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '@bllvm/demo';
import { RUNNER_CLASSES } from '@bllvm/manifest';
import { criticalPath, classOfLabels } from './fleet';
import { parseOutputs } from './runner';
import { runnerKindFor, runnerKindsFor } from './runner-kinds';
import { needsStatus, readiness } from './schedule';
import { type Job, jobOrder, readWorkflow } from './workflow-jobs';

const job = (id: string, needs: string[] = [], ifc?: string): Job => ({ id, name: id, runsOn: [], needs, if: ifc, env: {}, outputs: {}, steps: [] });

describe('the nightly workflow as the fleet reads it', () => {
  it('has a plan job, one job per runner class on its labels, and a publish job after all of them', async () => {
    const wf = readWorkflow(await readFile(join(WORKSPACE_ROOT, '.github/workflows/nightly.yml'), 'utf8'));
    expect(jobOrder(wf.jobs).map((j) => j.id)).toEqual(['pin', 'plan', 'builds', 'perf', 'docker', 'publish']);
    for (const cls of ['builds', 'perf', 'docker'] as const) expect(classOfLabels(wf.jobs.find((j) => j.id === cls)!.runsOn)).toBe(cls);
    expect(wf.jobs.find((j) => j.id === 'publish')!.needs).toEqual(expect.arrayContaining(['builds', 'perf', 'docker']));
    expect(wf.jobs.find((j) => j.id === 'docker')!.needs).toContain('builds');
    expect(wf.jobs.find((j) => j.id === 'perf')!.needs).not.toContain('builds');
    expect(classOfLabels(RUNNER_CLASSES.perf)).toBe('perf');
  });

  it('gives the jobs holding tokens release runners, which no class job can be given, and the class jobs runners of their class', async () => {
    const wf = readWorkflow(await readFile(join(WORKSPACE_ROOT, '.github/workflows/nightly.yml'), 'utf8'));
    const kinds = Object.fromEntries(wf.jobs.map((j) => [j.id, runnerKindsFor(j.runsOn)]));
    expect(Object.fromEntries(wf.jobs.map((j) => [j.id, runnerKindFor(j.runsOn)]))).toEqual({ pin: 'release', plan: 'builds', builds: 'builds', perf: 'perf', docker: 'docker', publish: 'release' });
    // A release runner can be given pin and publish only; they can be given a release runner only.
    expect([kinds.pin, kinds.publish]).toEqual([['release'], ['release']]);
    for (const id of ['plan', 'builds', 'perf', 'docker']) expect(kinds[id], id).not.toContain('release');
    expect(runnerKindFor(['self-hosted', 'Linux', 'X64', 'gpu'])).toBeUndefined();
  });

  it('refuses a cycle or an unknown need', () => {
    expect(() => jobOrder([job('a', ['b']), job('b', ['a'])])).toThrow('jobs need each other: a → b → a');
    expect(() => jobOrder([job('a', ['x'])])).toThrow('job a needs x, which is not a job of this workflow');
  });
});

describe('scheduling as GitHub does', () => {
  const r = (o: Record<string, 'success' | 'failure' | 'skipped' | 'cancelled'>) => new Map(Object.entries(o));
  it('starts a job once its needs are done, skips it after a failed or skipped need unless its if: says otherwise', () => {
    expect(readiness(job('d', ['b']), r({}))).toBe('wait');
    expect(readiness(job('d', ['b']), r({ b: 'success' }))).toBe('start');
    expect(readiness(job('d', ['b']), r({ b: 'failure' }))).toBe('skip');
    expect(readiness(job('p', ['b', 'c'], "${{ !cancelled() && !contains(needs.*.result, 'failure') }}"), r({ b: 'success', c: 'skipped' }))).toBe('start');
    expect(needsStatus(job('p', ['b', 'c']), r({ b: 'success', c: 'skipped' }))).toBe('needs-skipped');
    expect(needsStatus(job('p', ['b', 'c']), r({ b: 'failure', c: 'skipped' }))).toBe('failure');
  });

  it('measures the critical path along needs', () => {
    const wf = { name: 'w', env: {}, jobs: [job('a'), job('b', ['a']), job('c', ['a']), job('d', ['b', 'c'])] };
    expect(criticalPath(wf, new Map(Object.entries({ a: { ms: 1 }, b: { ms: 10 }, c: { ms: 3 }, d: { ms: 2 } })))).toBe(13);
  });
});

describe('$GITHUB_OUTPUT', () => {
  it('reads name=value lines and heredoc blocks', () => {
    expect(parseOutputs('commit=abc\nbuilds=true\nnotes<<EOF\nline 1\nline 2\nEOF\nx=a=b\n')).toEqual({ commit: 'abc', builds: 'true', notes: 'line 1\nline 2', x: 'a=b' });
  });
});
