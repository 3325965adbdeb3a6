import { describe, expect, it } from 'vitest';
import { nextProbe, probesBound, type SearchNext, type Verdict } from './bisect-search';

/** Runs a whole search against `judge`, returning the outcome and the candidates tried, in order. */
function search(count: number, judge: (i: number) => Verdict): { outcome: SearchNext; tried: number[] } {
  const verdicts = new Map<number, Verdict>([[count - 1, 'bad']]);
  const tried: number[] = [];
  for (;;) {
    const next = nextProbe(count, verdicts);
    if (next.kind !== 'try') return { outcome: next, tried };
    expect(verdicts.has(next.index), `candidate ${next.index} tried twice`).toBe(false);
    tried.push(next.index);
    verdicts.set(next.index, judge(next.index));
  }
}

describe('bisection search', () => {
  it('finds every first-bad position of every history up to 40 candidates within ⌈log₂ n⌉ probes', () => {
    for (let count = 1; count <= 40; count++) {
      for (let culprit = 0; culprit < count; culprit++) {
        const { outcome, tried } = search(count, (i) => (i >= culprit ? 'bad' : 'good'));
        expect(outcome).toEqual({ kind: 'found', firstBad: culprit, lastGood: culprit - 1 });
        expect(tried.length, `count ${count}, culprit ${culprit}`).toBeLessThanOrEqual(probesBound(count));
      }
    }
  });

  it('probes the middle first', () => {
    expect(nextProbe(32, new Map([[31, 'bad']]))).toEqual({ kind: 'try', index: 15 });
  });

  it('steps around a skipped candidate and still finds the culprit', () => {
    const { outcome, tried } = search(32, (i) => (i === 15 ? 'skip' : i >= 20 ? 'bad' : 'good'));
    expect(outcome).toEqual({ kind: 'found', firstBad: 20, lastGood: 19 });
    expect(tried.slice(0, 2)).toEqual([15, 14]);
    expect(tried.length).toBeLessThanOrEqual(probesBound(32) + 1);
  });

  it('says which candidates may hold the culprit when only skipped ones separate good from bad', () => {
    const { outcome } = search(10, (i) => (i === 4 || i === 5 ? 'skip' : i >= 5 ? 'bad' : 'good'));
    expect(outcome).toEqual({ kind: 'ambiguous', lastGood: 3, candidates: [4, 5, 6] });
  });

  it('answers "ambiguous" when every candidate before the bad end is skipped', () => {
    expect(search(4, (i) => (i === 3 ? 'bad' : 'skip')).outcome).toEqual({ kind: 'ambiguous', lastGood: -1, candidates: [0, 1, 2, 3] });
  });

  it('reports a failure that comes and goes instead of a culprit', () => {
    const verdicts = new Map<number, Verdict>([[9, 'bad'], [2, 'bad'], [6, 'good']]);
    expect(nextProbe(10, verdicts)).toEqual({ kind: 'inconsistent', bad: 2, good: 6 });
  });

  it('a single candidate is the culprit without a probe', () => {
    expect(nextProbe(1, new Map([[0, 'bad']]))).toEqual({ kind: 'found', firstBad: 0, lastGood: -1 });
    expect(probesBound(1)).toBe(0);
  });

  it.each([
    ['no candidates', 0, new Map<number, Verdict>()],
    ['a bad end not judged', 3, new Map<number, Verdict>()],
    ['a bad end judged good', 3, new Map<number, Verdict>([[2, 'good']])],
    ['a verdict outside the range', 3, new Map<number, Verdict>([[2, 'bad'], [7, 'good']])],
  ])('refuses %s', (_name, count, verdicts) => {
    expect(() => nextProbe(count, verdicts)).toThrow(RangeError);
  });
});
