import { type Pin, pinPath, readPin, writePin } from '@bllvm/manifest';
import { git, gitReason } from '@bllvm/sources';
import { CommandError } from '../command';

export interface PinMove {
  component: string;
  from: string;
  to: string;
}

export interface CommitPinsOptions {
  workspaceRoot: string;
  roots: Record<string, string>;
  /** Push to this remote's branch and retry on a race; without it, commit locally only. */
  push?: { remote: string; branch: string };
  maxAttempts?: number;
  /** Decide and report the moves; write, commit and push nothing. */
  dryRun?: boolean;
  log: (line: string) => void;
}

/**
 * Decide the moves against the current pins, write them, commit, and push. When another run
 * pushed first (non-fast-forward), start again from the remote's state: the moves are decided
 * afresh each attempt, so neither update is lost and nothing is applied twice.
 */
export async function commitPinMoves(
  decide: (pins: (component: string) => Promise<Pin>) => Promise<PinMove[]>,
  message: (moves: PinMove[]) => string,
  o: CommitPinsOptions,
): Promise<{ moves: PinMove[]; commit?: string; attempts: number }> {
  const cwd = o.workspaceRoot;
  // Generous: each attempt is cheap, and giving up loses an update until someone reruns the event.
  const attempts = o.maxAttempts ?? 20;
  if (!o.dryRun) await assertCleanWorktree(cwd);
  const start = (await run(cwd, ['rev-parse', 'HEAD'])).stdout;
  try {
    return await attemptMoves(decide, message, o, attempts);
  } catch (e) {
    // Leave the workspace as we found it, so a plain rerun starts from the same place.
    const now = await git(['rev-parse', 'HEAD'], { cwd });
    if (now.ok && now.stdout !== start) await git(['reset', '--quiet', '--keep', start], { cwd });
    throw e;
  }
}

async function attemptMoves(
  decide: (pins: (component: string) => Promise<Pin>) => Promise<PinMove[]>,
  message: (moves: PinMove[]) => string,
  o: CommitPinsOptions,
  attempts: number,
): Promise<{ moves: PinMove[]; commit?: string; attempts: number }> {
  const cwd = o.workspaceRoot;
  let ours: string | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (o.push && !o.dryRun) await syncWithRemote(cwd, o.push.remote, o.push.branch, ours);
    const moves = await decide((c) => readPin(pinPath(cwd, o.roots[c]!)));
    if (!moves.length || o.dryRun) return { moves, attempts: attempt };
    for (const m of moves) {
      const file = pinPath(cwd, o.roots[m.component]!);
      await writePin(file, { ...(await readPin(file)), commit: m.to });
    }
    await run(cwd, ['add', '--', ...moves.map((m) => `${o.roots[m.component]}/pin.toml`)]);
    await run(cwd, [...identity(await hasIdentity(cwd)), 'commit', '--quiet', '-m', message(moves)]);
    const commit = (await run(cwd, ['rev-parse', 'HEAD'])).stdout;
    ours = commit;
    if (!o.push) return { moves, commit, attempts: attempt };
    const pushed = await git(['push', '--quiet', o.push.remote, `HEAD:refs/heads/${o.push.branch}`], { cwd });
    if (pushed.ok) {
      o.log(`pushed ${commit.slice(0, 7)} to ${o.push.remote}/${o.push.branch}`);
      return { moves, commit, attempts: attempt };
    }
    // Only a lost race is retried; a refusal by the remote (hook, protection) is final.
    const lostRace = /non-fast-forward|fetch first|failed to update ref|cannot lock ref|stale info|incorrect old value/i.test(pushed.stderr);
    const refused = /hook declined|protected branch|permission|denied/i.test(pushed.stderr);
    if (refused || !lostRace)
      throw new CommandError(`cannot push pin commit to ${o.push.remote}: ${gitReason(pushed)}`);
    o.log(`push raced with another update (attempt ${attempt}/${attempts}); re-applying on top of ${o.push.remote}/${o.push.branch}`);
    await new Promise((r) => setTimeout(r, 100 + Math.random() * Math.min(2000, 300 * attempt)));
  }
  throw new CommandError(`could not push the pin move after ${attempts} attempts; nothing was lost: rerun the same event`);
}

export function describeMoves(moves: PinMove[]): string {
  return moves.map((m) => `${m.component} ${m.from.slice(0, 7)} -> ${m.to.slice(0, 7)}`).join(', ');
}

/** Body lines with full commits, so history says exactly what moved. */
export function movesBody(moves: PinMove[]): string {
  return moves.map((m) => `${m.component}: ${m.from} -> ${m.to}`).join('\n');
}

async function assertCleanWorktree(cwd: string) {
  const r = await run(cwd, ['status', '--porcelain', '--untracked-files=no']);
  if (r.stdout) throw new CommandError(`the workspace has uncommitted changes; commit or stash them before moving pins:\n${r.stdout}`);
}

/**
 * Put HEAD on the remote branch. Only our own pin commit from a raced attempt may be dropped
 * (it is re-decided on top); any other local commit makes us stop rather than lose it.
 */
async function syncWithRemote(cwd: string, remote: string, branch: string, ours: string | undefined) {
  const f = await git(['fetch', '--quiet', remote, `refs/heads/${branch}`], { cwd });
  if (!f.ok) throw new CommandError(`cannot fetch ${remote}/${branch}: ${gitReason(f)}`);
  const head = (await run(cwd, ['rev-parse', 'HEAD'])).stdout;
  const contained = (await git(['merge-base', '--is-ancestor', 'HEAD', 'FETCH_HEAD'], { cwd })).ok;
  if (!contained && head !== ours) {
    const parentOk = ours === undefined ? false : (await git(['merge-base', '--is-ancestor', `${ours}~1`, 'FETCH_HEAD'], { cwd })).ok;
    if (!parentOk) throw new CommandError(`HEAD ${head.slice(0, 7)} has commits that are not on ${remote}/${branch}; push or drop them before moving pins with --push`);
  }
  await run(cwd, ['reset', '--quiet', '--hard', 'FETCH_HEAD']);
}

async function hasIdentity(cwd: string): Promise<boolean> {
  return (await git(['config', 'user.email'], { cwd })).ok;
}

function identity(configured: boolean): string[] {
  return configured ? [] : ['-c', 'user.name=bllvm-release', '-c', 'user.email=bllvm-release@users.noreply.github.com'];
}

async function run(cwd: string, args: string[]) {
  const r = await git(args, { cwd });
  if (!r.ok) throw new CommandError(`git ${args[0]} failed in ${cwd}: ${gitReason(r)}`);
  return r;
}
