import type { JobResult } from './expressions';
import type { Job } from './workflow-jobs';

/**
 * Whether a job can start, must be skipped, or waits, given the results so far: GitHub starts a
 * job once every job it needs has finished; if one of them did not succeed, the job is skipped
 * unless its `if:` uses a status function (always(), failure(), !cancelled()…), in which case its
 * `if:` decides. Pure.
 */
export function readiness(job: Job, results: ReadonlyMap<string, JobResult>): 'wait' | 'start' | 'skip' {
  const needs = job.needs.map((n) => results.get(n));
  if (needs.some((r) => r === undefined)) return 'wait';
  if (needs.every((r) => r === 'success')) return 'start';
  return job.if && /\b(always|failure|cancelled)\s*\(/.test(job.if) ? 'start' : 'skip';
}

/** The status a job's expressions see from its needs. Pure. */
export function needsStatus(job: Job, results: ReadonlyMap<string, JobResult>): 'success' | 'failure' | 'cancelled' | 'needs-skipped' {
  const needs = job.needs.map((n) => results.get(n));
  if (needs.includes('failure')) return 'failure';
  if (needs.includes('cancelled')) return 'cancelled';
  if (needs.includes('skipped')) return 'needs-skipped';
  return 'success';
}
