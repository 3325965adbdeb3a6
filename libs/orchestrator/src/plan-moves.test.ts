import { describe, expect, it } from 'vitest';
import { type MoveRequest, forwardOnly, needsAncestry, planPinMoves } from './plan-moves';

const sha = (n: number) => n.toString(16).padStart(40, '0');
const PINS = { alpha: { commit: sha(1), branch: 'main' }, beta: { commit: sha(2), branch: 'main' } };
const to = (component: string, target: string, o: Partial<MoveRequest> = {}): MoveRequest => ({ component, to: target, force: false, ...o });

describe('planPinMoves', () => {
  it('moves a pin forward, and leaves a pin already at its target alone', () => {
    expect(planPinMoves(PINS, [to('alpha', sha(10)), to('beta', sha(2))], { alpha: 'descendant' })).toEqual({
      moves: [{ component: 'alpha', from: sha(1), to: sha(10) }],
      refusals: [],
    });
  });

  it('allows a move whose current pin the repository no longer holds: nothing to compare', () => {
    expect(planPinMoves(PINS, [to('alpha', sha(10))], { alpha: 'unknown' }).moves).toEqual([{ component: 'alpha', from: sha(1), to: sha(10) }]);
  });

  it.each([
    ['older', 'older than'],
    ['diverged', 'not a descendant of'],
  ] as const)('refuses a target that is %s, naming both commits', (ancestry, words) => {
    expect(planPinMoves(PINS, [to('alpha', sha(10))], { alpha: ancestry })).toEqual({
      moves: [],
      refusals: [{
        component: 'alpha', from: sha(1), to: sha(10), ancestry,
        message: `alpha: 0000000 is ${words} the current pin 0000000; refusing to move the pin backwards (pass force to override)`,
      }],
    });
  });

  it('moves anywhere when forced, without asking for ancestry', () => {
    expect(needsAncestry(PINS.alpha, to('alpha', sha(10), { force: true }))).toBe(false);
    expect(planPinMoves(PINS, [to('alpha', sha(10), { force: true })]).moves).toEqual([{ component: 'alpha', from: sha(1), to: sha(10) }]);
  });

  it('asks for ancestry only where the forward-only rule decides, and fails loudly without it', () => {
    expect(needsAncestry(PINS.alpha, to('alpha', sha(1)))).toBe(false);
    expect(needsAncestry(PINS.alpha, to('alpha', sha(10)))).toBe(true);
    expect(() => forwardOnly(to('alpha', sha(10)), sha(1), undefined)).toThrow(/no ancestry for alpha/);
  });

  it('changes the tracked branch only when it differs, even without a new commit', () => {
    expect(planPinMoves(PINS, [to('beta', sha(2), { branch: 'release', force: true })]).moves).toEqual([
      { component: 'beta', from: sha(2), to: sha(2), branch: 'release' },
    ]);
    expect(planPinMoves(PINS, [to('beta', sha(2), { branch: 'main', force: true })]).moves).toEqual([]);
    expect(planPinMoves(PINS, [to('beta', sha(20), { branch: 'main', force: true })]).moves).toEqual([{ component: 'beta', from: sha(2), to: sha(20) }]);
  });

  it('keeps request order, and plans every request even past a refusal', () => {
    const plan = planPinMoves(PINS, [to('beta', sha(20)), to('alpha', sha(10))], { alpha: 'older', beta: 'descendant' });
    expect(plan.moves.map((m) => m.component)).toEqual(['beta']);
    expect(plan.refusals.map((r) => r.component)).toEqual(['alpha']);
  });

  it('refuses to plan a component whose pin was not read', () => {
    expect(() => planPinMoves(PINS, [to('gamma', sha(3), { force: true })])).toThrow(/no pin read for gamma/);
  });
});
