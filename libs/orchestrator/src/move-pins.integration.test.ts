import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatPin } from '@bllvm/manifest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RepoError } from './errors';
import { FALLBACK_IDENTITY } from './git';
import { type CommitPinsOptions, type PinMove, commitPinMoves, describeMoves, movesBody, pushOutcome } from './move-pins';
import { pinsAt } from './pins';
import { headCommit } from './repo';
import { GRAPH, type TestRepos, commitFile, isolateGitEnv, makeRepos, sha, tgit } from './testing';

let restoreEnv: () => void;
beforeAll(() => {
  restoreEnv = isolateGitEnv();
});
afterAll(() => restoreEnv());

let r: TestRepos;
let log: string[];
/** Fresh repositories for each test of a describe that needs them. */
function withRepos() {
  beforeEach(async () => {
    r = await makeRepos();
    log = [];
  });
  afterEach(() => r.remove());
}

const opts = (o: Partial<CommitPinsOptions> = {}): CommitPinsOptions => ({ workspaceRoot: r.work, roots: GRAPH.roots, log: (l) => log.push(l), ...o });
const message = (moves: PinMove[]) => `pin ${describeMoves(moves)}\n\n${movesBody(moves)}`;
/** Move `component` to `to` unless it is there already: decided against the pins each attempt sees. */
const moveTo = (component: string, to: string) => async (pins: (c: string) => Promise<{ commit: string }>) => {
  const from = (await pins(component)).commit;
  return from === to ? [] : [{ component, from, to }];
};
const PUSH = { remote: 'origin', branch: 'main' };

describe('commitPinMoves, locally', () => {
  withRepos();

  it('writes and commits the moves, with full commits in the body, as the fallback identity', async () => {
    const start = await headCommit(r.work);
    const result = await commitPinMoves(moveTo('alpha', sha(10)), message, opts());
    expect(result).toEqual({ moves: [{ component: 'alpha', from: sha(1), to: sha(10) }], commit: await headCommit(r.work), attempts: 1 });
    expect(await tgit(r.work, 'rev-parse', 'HEAD~1')).toBe(start);
    expect(await pinsAt(r.work, GRAPH, 'HEAD')).toEqual({ alpha: sha(10), beta: sha(2) });
    expect(await tgit(r.work, 'log', '-1', '--format=%B')).toBe(`pin alpha 0000000 -> 0000000\n\nalpha: ${sha(1)} -> ${sha(10)}`);
    expect(await tgit(r.work, 'log', '-1', '--format=%an <%ae>')).toBe(`${FALLBACK_IDENTITY.name} <${FALLBACK_IDENTITY.email}>`);
    expect(await tgit(r.work, 'status', '--porcelain')).toBe('');
    expect(await tgit(r.origin, 'rev-parse', 'main')).toBe(start); // not pushed
  });

  it('changes the tracked branch when a move says so', async () => {
    await commitPinMoves(async () => [{ component: 'beta', from: sha(2), to: sha(2), branch: 'release' }], message, opts());
    expect(await readFile(join(r.work, 'apps/beta/pin.toml'), 'utf8')).toBe(formatPin({ repository: 'Org/beta', branch: 'release', commit: sha(2) }));
    expect(await tgit(r.work, 'log', '-1', '--format=%b')).toBe(`beta: ${sha(2)} -> ${sha(2)} (branch release)`);
  });

  it('commits nothing when nothing moves, and nothing at all in a dry run', async () => {
    const start = await headCommit(r.work);
    expect(await commitPinMoves(moveTo('alpha', sha(1)), message, opts())).toEqual({ moves: [], attempts: 1 });
    const dry = await commitPinMoves(moveTo('alpha', sha(11)), message, opts({ dryRun: true, push: PUSH }));
    expect(dry.moves).toEqual([{ component: 'alpha', from: sha(1), to: sha(11) }]);
    expect(dry.commit).toBeUndefined();
    expect(await headCommit(r.work)).toBe(start);
    expect(await tgit(r.work, 'status', '--porcelain')).toBe('');
  });

  it('refuses tracked local changes, which the commit would take along', async () => {
    await writeFile(join(r.work, 'apps/beta/pin.toml'), formatPin({ repository: 'Org/beta', branch: 'main', commit: sha(3) }));
    await expect(commitPinMoves(moveTo('alpha', sha(10)), message, opts())).rejects.toThrow(/uncommitted changes/);
    expect(await tgit(r.work, 'log', '--format=%s')).toBe('initial pins');
  });
});

describe('commitPinMoves with --push', () => {
  withRepos();

  it('pushes the pin commit to the remote branch', async () => {
    const result = await commitPinMoves(moveTo('alpha', sha(10)), message, opts({ push: PUSH }));
    expect(await tgit(r.origin, 'rev-parse', 'main')).toBe(result.commit);
    expect(log).toEqual([`pushed ${result.commit!.slice(0, 7)} to origin/main`]);
  });

  it('starts from the remote branch: a commit pushed by another run is built on, not lost', async () => {
    const other = await r.clone('other');
    const theirs = await commitFile(other, 'apps/beta/pin.toml', formatPin({ repository: 'Org/beta', branch: 'main', commit: sha(20) }), 'their move');
    await tgit(other, 'push', '-q', 'origin', 'main');
    const result = await commitPinMoves(moveTo('alpha', sha(10)), message, opts({ push: PUSH }));
    expect(result.attempts).toBe(1);
    expect(await tgit(r.origin, 'rev-parse', 'main~1')).toBe(theirs);
    expect(await pinsAt(r.work, GRAPH, 'origin/main')).toEqual({ alpha: sha(10), beta: sha(20) });
  });

  it('re-decides and re-applies on top when it loses the push race, keeping both updates', async () => {
    const other = await r.clone('racer');
    let theirs = '';
    let calls = 0;
    const result = await commitPinMoves(
      async (pins) => {
        // After this attempt fetched, another run moves the same pin further and pushes first.
        if (calls++ === 0) {
          theirs = await commitFile(other, 'apps/alpha/pin.toml', formatPin({ repository: 'Org/alpha', branch: 'main', commit: sha(30) }), 'racing move');
          await tgit(other, 'push', '-q', 'origin', 'main');
        }
        const beta = (await pins('beta')).commit;
        const alpha = (await pins('alpha')).commit;
        // The second attempt sees the racer's alpha: our decision is made against it, not the stale one.
        return [{ component: 'beta', from: beta, to: sha(40) }, ...(alpha === sha(30) ? [] : [{ component: 'alpha', from: alpha, to: sha(31) }])];
      },
      message,
      opts({ push: PUSH }),
    );
    expect(calls).toBe(2);
    expect(result.attempts).toBe(2);
    expect(result.moves).toEqual([{ component: 'beta', from: sha(2), to: sha(40) }]);
    expect(await tgit(r.origin, 'rev-parse', 'main~1')).toBe(theirs);
    expect(await tgit(r.origin, 'rev-parse', 'main')).toBe(result.commit);
    expect(await pinsAt(r.work, GRAPH, result.commit!)).toEqual({ alpha: sha(30), beta: sha(40) });
    expect(log.some((l) => /push raced with another update \(attempt 1\/20\)/.test(l))).toBe(true);
  });

  it('does not retry a refusal by the remote, and leaves HEAD where it was', async () => {
    const hook = join(r.origin, 'hooks', 'pre-receive');
    await writeFile(hook, '#!/bin/sh\necho "protected branch: pushes need a review" >&2\nexit 1\n');
    await chmod(hook, 0o755);
    const start = await headCommit(r.work);
    let calls = 0;
    const err = await commitPinMoves(async (pins) => (calls++, moveTo('alpha', sha(10))(pins)), message, opts({ push: PUSH })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RepoError);
    expect((err as Error).message).toMatch(/^cannot push pin commit to origin: .*(declined|protected branch)/);
    expect(calls).toBe(1);
    expect(await headCommit(r.work)).toBe(start);
    expect(await tgit(r.work, 'status', '--porcelain')).toBe('');
  });

  it('refuses to drop a local commit the remote does not have', async () => {
    await commitFile(r.work, 'README', 'local work\n', 'unpushed work');
    const start = await headCommit(r.work);
    await expect(commitPinMoves(moveTo('alpha', sha(10)), message, opts({ push: PUSH }))).rejects.toThrow(/has commits that are not on origin\/main/);
    expect(await headCommit(r.work)).toBe(start);
  });

  it('gives up after the attempts it was allowed, restoring HEAD', async () => {
    const other = await r.clone('always-first');
    const start = await headCommit(r.work);
    let n = 0;
    const err = await commitPinMoves(
      async (pins) => {
        await commitFile(other, 'README', `race ${n++}\n`, 'always first');
        await tgit(other, 'push', '-q', 'origin', 'main');
        return moveTo('alpha', sha(10))(pins);
      },
      message,
      opts({ push: PUSH, maxAttempts: 2 }),
    ).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/could not push the pin move after 2 attempts; nothing was lost/);
    expect(await headCommit(r.work)).toBe(start);
  });
});

describe('pushOutcome (pure)', () => {
  it.each([
    [' ! [rejected]        HEAD -> main (fetch first)', 'lost-race'],
    [' ! [rejected]        HEAD -> main (non-fast-forward)', 'lost-race'],
    ['error: cannot lock ref \'refs/heads/main\'', 'lost-race'],
    [' ! [remote rejected] HEAD -> main (pre-receive hook declined)', 'refused'],
    ['remote: error: GH006: Protected branch update failed; non-fast-forward', 'refused'],
    ['remote: Permission to org/repo.git denied to bot.', 'refused'],
    ['fatal: could not read from remote repository', 'refused'],
  ])('%s -> %s', (stderr, outcome) => {
    expect(pushOutcome(stderr)).toBe(outcome);
  });
});
