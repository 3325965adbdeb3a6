/**
 * What the upload run does next, decided from the journal and the release graph alone, and what an
 * index entry means for a crate. Pure: publish-chain.ts carries the steps out and records them.
 *
 * A crate is attempted only once every crate of the release it depends on is done; a failure
 * blocks its dependents (transitively) but nothing else, so independent branches go on. Within a
 * run, failed and blocked are final; the next run starts them over (journal.ts, startJournal).
 */
import type { Journal, JournalEntry } from './journal';
import { internalDependencies, type ReleaseCrate } from './publish-graph';
import type { IndexEntry } from './publish-index-line';

export type Step =
  /** Look the version up in the index; upload it when absent. */
  | { kind: 'check'; crate: string }
  /** The upload was accepted: wait (bounded) until the index lists the version. */
  | { kind: 'await'; crate: string }
  /** The index lists it with this release's checksum: done. */
  | { kind: 'finish'; crate: string }
  /** The index lists other bytes under this version: fail, naming both checksums. */
  | { kind: 'conflict'; crate: string; indexChecksum: string }
  /** A crate it depends on failed: not attempted. */
  | { kind: 'block'; crate: string; behind: string[] };

/** Every step that can be taken now, in graph order. Empty when the run is over. */
export function nextSteps(journal: Journal, graph: readonly ReleaseCrate[]): Step[] {
  const byName = new Map(journal.entries.map((e) => [e.name, e]));
  const entry = (name: string): JournalEntry => {
    const e = byName.get(name);
    if (!e) throw new Error(`nextSteps: the journal has no entry for ${name}`);
    return e;
  };
  const steps: Step[] = [];
  for (const crate of graph) {
    const e = entry(crate.name);
    switch (e.state) {
      case 'done':
      case 'failed':
        continue;
      case 'uploaded':
        // Already sent: waiting for the index needs nothing from the crates it depends on.
        steps.push({ kind: 'await', crate: e.name });
        continue;
      case 'visible':
        steps.push(e.indexChecksum === e.sha256 ? { kind: 'finish', crate: e.name } : { kind: 'conflict', crate: e.name, indexChecksum: e.indexChecksum! });
        continue;
      case 'pending':
      case 'blocked': {
        const deps = internalDependencies(graph, crate).map(entry);
        const behind = failuresBehind(deps);
        if (behind.length) {
          if (e.state !== 'blocked' || !sameList(e.behind ?? [], behind)) steps.push({ kind: 'block', crate: e.name, behind });
          continue;
        }
        if (deps.every((d) => d.state === 'done')) steps.push({ kind: 'check', crate: e.name });
        continue;
      }
    }
  }
  return steps;
}

/** The failed crates these dependencies wait behind: failed ones themselves, and what blocks blocked ones. */
function failuresBehind(deps: readonly JournalEntry[]): string[] {
  const out: string[] = [];
  for (const d of deps) {
    const roots = d.state === 'failed' ? [d.name] : d.state === 'blocked' ? (d.behind ?? []) : [];
    for (const r of roots) if (!out.includes(r)) out.push(r);
  }
  return out;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export type Verdict =
  /** Not in the index: upload it (or, after an upload, keep waiting). */
  | { kind: 'absent' }
  /** In the index with these very bytes. */
  | { kind: 'present' }
  /** In the index with these bytes, but yanked: nothing new resolves to it. */
  | { kind: 'yanked' }
  /** In the index with other bytes: a published version is never replaced. */
  | { kind: 'conflict'; indexChecksum: string };

/** What the index's entry for a crate's version means for it. */
export function judgeIndexEntry(sha256: string, found: IndexEntry | undefined): Verdict {
  if (!found) return { kind: 'absent' };
  if (found.cksum !== sha256) return { kind: 'conflict', indexChecksum: found.cksum };
  return found.yanked ? { kind: 'yanked' } : { kind: 'present' };
}

/** The refusal for a version the registry already has with other bytes. */
export function conflictReason(e: Pick<JournalEntry, 'name' | 'version' | 'sha256'>, registry: string, indexChecksum: string): string {
  return (
    `${e.name} ${e.version} is already in ${registry} with checksum ${indexChecksum}, but this release's .crate has checksum ${e.sha256}; ` +
    'a published version is never overwritten: release it under a new version'
  );
}

/** The refusal for a version that is out with these bytes but yanked. */
export function yankedReason(e: Pick<JournalEntry, 'name' | 'version'>, registry: string): string {
  return `${e.name} ${e.version} is in ${registry} with these bytes but yanked, so nothing new resolves to it; unyank it deliberately, or release a new version`;
}
