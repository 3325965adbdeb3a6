/**
 * The upload journal: where each crate of one release stands with one registry, so a run that
 * stopped (a crash, a refusal, a registry outage) is continued by the next one and a run after
 * success does nothing. It holds the release itself too, so a resume needs only the file.
 * Pure: the records, their validation when read, and the transitions; journal-file.ts stores it.
 *
 *   pending   nothing done yet (or a failure being retried by a new run)
 *   uploaded  the registry accepted the upload; the index has not been seen to list it
 *   visible   the index lists the version (with `indexChecksum`); dependents may start once done
 *   done      the index lists it with this release's checksum
 *   failed    `reason` says why; a new run tries again
 *   blocked   not attempted: a crate it depends on failed (`behind` names the failures)
 */
import { ManifestError } from '@bllvm/manifest';
import type { ReleaseCrate } from './publish-graph';

export const JOURNAL_SCHEMA = 1;

export const CRATE_STATES = ['pending', 'uploaded', 'visible', 'done', 'failed', 'blocked'] as const;
export type CrateState = (typeof CRATE_STATES)[number];

export interface JournalEntry {
  name: string;
  version: string;
  crateFile: string;
  sha256: string;
  dependsOn: string[];
  state: CrateState;
  /** When the registry accepted this crate's upload; kept across reruns ("published" rather than "already there"). */
  uploadedAt?: string;
  /** visible, or failed on a checksum conflict: the checksum the index lists for this version. */
  indexChecksum?: string;
  /** failed: why, in one line. */
  reason?: string;
  /** blocked: the failed crates it waits behind. */
  behind?: string[];
  updatedAt: string;
}

export interface Journal {
  schema: typeof JOURNAL_SCHEMA;
  /** The registry's index URL, as the client names it. */
  registry: string;
  /** In graph order. */
  entries: JournalEntry[];
}

/** A state change; the fields a state does not use are cleared. */
export type Transition =
  | { state: 'pending' }
  | { state: 'uploaded' }
  | { state: 'visible'; indexChecksum: string }
  | { state: 'done' }
  | { state: 'failed'; reason: string; indexChecksum?: string }
  | { state: 'blocked'; behind: string[] };

function entryFor(c: ReleaseCrate, now: string): JournalEntry {
  return { name: c.name, version: c.version, crateFile: c.crateFile, sha256: c.sha256, dependsOn: [...c.dependsOn], state: 'pending', updatedAt: now };
}

/** The release as the journal holds it: what a resume publishes. */
export function releaseOf(journal: Journal): ReleaseCrate[] {
  return journal.entries.map((e) => ({ name: e.name, version: e.version, crateFile: e.crateFile, sha256: e.sha256, dependsOn: [...e.dependsOn] }));
}

/**
 * The journal a run starts from: the previous one (if any) for this release and registry, with
 * failed and blocked crates back to pending, so they are tried again. A crate whose version or
 * .crate changed since starts over (the index check then finds out what is really out there).
 * Throws ManifestError when `file` belongs to another registry or release.
 */
export function startJournal(previous: Journal | undefined, crates: readonly ReleaseCrate[], registry: string, file: string, now: Date): Journal {
  const at = now.toISOString();
  if (!previous) return { schema: JOURNAL_SCHEMA, registry, entries: crates.map((c) => entryFor(c, at)) };
  if (previous.registry !== registry) {
    throw new ManifestError(file, `records uploads to ${previous.registry}, not ${registry}; give this registry its own journal`, { field: 'registry' });
  }
  const wanted = new Set(crates.map((c) => c.name));
  const stray = previous.entries.filter((e) => !wanted.has(e.name)).map((e) => e.name);
  if (stray.length) {
    throw new ManifestError(file, `lists ${stray.join(', ')}, which this release does not publish: the journal belongs to another release; give this one its own journal`, { field: 'entries' });
  }
  const byName = new Map(previous.entries.map((e) => [e.name, e]));
  return {
    schema: JOURNAL_SCHEMA,
    registry,
    entries: crates.map((c) => {
      const old = byName.get(c.name);
      if (!old || old.version !== c.version || old.sha256 !== c.sha256) return entryFor(c, at);
      const kept: JournalEntry = { ...old, crateFile: c.crateFile, dependsOn: [...c.dependsOn] };
      if (old.state !== 'failed' && old.state !== 'blocked') return kept;
      return applyTo(kept, { state: 'pending' }, at);
    }),
  };
}

function applyTo(entry: JournalEntry, t: Transition, at: string): JournalEntry {
  const { uploadedAt: _u, indexChecksum: _i, reason: _r, behind: _b, ...base } = entry;
  const next: JournalEntry = { ...base, state: t.state, updatedAt: at };
  const uploadedAt = t.state === 'uploaded' ? at : entry.uploadedAt;
  if (uploadedAt !== undefined) next.uploadedAt = uploadedAt;
  if (t.state === 'visible') next.indexChecksum = t.indexChecksum;
  if (t.state === 'failed') {
    next.reason = t.reason;
    if (t.indexChecksum !== undefined) next.indexChecksum = t.indexChecksum;
  }
  if (t.state === 'blocked') next.behind = [...t.behind];
  return next;
}

/** The journal with `name` moved to a new state. Throws for a crate the journal does not hold. */
export function transition(journal: Journal, name: string, t: Transition, now: Date): Journal {
  const i = journal.entries.findIndex((e) => e.name === name);
  if (i < 0) throw new Error(`journal: no crate ${name}`);
  const entries = [...journal.entries];
  entries[i] = applyTo(entries[i]!, t, now.toISOString());
  return { ...journal, entries };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const SHA = /^[0-9a-f]{64}$/;

/** A journal read back from disk, every field checked. Throws ManifestError naming the file and field. */
export function parseJournal(json: unknown, file: string): Journal {
  const bad = (field: string, problem: string) => new ManifestError(file, problem, { field });
  if (!isObj(json)) throw bad('', 'must be a JSON object');
  if (json['schema'] !== JOURNAL_SCHEMA) throw bad('schema', `must be ${JOURNAL_SCHEMA} (this journal was written by another version, or is not a journal)`);
  if (typeof json['registry'] !== 'string' || json['registry'] === '') throw bad('registry', 'must be the registry index URL');
  if (!Array.isArray(json['entries'])) throw bad('entries', 'must be an array');
  const names = new Set<string>();
  const entries = json['entries'].map((raw: unknown, i): JournalEntry => {
    const at = `entries[${i}]`;
    if (!isObj(raw)) throw bad(at, 'must be an object');
    const str = (key: string, test?: RegExp, what = 'a non-empty string'): string => {
      const v = raw[key];
      if (typeof v !== 'string' || v === '' || (test && !test.test(v))) throw bad(`${at}.${key}`, `must be ${what}`);
      return v;
    };
    const optional = (key: string, test: RegExp, what: string): string | undefined => (raw[key] === undefined ? undefined : str(key, test, what));
    const name = str('name');
    if (names.has(name)) throw bad(`${at}.name`, `${name} is listed twice`);
    names.add(name);
    const state = raw['state'];
    if (!CRATE_STATES.includes(state as CrateState)) throw bad(`${at}.state`, `must be one of ${CRATE_STATES.join(', ')}`);
    const dependsOn = raw['dependsOn'];
    if (!Array.isArray(dependsOn) || !dependsOn.every((d) => typeof d === 'string')) throw bad(`${at}.dependsOn`, 'must be an array of crate names');
    const entry: JournalEntry = {
      name,
      version: str('version'),
      crateFile: str('crateFile'),
      sha256: str('sha256', SHA, '64 lowercase hex digits'),
      dependsOn: dependsOn as string[],
      state: state as CrateState,
      updatedAt: str('updatedAt', ISO, 'an ISO time (UTC)'),
    };
    const uploadedAt = optional('uploadedAt', ISO, 'an ISO time (UTC)');
    const indexChecksum = optional('indexChecksum', SHA, '64 lowercase hex digits');
    const reason = optional('reason', /./, 'a non-empty string');
    if (uploadedAt !== undefined) entry.uploadedAt = uploadedAt;
    if (indexChecksum !== undefined) entry.indexChecksum = indexChecksum;
    if (reason !== undefined) entry.reason = reason;
    if (raw['behind'] !== undefined) {
      const behind = raw['behind'];
      if (!Array.isArray(behind) || behind.length === 0 || !behind.every((b) => typeof b === 'string' && b !== '')) throw bad(`${at}.behind`, 'must be a non-empty array of crate names');
      entry.behind = behind as string[];
    }
    // What each state promises a reader: checked here so the decider never meets a half record.
    if (entry.state === 'uploaded' && entry.uploadedAt === undefined) throw bad(`${at}.uploadedAt`, 'is required in state uploaded');
    if (entry.state === 'visible' && entry.indexChecksum === undefined) throw bad(`${at}.indexChecksum`, 'is required in state visible');
    if (entry.state === 'failed' && entry.reason === undefined) throw bad(`${at}.reason`, 'is required in state failed');
    if (entry.state === 'blocked' && entry.behind === undefined) throw bad(`${at}.behind`, 'is required in state blocked');
    return entry;
  });
  return { schema: JOURNAL_SCHEMA, registry: json['registry'], entries };
}
