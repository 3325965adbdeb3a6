/**
 * The search of a bisection, pure. Candidates are in history order (oldest first); the state before
 * the first is known good and the last candidate is known bad (the caller checks both ends before
 * searching: a good end that fails or a bad end that passes is an error, not a search). Each call
 * says which candidate to try next, or what the search found.
 *
 * A candidate that could not be judged (it does not build at that commit, another task failed
 * first) is skipped as `git bisect skip` does: the search tries the nearest untried candidate
 * instead, and when only skipped candidates separate the last good from the first bad, the answer
 * is the set that may hold the first bad one, said as such rather than guessed.
 */

export type Verdict = 'good' | 'bad' | 'skip';

export type SearchNext =
  /** Try this candidate next. */
  | { kind: 'try'; index: number }
  /** `firstBad` is the first bad candidate; `lastGood` the last good one (-1: the good end). */
  | { kind: 'found'; firstBad: number; lastGood: number }
  /** The first bad candidate is one of `candidates` (skipped ones, then the first known bad). */
  | { kind: 'ambiguous'; lastGood: number; candidates: number[] }
  /** A candidate judged bad comes before one judged good: the failure comes and goes. */
  | { kind: 'inconsistent'; bad: number; good: number };

/**
 * What to do next, given the verdicts so far (by candidate index). Throws on an index outside
 * 0..count-1 or a bad end that is not marked bad: both are the caller's mistakes.
 */
export function nextProbe(count: number, verdicts: ReadonlyMap<number, Verdict>): SearchNext {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`a bisection needs at least one candidate, got ${count}`);
  for (const i of verdicts.keys()) if (!Number.isSafeInteger(i) || i < 0 || i >= count) throw new RangeError(`verdict for candidate ${i} of ${count}`);
  if (verdicts.get(count - 1) !== 'bad') throw new RangeError('the last candidate (the bad end) must be judged bad before searching');

  let lastGood = -1;
  for (const [i, v] of verdicts) if (v === 'good' && i > lastGood) lastGood = i;
  let firstBad = count - 1;
  for (const [i, v] of verdicts) if (v === 'bad' && i < firstBad) firstBad = i;
  if (firstBad < lastGood) return { kind: 'inconsistent', bad: firstBad, good: lastGood };

  const untried: number[] = [];
  const skipped: number[] = [];
  for (let i = lastGood + 1; i < firstBad; i++) (verdicts.has(i) ? skipped : untried).push(i);
  if (untried.length === 0) {
    return skipped.length === 0 ? { kind: 'found', firstBad, lastGood } : { kind: 'ambiguous', lastGood, candidates: [...skipped, firstBad] };
  }
  // The midpoint of the open range, or the untried candidate nearest to it (the lower on a tie),
  // so a skipped run costs one probe per skip and the range still halves.
  const mid = Math.floor((lastGood + firstBad) / 2);
  let best = untried[0]!;
  for (const i of untried) if (Math.abs(i - mid) < Math.abs(best - mid)) best = i;
  return { kind: 'try', index: best };
}

/** The most probes a bisection over `count` candidates needs when nothing is skipped: ⌈log₂ count⌉. */
export function probesBound(count: number): number {
  return count <= 1 ? 0 : Math.ceil(Math.log2(count));
}
