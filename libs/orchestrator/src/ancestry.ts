import { hasCommit, isAncestor } from '@bllvm/sources';
import type { Ancestry } from './plan-moves';

/** How `to` relates to the pinned commit `from`, asked of the mirror that holds both (planPinMoves' fact). */
export async function ancestryOf(mirror: string, from: string, to: string): Promise<Ancestry> {
  if (!(await hasCommit(mirror, from))) return 'unknown';
  if (await isAncestor(mirror, from, to)) return 'descendant';
  return (await isAncestor(mirror, to, from)) ? 'older' : 'diverged';
}
