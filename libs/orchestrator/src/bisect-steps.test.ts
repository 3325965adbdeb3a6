import { describe, expect, it } from 'vitest';
import { buildsBound, isolateMoves, movedComponents, pinMovingSteps, type PinnedRevision } from './bisect-steps';

const ORDER = ['consensus', 'protocol', 'node'];
const sha = (c: string) => c.repeat(40);
const rev = (n: string, pins: Record<string, string | undefined>): PinnedRevision => ({ commit: sha(n), subject: `commit ${n}`, pins });

describe('bisection steps', () => {
  it('lists moved components in graph order, then ones the graph no longer has', () => {
    expect(movedComponents({ consensus: sha('a'), node: sha('b'), gone: sha('c') }, { consensus: sha('d'), node: sha('e') }, ORDER)).toEqual(['consensus', 'node', 'gone']);
    expect(movedComponents({ consensus: sha('a') }, { consensus: sha('a') }, ORDER)).toEqual([]);
  });

  it('keeps only the commits that moved a pin', () => {
    const good = { consensus: sha('a'), protocol: sha('b') };
    const history = [
      rev('1', { consensus: sha('a'), protocol: sha('b') }), // docs only
      rev('2', { consensus: sha('c'), protocol: sha('b') }),
      rev('3', { consensus: sha('c'), protocol: sha('b') }), // docs only
      rev('4', { consensus: sha('c'), protocol: sha('d') }),
    ];
    expect(pinMovingSteps(good, history, ORDER).map((r) => r.subject)).toEqual(['commit 2', 'commit 4']);
  });

  it('splits a step that moved several pins into one state per move, upstream first', () => {
    const lastGood = { consensus: sha('a'), protocol: sha('b'), node: sha('c') };
    const firstBad = { consensus: sha('d'), protocol: sha('b'), node: sha('e'), added: sha('f') };
    expect(isolateMoves(lastGood, firstBad, ORDER)).toEqual([
      { component: 'consensus', pins: { ...lastGood, consensus: sha('d') } },
      { component: 'node', pins: { ...lastGood, node: sha('e') } },
    ]);
  });

  it('bounds the builds: both ends, ⌈log₂⌉ of each phase, one per extra move', () => {
    expect(buildsBound(32, 20)).toBe(2 + 5 + 5);
    expect(buildsBound(32, 0)).toBe(7);
    expect(buildsBound(1, 1, 3)).toBe(4);
  });
});
