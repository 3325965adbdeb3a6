/**
 * Yanking a stack release's crates: which ones, in which order, what each needs now, and whether
 * a run starts, continues an earlier one or refuses. Pure: yank-journal-file.ts stores the journal,
 * the CLI's `yank` applies the decisions through the registry's web API.
 *
 * A crate is yanked dependents first (reverse chain order), so no crate of the set is ever yanked
 * while a crate of the set that depends on it is still installable. A crate the release before it
 * also had (same name and version) belongs to that good set too and is never yanked.
 */
import { ManifestError } from '@bllvm/manifest';
import type { CrateVersion } from './plan-develop';
import type { IndexEntry } from './publish-index-line';
import { parseVersion } from './semver';

export const YANK_JOURNAL_SCHEMA = 1;

/** pending: not done yet; yanked: the index says yanked; absent: never on the registry, nothing to yank; failed: `reason`. */
export const YANK_STATES = ['pending', 'yanked', 'absent', 'failed'] as const;
export type YankState = (typeof YANK_STATES)[number];

export interface YankEntry extends CrateVersion {
  state: YankState;
  reason?: string;
}

/** The steps after the crates, each done once. */
export type StepState = 'pending' | 'done' | 'skipped';

export interface YankJournal {
  schema: typeof YANK_JOURNAL_SCHEMA;
  tag: string;
  /** The registry's name (no credentials). */
  registry: string;
  /** In yank order: dependents first. */
  crates: YankEntry[];
  /** Marking the release's GitHub releases superseded. */
  releases: StepState;
  /** Committing versions.toml back to the last good set. */
  versions: StepState;
}

/**
 * The crates to yank, dependents first: the release's crates (in chain order, dependencies first)
 * reversed, without those the previous release had at the same version.
 */
export function yankOrder(release: readonly CrateVersion[], previous: readonly CrateVersion[] = []): { yank: CrateVersion[]; kept: CrateVersion[] } {
  const good = new Set(previous.map((c) => `${c.crate}@${c.version}`));
  const yank: CrateVersion[] = [];
  const kept: CrateVersion[] = [];
  for (const c of [...release].reverse()) (good.has(`${c.crate}@${c.version}`) ? kept : yank).push(c);
  return { yank, kept };
}

export type YankDecision = { action: 'yank' } | { action: 'done'; state: 'yanked' | 'absent'; why: string };

/** What one crate needs, given what the index lists for its version now (undefined: not listed). */
export function yankDecision(entry: IndexEntry | undefined): YankDecision {
  if (!entry) return { action: 'done', state: 'absent', why: 'not on the registry: nothing to yank' };
  if (entry.yanked) return { action: 'done', state: 'yanked', why: 'already yanked' };
  return { action: 'yank' };
}

export type RunDecision = { run: 'start' } | { run: 'continue'; journal: YankJournal } | { run: 'finished'; journal: YankJournal } | { run: 'refuse'; why: string };

/**
 * Whether this run starts afresh, continues the journal an earlier run left, has nothing left to do
 * or refuses: an unfinished journal is continued only when asked (--resume), so a yank is never
 * half-redone by accident; --resume without a journal names the file it looked for.
 */
export function runDecision(journal: YankJournal | undefined, opts: { tag: string; resume: boolean; file: string }): RunDecision {
  if (!journal) return opts.resume ? { run: 'refuse', why: `nothing to resume: no journal of a yank of ${opts.tag} at ${opts.file}` } : { run: 'start' };
  if (journal.tag !== opts.tag) return { run: 'refuse', why: `${opts.file} is the journal of a yank of ${journal.tag}, not ${opts.tag}` };
  if (finished(journal)) return { run: 'finished', journal };
  if (!opts.resume) return { run: 'refuse', why: `an earlier yank of ${opts.tag} stopped (${progress(journal)}); rerun with --resume to continue it` };
  return { run: 'continue', journal };
}

export function finished(journal: YankJournal): boolean {
  return journal.crates.every((c) => c.state === 'yanked' || c.state === 'absent') && journal.releases !== 'pending' && journal.versions !== 'pending';
}

/** One line: where the journal stands. */
export function progress(journal: YankJournal): string {
  const count = (s: YankState) => journal.crates.filter((c) => c.state === s).length;
  const failed = journal.crates.find((c) => c.state === 'failed');
  const parts = [`${count('yanked') + count('absent')} of ${journal.crates.length} crates done`];
  if (failed) parts.push(`${failed.crate} ${failed.version} failed: ${failed.reason ?? 'no reason recorded'}`);
  parts.push(`GitHub releases ${journal.releases}`, `versions.toml ${journal.versions}`);
  return parts.join('; ');
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const STEP_STATES: readonly StepState[] = ['pending', 'done', 'skipped'];

/** The journal in `json` (read from `file`), checked field by field. */
export function parseYankJournal(json: unknown, file: string): YankJournal {
  const o = json as Partial<Record<keyof YankJournal, unknown>> | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new ManifestError(file, 'is not a JSON object');
  if (o.schema !== YANK_JOURNAL_SCHEMA) throw new ManifestError(file, `schema must be ${YANK_JOURNAL_SCHEMA}, got ${JSON.stringify(o.schema)?.slice(0, 40)}`);
  if (typeof o.tag !== 'string' || !NAME.test(o.tag)) throw new ManifestError(file, 'tag must be a release tag');
  if (typeof o.registry !== 'string' || o.registry === '') throw new ManifestError(file, 'registry must be a non-empty string');
  for (const step of ['releases', 'versions'] as const)
    if (!STEP_STATES.includes(o[step] as StepState)) throw new ManifestError(file, `${step} must be one of ${STEP_STATES.join(', ')}, got ${JSON.stringify(o[step])?.slice(0, 40)}`);
  if (!Array.isArray(o.crates)) throw new ManifestError(file, 'crates must be a list');
  const crates = o.crates.map((c: unknown, i): YankEntry => {
    const e = c as Partial<Record<keyof YankEntry, unknown>> | null;
    const at = `crates[${i}]`;
    if (typeof e !== 'object' || e === null) throw new ManifestError(file, `${at} is not an object`);
    for (const key of ['component', 'crate'] as const)
      if (typeof e[key] !== 'string' || !NAME.test(e[key] as string)) throw new ManifestError(file, `${at}.${key} must be a name, got ${JSON.stringify(e[key])?.slice(0, 80)}`);
    if (typeof e.version !== 'string' || !parseVersion(e.version)) throw new ManifestError(file, `${at}.version must be a version, got ${JSON.stringify(e.version)?.slice(0, 80)}`);
    if (!YANK_STATES.includes(e.state as YankState)) throw new ManifestError(file, `${at}.state must be one of ${YANK_STATES.join(', ')}, got ${JSON.stringify(e.state)?.slice(0, 40)}`);
    if (e.reason !== undefined && typeof e.reason !== 'string') throw new ManifestError(file, `${at}.reason must be a string`);
    return { component: e.component as string, crate: e.crate as string, version: e.version, state: e.state as YankState, ...(e.reason !== undefined ? { reason: e.reason as string } : {}) };
  });
  return { schema: YANK_JOURNAL_SCHEMA, tag: o.tag, registry: o.registry, crates, releases: o.releases as StepState, versions: o.versions as StepState };
}
