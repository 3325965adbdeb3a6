import { type Pin, pinPath, readPin, writePin } from '@bllvm/manifest';
import { git, gitReason } from '@bllvm/sources';
import { RepoError } from './errors';
import { identityArgs, mustGit } from './git';
import type { PinMove } from './plan-moves';
import { assertCleanWorktree, headCommit, restoreHead } from './repo';

export type { PinMove } from './plan-moves';

export interface PushTarget {
  remote: string;
  branch: string;
}

export interface CommitPinsOptions {
  workspaceRoot: string;
  roots: Record<string, string>;
  /** Push to this remote's branch and retry on a race; without it, commit locally only. */
  push?: PushTarget;
  maxAttempts?: number;
  /** Decide and report the moves; write, commit and push nothing. */
  dryRun?: boolean;
  log: (line: string) => void;
  /**
   * Runs after the moved pins are written and before they are committed: make the component graph
   * follow them (the CLI runs `nx sync`, which derives it from the pinned manifests). Every tracked
   * file it changes is committed with the pins, so the commit passes `nx sync:check`; when it
   * throws (the graph does not derive), nothing is committed and the files are put back.
   */
  deriveGraph?: DeriveGraph;
}

/** Given the moves (each with the repository it is in), make the graph follow them; may decide there is nothing to derive. */
export type DeriveGraph = (moves: readonly (PinMove & { repository: string })[]) => Promise<void>;

export interface CommitPinsResult {
  moves: PinMove[];
  commit?: string;
  attempts: number;
}

/** Reads a component's pin as the current attempt sees it. */
export type PinReader = (component: string) => Promise<Pin>;

/**
 * Decide the moves against the current pins, write them, commit, and push. When another run
 * pushed first (non-fast-forward), start again from the remote's state: the moves are decided
 * afresh each attempt, so neither update is lost and nothing is applied twice.
 */
export async function commitPinMoves(
  decide: (pins: PinReader) => Promise<PinMove[]>,
  message: (moves: PinMove[]) => string,
  o: CommitPinsOptions,
): Promise<CommitPinsResult> {
  const cwd = o.workspaceRoot;
  // Generous: each attempt is cheap, and giving up loses an update until someone reruns the event.
  const attempts = o.maxAttempts ?? 20;
  if (!o.dryRun) await assertCleanWorktree(cwd);
  const start = await headCommit(cwd);
  try {
    return await attemptMoves(decide, message, o, attempts);
  } catch (e) {
    // Leave the workspace as we found it, so a plain rerun starts from the same place.
    await restoreHead(cwd, start);
    if (!o.dryRun) await discardTrackedChanges(cwd);
    throw e;
  }
}

async function attemptMoves(
  decide: (pins: PinReader) => Promise<PinMove[]>,
  message: (moves: PinMove[]) => string,
  o: CommitPinsOptions,
  attempts: number,
): Promise<CommitPinsResult> {
  const cwd = o.workspaceRoot;
  let ours: string | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (o.push && !o.dryRun) await syncWithRemote(cwd, o.push, ours);
    const moves = await decide((c) => readPin(pinPath(cwd, o.roots[c]!)));
    if (!moves.length || o.dryRun) return { moves, attempts: attempt };
    const located: (PinMove & { repository: string })[] = [];
    for (const m of moves) {
      const file = pinPath(cwd, o.roots[m.component]!);
      const pin = await readPin(file);
      located.push({ ...m, repository: pin.repository });
      await writePin(file, m.adopted ?? { ...pin, commit: m.to, branch: m.branch ?? pin.branch });
    }
    const pinFiles = moves.map((m) => `${o.roots[m.component]}/pin.toml`);
    await mustGit(cwd, ['add', '--', ...pinFiles]);
    if (o.deriveGraph) {
      await o.deriveGraph(located);
      // The worktree was clean before the pins were written: every other tracked change is the graph's.
      const derived = trackedChanges((await mustGit(cwd, ['diff', '--name-only', '-z'])).stdout);
      if (derived.length) {
        await mustGit(cwd, ['add', '--', ...derived]);
        o.log(`the graph follows the moved pins: ${derived.join(', ')}`);
      }
    }
    await mustGit(cwd, [...(await identityArgs(cwd)), 'commit', '--quiet', '-m', message(moves)]);
    const commit = await headCommit(cwd);
    ours = commit;
    if (!o.push) return { moves, commit, attempts: attempt };
    const pushed = await git(['push', '--quiet', o.push.remote, `HEAD:refs/heads/${o.push.branch}`], { cwd });
    if (pushed.ok) {
      o.log(`pushed ${commit.slice(0, 7)} to ${o.push.remote}/${o.push.branch}`);
      return { moves, commit, attempts: attempt };
    }
    if (pushOutcome(pushed.stderr) === 'refused')
      throw new RepoError(`cannot push pin commit to ${o.push.remote}: ${gitReason(pushed)}`);
    o.log(`push raced with another update (attempt ${attempt}/${attempts}); re-applying on top of ${o.push.remote}/${o.push.branch}`);
    await new Promise((r) => setTimeout(r, 100 + Math.random() * Math.min(2000, 300 * attempt)));
  }
  throw new RepoError(`could not push the pin move after ${attempts} attempts; nothing was lost: rerun the same event`);
}

/** Only a lost race is retried; a refusal by the remote (hook, protection) or anything unknown is final. */
export function pushOutcome(stderr: string): 'lost-race' | 'refused' {
  const lostRace = /non-fast-forward|fetch first|failed to update ref|cannot lock ref|stale info|incorrect old value/i.test(stderr);
  const refused = /hook declined|protected branch|permission|denied/i.test(stderr);
  return lostRace && !refused ? 'lost-race' : 'refused';
}

export function describeMoves(moves: PinMove[]): string {
  return moves.map((m) => `${m.component} ${m.from.slice(0, 7)} -> ${m.to.slice(0, 7)}${m.branch ? ` (branch ${m.branch})` : ''}${followed(m, false)}`).join(', ');
}

/** Body lines with full commits, so history says exactly what moved. */
export function movesBody(moves: PinMove[]): string {
  return moves.map((m) => `${m.component}: ${m.from} -> ${m.to}${m.branch ? ` (branch ${m.branch})` : ''}${followed(m, true)}`).join('\n');
}

/** Where a followed crate is now; in full (folder and former names too) for the commit body. */
function followed(m: PinMove, full: boolean): string {
  const a = m.adopted;
  if (!a) return '';
  const detail = full ? ` in ${a.crateDir ? `${a.crateDir}/` : 'the root'}${a.formerNames?.length ? `; former names ${a.formerNames.join(', ')}` : ''}` : '';
  return ` (now ${a.repository}, crate ${a.crate ?? '?'}${detail})`;
}

function trackedChanges(z: string): string[] {
  return z.split('\0').filter(Boolean);
}

/**
 * Put tracked files back as HEAD has them: pins written (and a graph derived) for a commit that was
 * not made. Only called where the worktree was clean when the run began, so nothing else is lost.
 * Never throws: an error is already on its way out.
 */
async function discardTrackedChanges(cwd: string): Promise<void> {
  const changed = await git(['diff', '--name-only', '-z', 'HEAD'], { cwd });
  const files = changed.ok ? trackedChanges(changed.stdout) : [];
  if (files.length) await git(['restore', '--source=HEAD', '--staged', '--worktree', '--', ...files], { cwd });
}

/**
 * Put HEAD on the remote branch. Only our own pin commit from a raced attempt may be dropped
 * (it is re-decided on top); any other local commit makes us stop rather than lose it.
 */
async function syncWithRemote(cwd: string, push: PushTarget, ours: string | undefined) {
  const f = await git(['fetch', '--quiet', push.remote, `refs/heads/${push.branch}`], { cwd });
  if (!f.ok) throw new RepoError(`cannot fetch ${push.remote}/${push.branch}: ${gitReason(f)}`);
  const head = await headCommit(cwd);
  const contained = (await git(['merge-base', '--is-ancestor', 'HEAD', 'FETCH_HEAD'], { cwd })).ok;
  if (!contained && head !== ours) {
    const parentOk = ours === undefined ? false : (await git(['merge-base', '--is-ancestor', `${ours}~1`, 'FETCH_HEAD'], { cwd })).ok;
    if (!parentOk) throw new RepoError(`HEAD ${head.slice(0, 7)} has commits that are not on ${push.remote}/${push.branch}; push or drop them before moving pins with --push`);
  }
  await mustGit(cwd, ['reset', '--quiet', '--hard', 'FETCH_HEAD']);
}
