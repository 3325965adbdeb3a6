import { join } from 'node:path';
import { CRATES_IO_SPARSE_INDEX, type CrateReport, type PublishReport, type RegistryClientOptions, type ReleaseCrate, openRegistry, publishChain } from '@bllvm/crates';
import { OrchestratorError } from '@bllvm/manifest';
import type { ReleasePlan } from '@bllvm/release';
import type { PublishRequest } from './request';

/**
 * Upload the release's packaged crates to the cargo registry, in graph order, through the
 * resumable chain of libs/crates: its journal (one per release tag, under the work dir) records
 * each crate's state before the next step, so a rerun uploads only what is not out yet and a rerun
 * after success uploads nothing. The bytes are the .crate files the package target made in the
 * build sandbox (the plan checked them against their records and the pins): nothing here runs
 * cargo, git or reads a source.
 */

/**
 * The crates of the plan as the uploader takes them, in chain order: the components' graph order,
 * except that a crate waits for every crate of the release it depends on. The component graph
 * has no edge for an optional dependency no default feature enables, nor for a dev-dependency, but
 * the registry wants those out first too. A cycle is left as it is, for the uploader to refuse
 * naming it. Pure.
 */
export function releaseCrates(plan: Pick<ReleasePlan, 'components'>): ReleaseCrate[] {
  const crates: ReleaseCrate[] = plan.components.flatMap((c) =>
    c.crate ? [{ name: c.crate.record.crate, version: c.crate.record.version, crateFile: c.crate.path, sha256: c.crate.record.sha256, dependsOn: [...c.crate.record.dependsOn] }] : [],
  );
  const canonical = (name: string) => name.toLowerCase().replace(/_/g, '-');
  const inRelease = new Set(crates.map((c) => canonical(c.name)));
  const placed = new Set<string>();
  const ordered: ReleaseCrate[] = [];
  const left = [...crates];
  while (left.length) {
    const next = left.findIndex((c) => c.dependsOn.every((d) => !inRelease.has(canonical(d)) || placed.has(canonical(d)) || canonical(d) === canonical(c.name)));
    const [c] = left.splice(next === -1 ? 0 : next, 1);
    ordered.push(c!);
    placed.add(canonical(c!.name));
  }
  return ordered;
}

/** The upload journal of release `tag`: one per release, kept across runs of its publish. Pure. */
export function cratesJournalFile(workDir: string, tag: string): string {
  return join(workDir, 'crates-journal', `${tag}.json`);
}

/** The registry uploads go to: BLLVM_CARGO_REGISTRY, else crates.io's sparse index. Pure. */
export function uploadRegistry(configured: string | undefined): string {
  return configured ?? CRATES_IO_SPARSE_INDEX;
}

const OUTCOME: Record<CrateReport['outcome'], string> = {
  published: 'published',
  'already-present': 'already there',
  failed: 'FAILED',
  blocked: 'blocked',
  pending: 'not reached',
};

/** One line per crate: name, version, checksum, outcome (and why, when it is not out). Pure. */
export function crateLine(c: Pick<CrateReport, 'name' | 'version' | 'sha256' | 'outcome' | 'uploadedThisRun' | 'reason' | 'behind'>): string {
  let outcome = OUTCOME[c.outcome];
  if (c.outcome === 'published' && !c.uploadedThisRun) outcome += ' (by an earlier run)';
  if (c.reason) outcome += `: ${c.reason}`;
  if (c.behind?.length) outcome += `: waits for ${c.behind.map((b) => b.crate).join(', ')}`;
  return `crate ${c.name} ${c.version} sha256 ${c.sha256} ${outcome}`;
}

/** The registry refused the token (or there was none to send): no crate can be uploaded until that is fixed. */
const REFUSED = /\bHTTP 40[13]\b|no registry token is configured/;

/** Some crates are not out: says which, why, and that the same command continues. */
export class CratesNotPublishedError extends OrchestratorError {
  override readonly name = 'CratesNotPublishedError';
}

/** The message when crates are not all out: the token first when the registry refused it, then the count and the journal. Pure. */
export function notPublishedMessage(report: Pick<PublishReport, 'registry' | 'journalFile' | 'crates'>): string {
  const out = report.crates.filter((c) => c.outcome === 'published' || c.outcome === 'already-present').length;
  const failed = report.crates.filter((c) => c.outcome === 'failed');
  const refused = failed.some((c) => REFUSED.test(c.reason ?? ''));
  const cause = refused ? `${report.registry} refused the upload token (BLLVM_CARGO_REGISTRY_TOKEN): check that it is set, valid and may publish these crates; ` : '';
  return (
    `${cause}${out} of ${report.crates.length} crates are on ${report.registry}; ` +
    `not out: ${report.crates.filter((c) => c.outcome !== 'published' && c.outcome !== 'already-present').map((c) => `${c.name} ${c.version} (${OUTCOME[c.outcome]})`).join(', ')}; ` +
    `nothing else of the release was published; rerun the same command: it uploads only what is not out (journal ${report.journalFile})`
  );
}

export interface PublishCratesOptions {
  /** Index polling of the chain (tests shorten it); the chain's defaults otherwise. */
  pollMs?: number;
  visibilityTimeoutMs?: number;
  /** The registry client's retry pacing (tests shorten it); the client's defaults otherwise. */
  client?: Pick<RegistryClientOptions, 'retries' | 'retryBaseMs'>;
}

/**
 * Publishes the plan's crates, or in a dry run prints what it would upload and contacts no
 * registry. Returns the report (undefined when the release has no crate or in a dry run); throws
 * CratesNotPublishedError when any crate is not out.
 */
export async function publishReleaseCrates(req: PublishRequest, plan: ReleasePlan, opts: PublishCratesOptions = {}): Promise<PublishReport | undefined> {
  const crates = releaseCrates(plan);
  if (crates.length === 0) return undefined;
  const index = uploadRegistry(req.config.cargoRegistry);
  if (req.dryRun) {
    req.log(`would publish ${crates.length} crate(s) to ${index}, in this order:`);
    for (const c of crates) req.log(`crate ${c.name} ${c.version} sha256 ${c.sha256} would be published`);
    return undefined;
  }
  const token = req.config.cargoRegistryToken;
  if (!token) throw new CratesNotPublishedError(`${crates.length} crate(s) to publish to ${index}, but BLLVM_CARGO_REGISTRY_TOKEN is not set; nothing was published`);
  const registry = await openRegistry({ indexUrl: index, token, ...opts.client });
  const report = await publishChain(crates, {
    registry,
    journalFile: cratesJournalFile(req.config.workDir, req.tag),
    ...(opts.pollMs !== undefined ? { pollMs: opts.pollMs, maxPollMs: opts.pollMs * 4 } : {}),
    ...(opts.visibilityTimeoutMs !== undefined ? { visibilityTimeoutMs: opts.visibilityTimeoutMs } : {}),
    // Progress is the one line per crate below; only what the registry warns about is passed on.
    log: (line) => void (line.includes('the registry warns') && req.log(line)),
  });
  for (const c of report.crates) req.log(crateLine(c));
  if (!report.complete) throw new CratesNotPublishedError(notPublishedMessage(report));
  return report;
}
