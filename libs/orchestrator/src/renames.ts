import type { Pin } from '@bllvm/manifest';
import { type SourcesConfig, hasCommit, packagesAt, remoteBranchHead } from '@bllvm/sources';
import { type CheckedMove, type Crossing, decideRename } from './follow-rename';
import type { PinMove } from './plan-moves';

// The facts follow-rename.ts decides on, read from a mirror and the remotes.

/** The rename decision for one planned move, from the mirror that holds both commits and the name the remote answered to. */
export async function checkMove(mirror: string, move: PinMove, pin: Pin, answered: string): Promise<CheckedMove> {
  const dir = pin.crateDir ?? '.';
  // The crate's old name is needed only where the pin does not say it (and the commit is still there).
  const pinnedCrate =
    pin.crate === undefined && (await hasCommit(mirror, pin.commit)) ? (await packagesAt(mirror, pin.commit)).find((p) => p.dir === dir)?.name : undefined;
  const decision = decideRename({ component: move.component, pin, pinnedCrate, to: move.to, repository: answered, packages: await packagesAt(mirror, move.to) });
  return { move, pin, repository: answered, decision };
}

/**
 * Beside one component's move across a rename (an event's): the other components whose remotes
 * answer to another name too (one `git ls-remote` each, asked only when there is such a move).
 */
export async function renamedBeside(
  sources: SourcesConfig,
  components: readonly string[],
  pins: (component: string) => Promise<Pin>,
  checked: CheckedMove,
): Promise<Crossing[]> {
  if (checked.decision.kind === 'same' || checked.repository === checked.pin.repository) return [];
  const others: Crossing[] = [];
  for (const c of components) {
    if (c === checked.move.component) continue;
    const pin = await pins(c);
    const { repository } = await remoteBranchHead(sources, pin.repository, pin.branch);
    if (repository !== pin.repository) others.push({ component: c, from: pin.repository, repository });
  }
  return others;
}
