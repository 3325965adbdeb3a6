/**
 * What a cross-repository bisection tries, pure. Phase 1 walks this repository's history between
 * a good and a bad revision, keeping only the commits that moved a pin (the others build the same
 * stack). Phase 2 walks the commits of the one repository whose pin the first bad step moved. A
 * step that moved several pins at once is first split: the good stack with one of those pins
 * moved, each in graph order, so phase 2 knows which repository to walk.
 */
import { probesBound } from './bisect-search';

/** The pinned commit of each component (undefined: the revision has no such component). */
export type PinSet = Readonly<Record<string, string | undefined>>;

/** One commit of this repository in the range, with the pins it records. */
export interface PinnedRevision {
  commit: string;
  subject: string;
  pins: PinSet;
}

/** The components whose pin differs between two pin sets (added and removed ones too), in `order`. */
export function movedComponents(before: PinSet, after: PinSet, order: readonly string[]): string[] {
  const known = new Set(order);
  const extra = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((c) => !known.has(c)).sort();
  return [...order, ...extra].filter((c) => before[c] !== after[c]);
}

/** Phase 1's candidates: of `history` (oldest first, after the good revision up to the bad one), the commits that moved a pin. */
export function pinMovingSteps(good: PinSet, history: readonly PinnedRevision[], order: readonly string[]): PinnedRevision[] {
  const steps: PinnedRevision[] = [];
  let previous = good;
  for (const rev of history) {
    if (movedComponents(previous, rev.pins, order).length > 0) steps.push(rev);
    previous = rev.pins;
  }
  return steps;
}

/**
 * The states that tell which of a step's moves broke it: the last good pins with exactly one
 * component moved to where the bad step put it, one per moved component, upstream first. A
 * component the bad step added or removed cannot be tried alone and is left out.
 */
export function isolateMoves(lastGood: PinSet, firstBad: PinSet, order: readonly string[]): { component: string; pins: PinSet }[] {
  return movedComponents(lastGood, firstBad, order).flatMap((component) =>
    lastGood[component] === undefined || firstBad[component] === undefined ? [] : [{ component, pins: { ...lastGood, [component]: firstBad[component] } }],
  );
}

/**
 * The builds a bisection may need with nothing skipped: the two ends, phase 1 over `steps`
 * candidates and phase 2 over `commits` of the culprit's range (0 when phase 2 is not needed),
 * plus one per extra moved component when the first bad step moved several pins.
 */
export function buildsBound(steps: number, commits: number, movedInFirstBad = 1): number {
  return 2 + probesBound(steps) + Math.max(0, movedInFirstBad - 1) + probesBound(commits);
}
