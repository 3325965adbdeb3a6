/**
 * Where pins move, decided from facts already gathered: the one planner behind `pin`, events, the
 * nightly refresh and `release`. Reading the pins and asking a mirror how two commits relate happen
 * before it (ancestry.ts); writing, committing and pushing after it (commitPinMoves).
 */

import type { Pin } from '@bllvm/manifest';

export interface PinMove {
  component: string;
  from: string;
  to: string;
  /** The branch the pin tracks from now on, when the move changes it (only a manual `pin --branch` does). */
  branch?: string;
  /**
   * The whole pin after the move, when it follows its crate across a rename or to another folder
   * (follow-rename.ts): repository, crate, folder and former names change with the commit.
   */
  adopted?: Pin;
}

/** A component's pin as the planner reads it. */
export interface PinState {
  commit: string;
  branch: string;
}

export interface MoveRequest {
  component: string;
  to: string;
  /** The branch the pin should track; a move only when it differs from the current one. */
  branch?: string;
  /**
   * Lift the forward-only rule. Events and the nightly refresh set it only when told to (`force`);
   * `pin` (a person naming a commit) and `release` (the commits versions.toml tags) always do: they
   * name the exact commit wanted, which may well be older than the pin.
   */
  force: boolean;
}

/**
 * How a request's target relates to the component's current pin, in the pinned repository:
 * `descendant` (a fast-forward), `older` (an ancestor of the pin), `diverged` (neither), or
 * `unknown` when the repository no longer holds the pinned commit (a rewritten history), where
 * there is nothing to compare and the move is allowed.
 */
export type Ancestry = 'descendant' | 'older' | 'diverged' | 'unknown';

export interface Refusal {
  component: string;
  from: string;
  to: string;
  ancestry: 'older' | 'diverged';
  message: string;
}

export interface PinPlan {
  moves: PinMove[];
  refusals: Refusal[];
}

/** Whether planning this request needs the ancestry of its target: only the forward-only rule asks. */
export function needsAncestry(pin: PinState, request: MoveRequest): boolean {
  return !request.force && pin.commit !== request.to;
}

/**
 * The forward-only rule: a pin moves only to a descendant of its current commit, unless the
 * request is forced. Returns the refusal, or undefined when the move may go ahead.
 */
export function forwardOnly(request: MoveRequest, from: string, ancestry: Ancestry | undefined): Refusal | undefined {
  if (request.force || from === request.to) return undefined;
  if (ancestry === undefined) throw new Error(`planPinMoves: no ancestry for ${request.component} ${from} -> ${request.to}`);
  if (ancestry === 'descendant' || ancestry === 'unknown') return undefined;
  return {
    component: request.component,
    from,
    to: request.to,
    ancestry,
    message:
      `${request.component}: ${request.to.slice(0, 7)} is ${ancestry === 'older' ? 'older than' : 'not a descendant of'} the current pin ${from.slice(0, 7)}; ` +
      'refusing to move the pin backwards (pass force to override)',
  };
}

/**
 * The moves the requests ask for, in request order: none where the pin is already there (same
 * commit, same branch), a refusal where the forward-only rule says no. `ancestry` holds, per
 * component, the fact needsAncestry asked for.
 */
export function planPinMoves(
  pins: Readonly<Record<string, PinState>>,
  requests: readonly MoveRequest[],
  ancestry: Readonly<Record<string, Ancestry>> = {},
): PinPlan {
  const plan: PinPlan = { moves: [], refusals: [] };
  for (const request of requests) {
    const pin = pins[request.component];
    if (!pin) throw new Error(`planPinMoves: no pin read for ${request.component}`);
    const branch = request.branch !== undefined && request.branch !== pin.branch ? request.branch : undefined;
    if (pin.commit === request.to && branch === undefined) continue;
    const refusal = forwardOnly(request, pin.commit, ancestry[request.component]);
    if (refusal) plan.refusals.push(refusal);
    else plan.moves.push({ component: request.component, from: pin.commit, to: request.to, ...(branch !== undefined ? { branch } : {}) });
  }
  return plan;
}
