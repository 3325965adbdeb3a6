import type { EventAction } from '@bllvm/events';
import type { ComponentGraph, Pin } from '@bllvm/manifest';
import { type SourcesConfig, ensureMirror, hasCommit, isOnBranch, remoteHead } from '@bllvm/sources';
import { ancestryOf } from './ancestry';
import { RepoError } from './errors';
import { type CommitPinsResult, type PushTarget, commitPinMoves, describeMoves, movesBody } from './move-pins';
import { type MoveRequest, type PinMove, needsAncestry, planPinMoves } from './plan-moves';

export interface ApplyOptions {
  workspaceRoot: string;
  graph: ComponentGraph;
  sources: SourcesConfig;
  push?: PushTarget;
  dryRun?: boolean;
  log: (line: string) => void;
}

export type ApplyResult = Pick<CommitPinsResult, 'moves' | 'commit'>;

/** Carry out a validated event: move one pin (to a commit or its branch head), or all to their branch heads, in a commit. */
export async function applyEvent(action: EventAction, o: ApplyOptions): Promise<ApplyResult> {
  if (action.kind === 'none') return { moves: [] };
  if (action.kind === 'refresh-all') return refreshPins(o, action.source, false);
  if (action.kind === 'move-to-head') return moveToHead(action, o);
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
      return planMove(mirror, pin, { component, to: sha, force });
    },
    (moves) => `pin ${describeMoves(moves)}\n\nFrom ${action.source}.\n${movesBody(moves)}`,
    { workspaceRoot: o.workspaceRoot, roots: o.graph.roots, push: o.push, dryRun: o.dryRun, log: o.log },
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
      const head = await remoteHead(o.sources, pin.repository, pin.branch);
      if (head === pin.commit) return [];
      const mirror = await ensureMirror(o.sources, pin.repository, { commit: head, component });
      return planMove(mirror, pin, { component, to: head, force: false });
    },
    (moves) => `pin ${describeMoves(moves)}\n\nFrom ${from}: ${component} changed; rebuilds ${action.scope.join(', ')}.\n${movesBody(moves)}`,
    { workspaceRoot: o.workspaceRoot, roots: o.graph.roots, push: o.push, dryRun: o.dryRun, log: o.log },
  );
}

/** The nightly refresh: every pin to the head of its tracked branch (one `git ls-remote` each), fast-forward only unless forced. */
export async function refreshPins(o: ApplyOptions, source: string, force: boolean): Promise<ApplyResult> {
  return commitPinMoves(
    async (pins) => {
      const moves: PinMove[] = [];
      for (const component of o.graph.components) {
        const pin = await pins(component);
        const head = await remoteHead(o.sources, pin.repository, pin.branch);
        if (head === pin.commit) continue;
        const mirror = await ensureMirror(o.sources, pin.repository, { commit: head, component });
        // Planned one at a time: the first refusal stops the refresh before another remote is asked.
        moves.push(...(await planMove(mirror, pin, { component, to: head, force })));
      }
      return moves;
    },
    (moves) => `nightly: refresh pins (${describeMoves(moves)})\n\nFrom ${source}.\n${movesBody(moves)}`,
    { workspaceRoot: o.workspaceRoot, roots: o.graph.roots, push: o.push, dryRun: o.dryRun, log: o.log },
  );
}

/** One request through the planner, with the mirror's ancestry when the forward-only rule needs it; a refusal stops the event. */
async function planMove(mirror: string, pin: Pin, request: MoveRequest): Promise<PinMove[]> {
  const ancestry = needsAncestry(pin, request) ? { [request.component]: await ancestryOf(mirror, pin.commit, request.to) } : {};
  const plan = planPinMoves({ [request.component]: pin }, [request], ancestry);
  const [refusal] = plan.refusals;
  if (refusal) throw new RepoError(refusal.message);
  return plan.moves;
}
