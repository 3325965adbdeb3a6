/**
 * The compatibility gate in a trial: the tried library's public API at its pin and at the head,
 * each from its `api` target (rustdoc JSON made in the build sandbox) in the scratch stack,
 * compared. The downstream builds remain the ground truth; the report shows both and flags where
 * they disagree (renderTrialReport).
 */
import type { ApiComparison } from '@bllvm/crates';
import type { TrialOutcome } from '@bllvm/orchestrator';
import { type ApiState, compareStates } from '../scratch/api-in-state';

/** The most changes a trial's outcome carries; the report bounds what it shows again. */
const MAX_ITEMS = 200;

/** The verdict the outcome carries: the classification and each change's line, breaking first. Pure. */
export function apiVerdict(c: ApiComparison): NonNullable<TrialOutcome['api']> {
  return { classification: c.classification, items: [...c.breaking, ...c.additive].slice(0, MAX_ITEMS).map((x) => x.line.slice(0, 500)) };
}

/** Compares what the pin and the head gave; the reason instead when either had no API. Pure. */
export function gateVerdict(before: ApiState, after: ApiState): { api: NonNullable<TrialOutcome['api']> } | { problem: string } {
  const compared = compareStates(before, after, { before: 'no API at the pin', after: 'no API at the head' });
  return 'problem' in compared ? compared : { api: apiVerdict(compared.comparison) };
}
