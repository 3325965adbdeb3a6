/**
 * Uploads the packaged crates of one release to a registry in graph order, idempotently and
 * resumably: a version the index already lists with the same checksum counts as done (nothing is
 * uploaded), one listed with other bytes is refused (never overwritten), and after an upload the
 * run waits until the index lists the version before any crate depending on it starts. A failure
 * blocks only its dependents. Every state change is written to the journal before the next step,
 * so a rerun continues where this one stopped and a rerun after success uploads nothing.
 *
 * Thin effects around publish-decide.ts (what to do next) and journal.ts (the records).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { OrchestratorError } from '@bllvm/manifest';
import { conflictReason, judgeIndexEntry, nextSteps, yankedReason, type Step } from './publish-decide';
import { readCrateArchive } from './publish-crate-file';
import { checkReleaseCrates, type ReleaseCrate } from './publish-graph';
import type { IndexEntry } from './publish-index-line';
import { buildReport, type PublishReport } from './publish-report';
import { releaseOf, startJournal, transition, type Journal, type JournalEntry, type Transition } from './journal';
import { lockJournal, readJournal, writeJournal } from './journal-file';
import type { PublishResult } from './registry-client';

/** What the uploader needs of a registry; RegistryClient is one. */
export interface UploadRegistry {
  /** How the registry is named in the journal, the report and errors (no credentials). */
  readonly name: string;
  versionEntry(crate: string, version: string): Promise<IndexEntry | undefined>;
  /** Uploads a packaged .crate; `where` names it in errors. */
  publish(crate: Buffer, where: string): Promise<PublishResult>;
}

export interface PublishChainOptions {
  registry: UploadRegistry;
  /** The journal of this release's uploads to this registry (created when missing). */
  journalFile: string;
  /**
   * Longest wait for an accepted upload to appear in the index before its dependents may start
   * (default 120 s). Past it the crate fails and its dependents are blocked; a rerun checks again.
   */
  visibilityTimeoutMs?: number;
  /** First pause between index polls (default 250 ms), growing by half each poll up to maxPollMs (default 5 s). */
  pollMs?: number;
  maxPollMs?: number;
  /** Progress lines. Default: none. */
  log?: (line: string) => void;
  /** For tests: the clock. */
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_VISIBILITY_TIMEOUT_MS = 120_000;

/** Publishes `crates` (graph order; see ReleaseCrate) and reports what became of each. */
export async function publishChain(crates: readonly ReleaseCrate[], opts: PublishChainOptions): Promise<PublishReport> {
  checkReleaseCrates(crates);
  const unlock = await lockJournal(opts.journalFile);
  try {
    return await run(crates, await readJournal(opts.journalFile), opts);
  } finally {
    await unlock();
  }
}

/** Continues the release recorded in the journal: failed and blocked crates are tried again. */
export async function resumePublishChain(opts: PublishChainOptions): Promise<PublishReport> {
  const unlock = await lockJournal(opts.journalFile);
  try {
    const previous = await readJournal(opts.journalFile);
    if (!previous) throw new OrchestratorError(`${opts.journalFile}: no upload journal to resume; start the release's upload with its crates instead`);
    const crates = checkReleaseCrates(releaseOf(previous));
    return await run(crates, previous, opts);
  } finally {
    await unlock();
  }
}

async function run(crates: readonly ReleaseCrate[], previous: Journal | undefined, opts: PublishChainOptions): Promise<PublishReport> {
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? (() => undefined);
  const uploaded = new Set<string>();
  let journal = startJournal(previous, crates, opts.registry.name, opts.journalFile, now());
  await writeJournal(opts.journalFile, journal);
  for (;;) {
    const [step] = nextSteps(journal, crates);
    if (!step) break;
    const entry = journal.entries.find((e) => e.name === step.crate)!;
    const next = await carryOut(step, entry, opts, uploaded, log);
    journal = transition(journal, step.crate, next, now());
    await writeJournal(opts.journalFile, journal);
    log(describe(entry, next));
  }
  return buildReport(journal, opts.journalFile, uploaded);
}

function describe(e: JournalEntry, t: Transition): string {
  const what = `${e.name} ${e.version}`;
  switch (t.state) {
    case 'uploaded':
      return `${what}: uploaded, waiting for the index to list it`;
    case 'visible':
      return `${what}: listed in the index`;
    case 'done':
      return `${what}: ${e.uploadedAt !== undefined ? 'published' : 'already there with the same checksum'}`;
    case 'failed':
      return `${what}: FAILED: ${t.reason}`;
    case 'blocked':
      return `${what}: blocked behind ${t.behind.join(', ')}`;
    case 'pending':
      return `${what}: pending`;
  }
}

/** The one-line reason an error gives a failed crate; anything that is not a reported problem is a bug and is rethrown. */
function reasonOf(error: unknown): string {
  if (error instanceof OrchestratorError) return error.message;
  throw error;
}

async function carryOut(step: Step, e: JournalEntry, opts: PublishChainOptions, uploaded: Set<string>, log: (line: string) => void): Promise<Transition> {
  const registry = opts.registry;
  switch (step.kind) {
    case 'block':
      return { state: 'blocked', behind: step.behind };
    case 'finish':
      return { state: 'done' };
    case 'conflict':
      return { state: 'failed', reason: conflictReason(e, registry.name, step.indexChecksum), indexChecksum: step.indexChecksum };
    case 'await':
      return awaitVisible(e, opts);
    case 'check':
      return check(e, registry, uploaded, log);
  }
}

async function check(e: JournalEntry, registry: UploadRegistry, uploaded: Set<string>, log: (line: string) => void): Promise<Transition> {
  let bytes: Buffer;
  try {
    bytes = await readFile(e.crateFile);
  } catch (error) {
    return { state: 'failed', reason: `cannot read ${e.crateFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== e.sha256) {
    return { state: 'failed', reason: `${e.crateFile} has sha256 ${actual}, but the release lists ${e.sha256} for ${e.name} ${e.version}; package it again or correct the list` };
  }
  try {
    const archive = readCrateArchive(bytes, e.crateFile);
    if (archive.name !== e.name || archive.version !== e.version) {
      return { state: 'failed', reason: `${e.crateFile} holds ${archive.name} ${archive.version}, not ${e.name} ${e.version}; correct the release list` };
    }
  } catch (error) {
    return { state: 'failed', reason: reasonOf(error) };
  }
  const judged = async (): Promise<Transition | undefined> => {
    const verdict = judgeIndexEntry(e.sha256, await registry.versionEntry(e.name, e.version));
    switch (verdict.kind) {
      case 'present':
        return { state: 'done' };
      case 'yanked':
        return { state: 'failed', reason: yankedReason(e, registry.name) };
      case 'conflict':
        return { state: 'failed', reason: conflictReason(e, registry.name, verdict.indexChecksum), indexChecksum: verdict.indexChecksum };
      case 'absent':
        return undefined;
    }
  };
  try {
    const before = await judged();
    if (before) return before;
  } catch (error) {
    return { state: 'failed', reason: reasonOf(error) };
  }
  try {
    const result = await registry.publish(bytes, e.crateFile);
    for (const warning of result.warnings) log(`${e.name} ${e.version}: the registry warns: ${warning}`);
    uploaded.add(e.name);
    return { state: 'uploaded' };
  } catch (error) {
    const reason = reasonOf(error);
    // A refused or failed upload may still have landed (an earlier try that timed out, a run
    // that died after sending): what the index says decides, not the error.
    try {
      const after = await judged();
      if (after?.state === 'done') {
        uploaded.add(e.name);
        return { state: 'uploaded' };
      }
      if (after) return after;
    } catch {
      // the index is unreachable too: the upload's own error says more
    }
    return { state: 'failed', reason };
  }
}

async function awaitVisible(e: JournalEntry, opts: PublishChainOptions): Promise<Transition> {
  const timeout = opts.visibilityTimeoutMs ?? DEFAULT_VISIBILITY_TIMEOUT_MS;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxPoll = opts.maxPollMs ?? 5000;
  const deadline = Date.now() + timeout;
  let pause = opts.pollMs ?? 250;
  for (;;) {
    let found: IndexEntry | undefined;
    try {
      found = await opts.registry.versionEntry(e.name, e.version);
    } catch (error) {
      return { state: 'failed', reason: `uploaded, but reading the index failed: ${reasonOf(error)}` };
    }
    if (found) return { state: 'visible', indexChecksum: found.cksum };
    const left = deadline - Date.now();
    if (left <= 0) {
      return {
        state: 'failed',
        reason: `uploaded to ${opts.registry.name}, but its index did not list ${e.name} ${e.version} within ${timeout < 10_000 ? (timeout / 1000).toFixed(1) : Math.round(timeout / 1000)} s; run again to check again (the upload is not repeated once it is listed)`,
      };
    }
    await sleep(Math.min(pause, left));
    pause = Math.min(pause * 1.5, maxPoll);
  }
}
