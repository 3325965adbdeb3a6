import { describe, expect, it } from 'vitest';
import { startJournal, transition, type Journal, type Transition } from './journal';
import { conflictReason, judgeIndexEntry, nextSteps } from './publish-decide';
import type { ReleaseCrate } from './publish-graph';
import type { IndexEntry } from './publish-index-line';

const sha = (c: string) => c.repeat(64);
const crate = (name: string, dependsOn: string[] = [], sum = 'a'): ReleaseCrate => ({ name, version: '1.0.0', crateFile: `/p/${name}.crate`, sha256: sha(sum), dependsOn });

// base ← mid ← top, and side (independent); top also uses an outside crate that is not in the release.
const GRAPH = [crate('base'), crate('mid', ['base']), crate('side'), crate('top', ['mid', 'base', 'serde'])];
const T0 = new Date('2030-01-01T00:00:00Z');

function journal(states: Record<string, Transition[]>): Journal {
  let j = startJournal(undefined, GRAPH, 'reg', 'j.json', T0);
  for (const [name, ts] of Object.entries(states)) for (const t of ts) j = transition(j, name, t, T0);
  return j;
}

const DONE: Transition[] = [{ state: 'done' }];
const kinds = (j: Journal) => nextSteps(j, GRAPH).map((s) => `${s.kind} ${s.crate}`);

describe('nextSteps', () => {
  it('starts with the crates whose release dependencies are done, in graph order', () => {
    expect(kinds(journal({}))).toEqual(['check base', 'check side']);
    expect(kinds(journal({ base: DONE }))).toEqual(['check mid', 'check side']);
    expect(kinds(journal({ base: DONE, mid: DONE, side: DONE }))).toEqual(['check top']);
  });

  it('waits for an accepted upload to show in the index before its dependents start', () => {
    expect(kinds(journal({ base: [{ state: 'uploaded' }] }))).toEqual(['await base', 'check side']);
    expect(kinds(journal({ base: [{ state: 'uploaded' }, { state: 'visible', indexChecksum: sha('a') }] }))).toEqual(['finish base', 'check side']);
  });

  it('turns a version listed with other bytes into a conflict', () => {
    const steps = nextSteps(journal({ base: [{ state: 'uploaded' }, { state: 'visible', indexChecksum: sha('f') }] }), GRAPH);
    expect(steps[0]).toEqual({ kind: 'conflict', crate: 'base', indexChecksum: sha('f') });
  });

  it('blocks the dependents of a failure, transitively, and lets independent crates go on', () => {
    const failed = journal({ base: DONE, mid: [{ state: 'failed', reason: 'refused' }] });
    expect(nextSteps(failed, GRAPH)).toEqual([
      { kind: 'check', crate: 'side' },
      { kind: 'block', crate: 'top', behind: ['mid'] },
    ]);
    const rootFailed = journal({ base: [{ state: 'failed', reason: 'x' }] });
    expect(kinds(rootFailed)).toEqual(['block mid', 'check side', 'block top']);
    const midBlocked = transition(rootFailed, 'mid', { state: 'blocked', behind: ['base'] }, T0);
    expect(nextSteps(midBlocked, GRAPH)).toEqual([
      { kind: 'check', crate: 'side' },
      { kind: 'block', crate: 'top', behind: ['base'] },
    ]);
    const allSettled = transition(transition(midBlocked, 'top', { state: 'blocked', behind: ['base'] }, T0), 'side', { state: 'done' }, T0);
    expect(nextSteps(allSettled, GRAPH)).toEqual([]);
  });

  it('is over when everything is done', () => {
    expect(nextSteps(journal({ base: DONE, mid: DONE, side: DONE, top: DONE }), GRAPH)).toEqual([]);
  });

  it('continues a rerun from the journal: failures start over, done stays done', () => {
    const stopped = journal({ base: DONE, mid: [{ state: 'failed', reason: 'refused' }], side: DONE, top: [{ state: 'blocked', behind: ['mid'] }] });
    const rerun = startJournal(stopped, GRAPH, 'reg', 'j.json', T0);
    expect(rerun.entries.map((e) => e.state)).toEqual(['done', 'pending', 'done', 'pending']);
    expect(kinds(rerun)).toEqual(['check mid']);
  });
});

describe('judgeIndexEntry', () => {
  const entry = (cksum: string, yanked = false): IndexEntry => ({ name: 'base', vers: '1.0.0', deps: [], cksum, features: {}, yanked, links: null });
  it('says what the index entry means for the crate', () => {
    expect(judgeIndexEntry(sha('a'), undefined)).toEqual({ kind: 'absent' });
    expect(judgeIndexEntry(sha('a'), entry(sha('a')))).toEqual({ kind: 'present' });
    expect(judgeIndexEntry(sha('a'), entry(sha('a'), true))).toEqual({ kind: 'yanked' });
    expect(judgeIndexEntry(sha('a'), entry(sha('b')))).toEqual({ kind: 'conflict', indexChecksum: sha('b') });
  });

  it('names both checksums in a conflict', () => {
    const reason = conflictReason({ name: 'base', version: '1.0.0', sha256: sha('a') }, 'reg', sha('b'));
    expect(reason).toContain(`checksum ${sha('b')}`);
    expect(reason).toContain(`.crate has checksum ${sha('a')}`);
    expect(reason).toMatch(/never overwritten/);
  });
});
