/**
 * What an upload run leaves for a person and for the release flow: per crate whether it was
 * published, was already there, failed (why) or is blocked (behind which failure), and a text
 * rendering of it. Pure, from the journal at the end of the run.
 */
import type { Journal } from './journal';

export type CrateOutcome = 'published' | 'already-present' | 'failed' | 'blocked' | 'pending';

export interface CrateReport {
  name: string;
  version: string;
  sha256: string;
  outcome: CrateOutcome;
  /** published: uploaded by this run (rather than by an earlier run of the same journal). */
  uploadedThisRun: boolean;
  /** failed: why. */
  reason?: string;
  /** blocked: the failed crates it waits behind, with why each failed. */
  behind?: { crate: string; reason: string }[];
}

export interface PublishReport {
  registry: string;
  journalFile: string;
  /** Every crate is published or already there. */
  complete: boolean;
  crates: CrateReport[];
  counts: Record<CrateOutcome, number>;
}

export function buildReport(journal: Journal, journalFile: string, uploadedThisRun: ReadonlySet<string>): PublishReport {
  const byName = new Map(journal.entries.map((e) => [e.name, e]));
  const crates = journal.entries.map((e): CrateReport => {
    const outcome: CrateOutcome =
      e.state === 'done' ? (e.uploadedAt !== undefined ? 'published' : 'already-present') : e.state === 'failed' ? 'failed' : e.state === 'blocked' ? 'blocked' : 'pending';
    const report: CrateReport = { name: e.name, version: e.version, sha256: e.sha256, outcome, uploadedThisRun: outcome === 'published' && uploadedThisRun.has(e.name) };
    if (outcome === 'failed') report.reason = e.reason ?? 'no reason recorded';
    if (outcome === 'blocked') report.behind = (e.behind ?? []).map((crate) => ({ crate, reason: byName.get(crate)?.reason ?? 'not recorded' }));
    return report;
  });
  const counts: Record<CrateOutcome, number> = { published: 0, 'already-present': 0, failed: 0, blocked: 0, pending: 0 };
  for (const c of crates) counts[c.outcome]++;
  return { registry: journal.registry, journalFile, complete: counts.published + counts['already-present'] === crates.length, crates, counts };
}

const LABEL: Record<CrateOutcome, string> = { published: 'published', 'already-present': 'already there', failed: 'FAILED', blocked: 'blocked', pending: 'not reached' };

export function renderReport(report: PublishReport): string {
  const { counts } = report;
  const thisRun = report.crates.filter((c) => c.uploadedThisRun).length;
  const summary = [
    `${counts.published} published${counts.published && thisRun !== counts.published ? ` (${thisRun} by this run)` : ''}`,
    `${counts['already-present']} already there`,
    ...(counts.failed ? [`${counts.failed} failed`] : []),
    ...(counts.blocked ? [`${counts.blocked} blocked`] : []),
    ...(counts.pending ? [`${counts.pending} not reached`] : []),
  ].join(', ');
  const lines = [`crates to ${report.registry}: ${summary}`];
  const width = Math.max(...report.crates.map((c) => LABEL[c.outcome].length), 0);
  for (const c of report.crates) {
    let line = `  ${LABEL[c.outcome].padEnd(width)}  ${c.name} ${c.version}`;
    if (c.reason) line += `: ${c.reason}`;
    if (c.behind) line += `: waits for ${c.behind.map((b) => `${b.crate} (failed)`).join(', ')}`;
    lines.push(line);
  }
  if (!report.complete) lines.push(`journal ${report.journalFile}: run again to retry the failed crates and those blocked behind them`);
  return lines.join('\n');
}
