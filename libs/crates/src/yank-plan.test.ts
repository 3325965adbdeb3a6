import { describe, expect, it } from 'vitest';
import type { IndexEntry } from './publish-index-line';
import { type YankJournal, parseYankJournal, progress, runDecision, yankDecision, yankOrder } from './yank-plan';

const set = (...items: string[]) =>
  items.map((s) => {
    const [component, version] = s.split('@') as [string, string];
    return { component, crate: `blvm-${component}`, version };
  });

const entry = (vers: string, yanked: boolean): IndexEntry => ({ name: 'blvm-node', vers, deps: [], cksum: 'a'.repeat(64), features: {}, yanked, links: null });

function journal(over: Partial<YankJournal> = {}): YankJournal {
  return {
    schema: 1,
    tag: 'v0.2.0',
    registry: 'sparse+http://127.0.0.1:1/index/',
    crates: set('node@0.1.1', 'protocol@0.1.3', 'consensus@0.1.5').map((c) => ({ ...c, state: 'pending' as const })),
    releases: 'pending',
    versions: 'pending',
    ...over,
  };
}

describe('yankOrder', () => {
  it('yanks dependents first: the chain order reversed', () => {
    expect(yankOrder(set('consensus@0.1.5', 'protocol@0.1.3', 'node@0.1.1')).yank.map((c) => c.component)).toEqual(['node', 'protocol', 'consensus']);
  });

  it('keeps a crate the previous release had at the same version: it belongs to the last good set too', () => {
    const { yank, kept } = yankOrder(set('consensus@0.1.5', 'protocol@0.1.2', 'node@0.1.1'), set('consensus@0.1.4', 'protocol@0.1.2', 'node@0.1.0'));
    expect(yank.map((c) => `${c.component}@${c.version}`)).toEqual(['node@0.1.1', 'consensus@0.1.5']);
    expect(kept.map((c) => `${c.component}@${c.version}`)).toEqual(['protocol@0.1.2']);
  });
});

describe('yankDecision', () => {
  it('yanks what the index lists as installable, counts an already yanked version as done, and one never published as nothing to do', () => {
    expect(yankDecision(entry('0.1.1', false))).toEqual({ action: 'yank' });
    expect(yankDecision(entry('0.1.1', true))).toEqual({ action: 'done', state: 'yanked', why: 'already yanked' });
    expect(yankDecision(undefined)).toEqual({ action: 'done', state: 'absent', why: 'not on the registry: nothing to yank' });
  });
});

describe('runDecision', () => {
  const file = '/w/yank/v0.2.0.json';

  it('starts without a journal; --resume without one names the file it looked for', () => {
    expect(runDecision(undefined, { tag: 'v0.2.0', resume: false, file })).toEqual({ run: 'start' });
    expect(runDecision(undefined, { tag: 'v0.2.0', resume: true, file })).toEqual({ run: 'refuse', why: `nothing to resume: no journal of a yank of v0.2.0 at ${file}` });
  });

  it('continues an unfinished journal only with --resume, and says where it stopped otherwise', () => {
    const stopped = journal({ crates: [{ ...journal().crates[0]!, state: 'yanked' }, { ...journal().crates[1]!, state: 'failed', reason: 'HTTP 400: refused' }, journal().crates[2]!] });
    expect(runDecision(stopped, { tag: 'v0.2.0', resume: true, file })).toEqual({ run: 'continue', journal: stopped });
    expect(runDecision(stopped, { tag: 'v0.2.0', resume: false, file })).toEqual({
      run: 'refuse',
      why: 'an earlier yank of v0.2.0 stopped (1 of 3 crates done; blvm-protocol 0.1.3 failed: HTTP 400: refused; GitHub releases pending; versions.toml pending); rerun with --resume to continue it',
    });
  });

  it('a finished journal leaves nothing to do, --resume or not', () => {
    const done = journal({ crates: journal().crates.map((c, i) => ({ ...c, state: i === 2 ? 'absent' : 'yanked' })), releases: 'done', versions: 'skipped' });
    expect(runDecision(done, { tag: 'v0.2.0', resume: false, file })).toEqual({ run: 'finished', journal: done });
    expect(runDecision(done, { tag: 'v0.2.0', resume: true, file }).run).toBe('finished');
    expect(runDecision({ ...done, versions: 'pending' }, { tag: 'v0.2.0', resume: true, file }).run).toBe('continue');
  });

  it('refuses a journal of another release', () => {
    expect(runDecision(journal({ tag: 'v0.1.0' }), { tag: 'v0.2.0', resume: true, file })).toEqual({ run: 'refuse', why: `${file} is the journal of a yank of v0.1.0, not v0.2.0` });
  });

  it('describes progress in one line', () => {
    expect(progress(journal())).toBe('0 of 3 crates done; GitHub releases pending; versions.toml pending');
  });
});

describe('parseYankJournal', () => {
  it('reads back what it is given', () => {
    const j = journal({ crates: [{ ...journal().crates[0]!, state: 'failed', reason: 'x' }] });
    expect(parseYankJournal(JSON.parse(JSON.stringify(j)), 'j.json')).toEqual(j);
  });

  it.each([
    [{ ...journal(), schema: 3 }, 'j.json: schema must be 1, got 3'],
    [{ ...journal(), releases: 'half' }, 'j.json: releases must be one of pending, done, skipped, got "half"'],
    [{ ...journal(), crates: [{ component: 'node', crate: 'blvm-node', version: '0.1.1', state: 'gone' }] }, 'j.json: crates[0].state must be one of pending, yanked, absent, failed, got "gone"'],
    [{ ...journal(), crates: [{ component: 'node', crate: 'blvm node', version: '0.1.1', state: 'pending' }] }, 'j.json: crates[0].crate must be a name, got "blvm node"'],
    [null, 'j.json: is not a JSON object'],
  ])('refuses a bad journal in one line: %#', (json, message) => {
    expect(() => parseYankJournal(json, 'j.json')).toThrow(message);
  });
});
