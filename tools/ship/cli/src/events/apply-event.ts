import type { ComponentGraph, Pin } from '@bllvm/manifest';
import { type SourcesConfig, ensureMirror, hasCommit, isAncestor, isOnBranch, remoteHead } from '@bllvm/sources';
import { CommandError } from '../command';
import { type PinMove, commitPinMoves, describeMoves, movesBody } from '@bllvm/orchestrator';
import type { EventAction } from './event-action';

export interface ApplyOptions {
  workspaceRoot: string;
  graph: ComponentGraph;
  sources: SourcesConfig;
  push?: { remote: string; branch: string };
  dryRun?: boolean;
  log: (line: string) => void;
}

export interface ApplyResult {
  moves: PinMove[];
  commit?: string;
}

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
        throw new CommandError(`${component} tracks branch ${pin.branch}, but the event is for ${action.ref}; refusing`);
      const mirror = await ensureMirror(o.sources, pin.repository, { refresh: true, component });
      if (!(await hasCommit(mirror, sha)))
        throw new CommandError(`commit ${sha} does not exist in ${pin.repository}; refusing to pin ${component} to it`);
      if (!(await isOnBranch(mirror, sha, pin.branch)))
        throw new CommandError(`commit ${sha} is not on ${pin.repository} branch ${pin.branch}; refusing to pin ${component} to it`);
      return decideMove(mirror, component, pin, sha, force);
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
      return decideMove(mirror, component, pin, head, false);
    },
    (moves) => `pin ${describeMoves(moves)}\n\nFrom ${from}: ${component} changed; rebuilds ${action.scope.join(', ')}.\n${movesBody(moves)}`,
    { workspaceRoot: o.workspaceRoot, roots: o.graph.roots, push: o.push, dryRun: o.dryRun, log: o.log },
  );
}

/** Every pin to the head of its tracked branch (one `git ls-remote` each), fast-forward only unless forced. */
export async function refreshPins(o: ApplyOptions, source: string, force: boolean): Promise<ApplyResult> {
  return commitPinMoves(
    async (pins) => {
      const moves: PinMove[] = [];
      for (const component of o.graph.components) {
        const pin = await pins(component);
        const head = await remoteHead(o.sources, pin.repository, pin.branch);
        if (head === pin.commit) continue;
        const mirror = await ensureMirror(o.sources, pin.repository, { commit: head, component });
        const move = await decideMove(mirror, component, pin, head, force);
        moves.push(...move);
      }
      return moves;
    },
    (moves) => `nightly: refresh pins (${describeMoves(moves)})\n\nFrom ${source}.\n${movesBody(moves)}`,
    { workspaceRoot: o.workspaceRoot, roots: o.graph.roots, push: o.push, dryRun: o.dryRun, log: o.log },
  );
}

async function decideMove(mirror: string, component: string, pin: Pin, to: string, force: boolean): Promise<PinMove[]> {
  if (pin.commit === to) return [];
  if (!force && (await hasCommit(mirror, pin.commit)) && !(await isAncestor(mirror, pin.commit, to))) {
    const older = await isAncestor(mirror, to, pin.commit);
    throw new CommandError(
      `${component}: ${to.slice(0, 7)} is ${older ? 'older than' : 'not a descendant of'} the current pin ${pin.commit.slice(0, 7)}; ` +
        'refusing to move the pin backwards (pass force to override)',
    );
  }
  return [{ component, from: pin.commit, to }];
}
