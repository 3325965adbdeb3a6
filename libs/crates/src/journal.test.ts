import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManifestError, OrchestratorError } from '@bllvm/manifest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJournal, releaseOf, startJournal, transition, type Journal } from './journal';
import { lockJournal, readJournal, writeJournal } from './journal-file';
import type { ReleaseCrate } from './publish-graph';

const sha = (c: string) => c.repeat(64);
const crate = (name: string, dependsOn: string[] = [], sum = 'a', version = '1.0.0'): ReleaseCrate => ({ name, version, crateFile: `/p/${name}.crate`, sha256: sha(sum), dependsOn });
const GRAPH = [crate('base'), crate('mid', ['base'])];
const T0 = new Date('2030-01-01T00:00:00Z');
const T1 = new Date('2030-01-01T00:01:00Z');

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('startJournal', () => {
  it('starts every crate pending, holding the release for a resume', () => {
    const j = startJournal(undefined, GRAPH, 'reg', 'j.json', T0);
    expect(j.entries.map((e) => [e.name, e.state])).toEqual([
      ['base', 'pending'],
      ['mid', 'pending'],
    ]);
    expect(releaseOf(j)).toEqual(GRAPH);
  });

  it('keeps what a previous run achieved and starts a changed crate over', () => {
    let prev = startJournal(undefined, GRAPH, 'reg', 'j.json', T0);
    prev = transition(prev, 'base', { state: 'uploaded' }, T0);
    prev = transition(prev, 'base', { state: 'failed', reason: 'not listed in time' }, T0);
    prev = transition(prev, 'mid', { state: 'blocked', behind: ['base'] }, T0);
    const again = startJournal(prev, GRAPH, 'reg', 'j.json', T1);
    expect(again.entries[0]).toMatchObject({ state: 'pending', uploadedAt: T0.toISOString() });
    expect(again.entries[0]!.reason).toBeUndefined();
    expect(again.entries[1]).toMatchObject({ state: 'pending' });

    const done = transition(prev, 'base', { state: 'done' }, T0);
    const repackaged = startJournal(done, [crate('base', [], 'b'), GRAPH[1]!], 'reg', 'j.json', T1);
    expect(repackaged.entries[0]).toMatchObject({ state: 'pending', sha256: sha('b') });
    expect(repackaged.entries[0]!.uploadedAt).toBeUndefined();
    expect(startJournal(done, GRAPH, 'reg', 'j.json', T1).entries[0]!.state).toBe('done');
  });

  it('refuses a journal of another registry or release', () => {
    const prev = startJournal(undefined, GRAPH, 'reg', 'j.json', T0);
    expect(problem(() => startJournal(prev, GRAPH, 'other', 'j.json', T1))).toBe('j.json: registry: records uploads to reg, not other; give this registry its own journal');
    expect(problem(() => startJournal(prev, [GRAPH[1]!], 'reg', 'j.json', T1))).toMatch(/^j\.json: entries: lists base, which this release does not publish/);
  });
});

describe('transition', () => {
  it('keeps only the fields the new state uses, and when the upload was accepted', () => {
    let j = startJournal(undefined, GRAPH, 'reg', 'j.json', T0);
    j = transition(j, 'base', { state: 'failed', reason: 'x', indexChecksum: sha('f') }, T0);
    j = transition(j, 'base', { state: 'uploaded' }, T1);
    j = transition(j, 'base', { state: 'visible', indexChecksum: sha('a') }, T1);
    j = transition(j, 'base', { state: 'done' }, T1);
    expect(j.entries[0]).toEqual({ ...GRAPH[0], dependsOn: [], state: 'done', uploadedAt: T1.toISOString(), updatedAt: T1.toISOString() });
    expect(() => transition(j, 'nope', { state: 'done' }, T1)).toThrow(/no crate nope/);
  });
});

describe('parseJournal', () => {
  const good = (): Journal => transition(startJournal(undefined, GRAPH, 'reg', 'j.json', T0), 'base', { state: 'uploaded' }, T0);
  const json = (edit: (j: Record<string, unknown> & { entries: Record<string, unknown>[] }) => void) => {
    const j = JSON.parse(JSON.stringify(good()));
    edit(j);
    return j;
  };

  it('reads back what was written', () => {
    expect(parseJournal(JSON.parse(JSON.stringify(good())), 'j.json')).toEqual(good());
  });

  it('names the file and field of anything wrong', () => {
    expect(problem(() => parseJournal([], 'j.json'))).toBe('j.json: must be a JSON object');
    expect(problem(() => parseJournal(json((j) => (j['schema'] = 2)), 'j.json'))).toMatch(/^j\.json: schema: must be 1/);
    expect(problem(() => parseJournal(json((j) => (j.entries[1]!['state'] = 'gone')), 'j.json'))).toBe('j.json: entries[1].state: must be one of pending, uploaded, visible, done, failed, blocked');
    expect(problem(() => parseJournal(json((j) => (j.entries[0]!['sha256'] = 'x')), 'j.json'))).toBe('j.json: entries[0].sha256: must be 64 lowercase hex digits');
    expect(problem(() => parseJournal(json((j) => delete j.entries[0]!['uploadedAt']), 'j.json'))).toBe('j.json: entries[0].uploadedAt: is required in state uploaded');
    expect(problem(() => parseJournal(json((j) => (j.entries[1]!['state'] = 'failed')), 'j.json'))).toBe('j.json: entries[1].reason: is required in state failed');
    expect(problem(() => parseJournal(json((j) => (j.entries[1]!['name'] = 'base')), 'j.json'))).toBe('j.json: entries[1].name: base is listed twice');
    expect(problem(() => parseJournal(json((j) => (j.entries[1]!['behind'] = [])), 'j.json'))).toBe('j.json: entries[1].behind: must be a non-empty array of crate names');
  });
});

describe('the journal file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bllvm-journal-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is absent until written, then read back whole, with no temporary file left', async () => {
    const file = join(dir, 'sub', 'upload.json');
    expect(await readJournal(file)).toBeUndefined();
    const j = startJournal(undefined, GRAPH, 'reg', file, T0);
    await writeJournal(file, j);
    await writeJournal(file, transition(j, 'base', { state: 'done' }, T1));
    expect((await readJournal(file))!.entries[0]!.state).toBe('done');
    expect(await readdir(join(dir, 'sub'))).toEqual(['upload.json']);
  });

  it('refuses a file that is not a journal, naming it', async () => {
    const file = join(dir, 'upload.json');
    await writeFile(file, '{"schema": 1, "registry": "reg", "entries": [');
    await expect(readJournal(file)).rejects.toThrow(new RegExp(`^${file.replace(/[.]/g, '\\.')}: is not JSON`));
    await writeFile(file, '{"schema": 1, "registry": "reg", "entries": [{}]}');
    await expect(readJournal(file)).rejects.toThrow(/entries\[0\]\.name: must be a non-empty string/);
    expect(await readFile(file, 'utf8')).toContain('entries');
  });

  it('is held by one run at a time', async () => {
    const file = join(dir, 'upload.json');
    const release = await lockJournal(file);
    const second = lockJournal(file);
    await expect(second).rejects.toBeInstanceOf(OrchestratorError);
    await expect(lockJournal(file)).rejects.toThrow(/another upload run is using this journal/);
    await release();
    const again = await lockJournal(file);
    await again();
  });
});
