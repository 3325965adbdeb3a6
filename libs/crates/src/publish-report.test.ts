import { describe, expect, it } from 'vitest';
import { startJournal, transition } from './journal';
import { checkReleaseCrates, internalDependencies, ReleaseCratesError, type ReleaseCrate } from './publish-graph';
import { buildReport, renderReport } from './publish-report';

const sha = (c: string) => c.repeat(64);
const crate = (name: string, dependsOn: string[] = []): ReleaseCrate => ({ name, version: '1.0.0', crateFile: `/p/${name}.crate`, sha256: sha('a'), dependsOn });
const GRAPH = [crate('base'), crate('mid', ['base']), crate('side'), crate('top', ['mid'])];
const T0 = new Date('2030-01-01T00:00:00Z');

describe('the report', () => {
  let j = startJournal(undefined, GRAPH, 'sparse+https://reg.example/index/', 'j.json', T0);
  j = transition(j, 'base', { state: 'uploaded' }, T0);
  j = transition(j, 'base', { state: 'done' }, T0);
  j = transition(j, 'mid', { state: 'failed', reason: 'HTTP 400: refused' }, T0);
  j = transition(j, 'side', { state: 'done' }, T0);
  j = transition(j, 'top', { state: 'blocked', behind: ['mid'] }, T0);

  it('says what became of each crate, and why', () => {
    const report = buildReport(j, 'j.json', new Set(['base']));
    expect(report.complete).toBe(false);
    expect(report.counts).toEqual({ published: 1, 'already-present': 1, failed: 1, blocked: 1, pending: 0 });
    expect(report.crates.map((c) => [c.name, c.outcome, c.uploadedThisRun])).toEqual([
      ['base', 'published', true],
      ['mid', 'failed', false],
      ['side', 'already-present', false],
      ['top', 'blocked', false],
    ]);
    expect(report.crates[3]!.behind).toEqual([{ crate: 'mid', reason: 'HTTP 400: refused' }]);
    expect(renderReport(report)).toBe(
      [
        'crates to sparse+https://reg.example/index/: 1 published, 1 already there, 1 failed, 1 blocked',
        '  published      base 1.0.0',
        '  FAILED         mid 1.0.0: HTTP 400: refused',
        '  already there  side 1.0.0',
        '  blocked        top 1.0.0: waits for mid (failed)',
        'journal j.json: run again to retry the failed crates and those blocked behind them',
      ].join('\n'),
    );
  });

  it('tells a rerun after success from the run that uploaded', () => {
    let done = j;
    for (const name of ['mid', 'top']) done = transition(transition(done, name, { state: 'uploaded' }, T0), name, { state: 'done' }, T0);
    const report = buildReport(done, 'j.json', new Set());
    expect(report.complete).toBe(true);
    expect(renderReport(report).split('\n')[0]).toBe('crates to sparse+https://reg.example/index/: 3 published (0 by this run), 1 already there');
  });
});

describe('checkReleaseCrates', () => {
  const problem = (crates: ReleaseCrate[]) => {
    try {
      checkReleaseCrates(crates);
    } catch (error) {
      expect(error).toBeInstanceOf(ReleaseCratesError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  it('accepts graph order, with dependencies outside the release taken as published', () => {
    expect(checkReleaseCrates([...GRAPH, crate('extra', ['serde', 'top'])])).toHaveLength(5);
    expect(internalDependencies(GRAPH, crate('x', ['serde', 'mid', 'mid']))).toEqual(['mid']);
  });

  it('refuses a list that cannot be published as given', () => {
    expect(problem([crate('mid', ['base']), crate('base')])).toBe('crates[0] (mid): depends on base, which comes later (crates[1]); list the crates in graph order');
    expect(problem([crate('base'), crate('Base')])).toBe('crates[1] (Base): the release lists Base twice (also crates[0])');
    expect(problem([crate('base', ['base'])])).toBe('crates[0] (base): depends on itself');
    expect(problem([{ ...crate('base'), sha256: 'x' }])).toBe('crates[0] (base): `sha256` must be 64 lowercase hex digits');
    expect(problem([{ ...crate('base'), version: '1.0' }])).toBe('crates[0] (base): `version` "1.0" is not a semantic version');
    expect(problem([{ ...crate('base'), name: '../x' }])).toBe('crates[0] (../x): `name` must be a crate name');
  });
});
