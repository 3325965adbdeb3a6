import type { EventAction } from '@bllvm/events';
import type { ComponentGraph, Pin } from '@bllvm/manifest';
import { type SourcesConfig, ensureMirror, hasCommit, isOnBranch, remoteBranchHead } from '@bllvm/sources';
import { ancestryOf } from './ancestry';
import { RepoError } from './errors';
import { type AdoptPin, type CheckedMove, aloneAcross, followOrRefuse } from './follow-rename';
import { type CommitPinsOptions, type CommitPinsResult, type DeriveGraph, type PinReader, type PushTarget, commitPinMoves, describeMoves, movesBody } from './move-pins';
import { type MoveRequest, type PinMove, needsAncestry, planPinMoves } from './plan-moves';
import { checkMove, renamedBeside } from './renames';

export interface ApplyOptions {
  workspaceRoot: string;
  graph: ComponentGraph;
  sources: SourcesConfig;
  push?: PushTarget;
  dryRun?: boolean;
  log: (line: string) => void;
  /** The pin of a component that follows its crate across a rename (import's rule; follow-rename.ts). */
  adopt: AdoptPin;
  /** Makes the graph follow the written pins before they are committed (CommitPinsOptions.deriveGraph). */
  deriveGraph: DeriveGraph;
}

export type ApplyResult = Pick<CommitPinsResult, 'moves' | 'commit'>;

/** Carry out a validated event: move one pin (to a commit or its branch head), or all to their branch heads, in a commit. */
export async function applyEvent(action: EventAction, o: ApplyOptions): Promise<ApplyResult> {
  if (action.kind === 'none') return { moves: [] };
  if (action.kind === 'refresh-all') return refreshPins(o, action.source, false);
  if (action.kind === 'move-to-head') return moveToHead(action, o);
  if (action.kind === 'trial') throw new RepoError(`${action.source} asks for a trial, which moves no pin: run \`trial --event-file\` (trial.yml)`);
  const { component, sha, force } = action;
  return commitPinMoves(
    async (pins) => {
      const pin = await pins(component);
      if (action.ref && action.ref !== pin.branch)
        throw new RepoError(`${component} tracks branch ${pin.branch}, but the event is for ${action.ref}; refusing`);
      const mirror = await ensureMirror(o.sources, pin.repository, { refresh: true, component });
      if (!(await hasCommit(mirror, sha)))
        throw new RepoError(`commit ${sha} does not exist in ${pin.repository}; refusing to pin ${component} to it`);
      if (!(await isOnBranch(mirror, sha, pin.branch)))
        throw new RepoError(`commit ${sha} is not on ${pin.repository} branch ${pin.branch}; refusing to pin ${component} to it`);
      const moves = await planMove(mirror, pin, { component, to: sha, force });
      // Asked only for the name the repository answers to now (a rename seen through its redirect).
      return moves.length ? followOne(o, pins, mirror, pin, moves[0]!, (await remoteBranchHead(o.sources, pin.repository, pin.branch)).repository) : [];
    },
    (moves) => `pin ${describeMoves(moves)}\n\nFrom ${action.source}.\n${movesBody(moves)}`,
    commitOptions(o),
  );
}

/**
 * An upstream changed (develop-chain and its siblings): its pin moves to the head of the branch it
 * tracks, fast-forward only. The sender's version is not compared with anything (the head may be
 * newer than what it built); it is recorded in the commit message.
 */
async function moveToHead(action: Extract<EventAction, { kind: 'move-to-head' }>, o: ApplyOptions): Promise<ApplyResult> {
  const { component } = action;
  const from = action.version ? `${action.source} (version ${action.version})` : action.source;
  return commitPinMoves(
    async (pins) => {
      const pin = await pins(component);
      const head = await remoteBranchHead(o.sources, pin.repository, pin.branch);
      if (head.commit === pin.commit) return [];
      const mirror = await ensureMirror(o.sources, pin.repository, { commit: head.commit, component });
      const moves = await planMove(mirror, pin, { component, to: head.commit, force: false });
      return moves.length ? followOne(o, pins, mirror, pin, moves[0]!, head.repository) : [];
    },
    (moves) => `pin ${describeMoves(moves)}\n\nFrom ${from}: ${component} changed; rebuilds ${action.scope.join(', ')}.\n${movesBody(moves)}`,
    commitOptions(o),
  );
}

/**
 * The nightly refresh: every pin to the head of its tracked branch (one `git ls-remote` each),
 * fast-forward only unless forced. A pin whose repository answers to a new name (a rename, seen
 * through the old name's redirect), or whose crate moved, follows its crate where exactly one
 * package continues it; otherwise nothing moves and the refusal gives the `import` that adopts them.
 */
export async function refreshPins(o: ApplyOptions, source: string, force: boolean): Promise<ApplyResult> {
  return commitPinMoves(
    async (pins) => {
      const checked: CheckedMove[] = [];
      for (const component of o.graph.components) {
        const pin = await pins(component);
        const head = await remoteBranchHead(o.sources, pin.repository, pin.branch);
        if (head.commit === pin.commit) continue;
        const mirror = await ensureMirror(o.sources, pin.repository, { commit: head.commit, component });
        // Planned one at a time: the first refusal stops the refresh before another remote is asked.
        for (const move of await planMove(mirror, pin, { component, to: head.commit, force })) checked.push(await checkMove(mirror, move, pin, head.repository));
      }
      // Renames are decided for all at once: the pins crossing one move together, or none does.
      return followOrRefuse(checked, o.adopt);
    },
    (moves) => `nightly: refresh pins (${describeMoves(moves)})\n\nFrom ${source}.\n${movesBody(moves)}`,
    commitOptions(o),
  );
}

/** One component's move (an event's), checked for a rename; refused when others crossed it too and stay behind. */
async function followOne(o: ApplyOptions, pins: PinReader, mirror: string, pin: Pin, move: PinMove, answered: string): Promise<PinMove[]> {
  const checked = await checkMove(mirror, move, pin, answered);
  const others = await renamedBeside(o.sources, o.graph.components, pins, checked);
  return followOrRefuse([aloneAcross(checked, others)], o.adopt, others);
}

function commitOptions(o: ApplyOptions): CommitPinsOptions {
  return { workspaceRoot: o.workspaceRoot, roots: o.graph.roots, push: o.push, dryRun: o.dryRun, log: o.log, deriveGraph: o.deriveGraph };
}

/** One request through the planner, with the mirror's ancestry when the forward-only rule needs it; a refusal stops the event. */
async function planMove(mirror: string, pin: Pin, request: MoveRequest): Promise<PinMove[]> {
  const ancestry = needsAncestry(pin, request) ? { [request.component]: await ancestryOf(mirror, pin.commit, request.to) } : {};
  const plan = planPinMoves({ [request.component]: pin }, [request], ancestry);
  const [refusal] = plan.refusals;
  if (refusal) throw new RepoError(refusal.message);
  return plan.moves;
}
