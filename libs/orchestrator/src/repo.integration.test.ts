import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, afterAll, beforeEach, describe, expect, it } from 'vitest';
import { RepoError } from './errors';
import { FALLBACK_IDENTITY, identityArgs, mustGit } from './git';
import { assertCleanWorktree, changedFilesSince, commitDate, headCommit, resolveRevision, restoreHead, showFile, uncommittedPins } from './repo';
import { type TestRepos, commitFile, isolateGitEnv, makeRepos, tgit } from './testing';

let restoreEnv: () => void;
beforeAll(() => {
  restoreEnv = isolateGitEnv();
});
afterAll(() => restoreEnv());

let r: TestRepos;
beforeEach(async () => {
  r = await makeRepos();
});
afterEach(() => r.remove());

describe('facts about the orchestrator repository', () => {
  it('reads HEAD and the committer date of a commit', async () => {
    const head = await headCommit(r.work);
    expect(head).toBe(await tgit(r.work, 'rev-parse', 'HEAD'));
    expect(await commitDate(r.work, head)).toBe('2026-11-27T00:00:00.000Z');
    await expect(commitDate(r.work, '0'.repeat(40))).rejects.toThrow(RepoError);
  });

  it('resolves revisions, and names a missing one with how to fetch it', async () => {
    await tgit(r.work, 'tag', 'last-release');
    expect(await resolveRevision(r.work, 'last-release')).toBe(await headCommit(r.work));
    await expect(resolveRevision(r.work, 'v9.9.9')).rejects.toThrow(/unknown revision "v9\.9\.9" .*git fetch origin tag v9\.9\.9/);
    // An option in place of a revision is a revision that does not exist, not an option.
    await expect(resolveRevision(r.work, '--all')).rejects.toThrow(RepoError);
  });

  it('lists files changed since a base: committed, unstaged and untracked', async () => {
    const base = await headCommit(r.work);
    await commitFile(r.work, 'apps/alpha/pin.toml', 'changed\n', 'edit alpha');
    await writeFile(join(r.work, 'apps/beta/pin.toml'), 'unstaged\n');
    await writeFile(join(r.work, 'new.txt'), 'untracked\n');
    expect(await changedFilesSince(r.work, base)).toEqual(['apps/alpha/pin.toml', 'apps/beta/pin.toml', 'new.txt']);
    expect(await showFile(r.work, base, 'apps/alpha/pin.toml')).toContain('commit = ');
    expect(await showFile(r.work, 'HEAD', 'apps/alpha/pin.toml')).toBe('changed');
    expect(await showFile(r.work, base, 'new.txt')).toBeUndefined();
  });

  it('names uncommitted pin files by their full path, and only pin files', async () => {
    expect(await uncommittedPins(r.work)).toEqual([]);
    await writeFile(join(r.work, 'apps/alpha/pin.toml'), 'edited\n');
    await writeFile(join(r.work, 'README'), 'not a pin\n');
    await commitFile(r.work, 'apps/gamma/project.json', '{}\n', 'gamma project');
    await writeFile(join(r.work, 'apps/gamma/pin.toml'), 'untracked pin\n');
    expect(await uncommittedPins(r.work)).toEqual(['apps/alpha/pin.toml', 'apps/gamma/pin.toml']);
    await tgit(r.work, 'add', 'apps/alpha/pin.toml');
    expect(await uncommittedPins(r.work)).toEqual(['apps/alpha/pin.toml', 'apps/gamma/pin.toml']);
  });

  it('refuses a worktree with tracked changes, not one with only untracked files', async () => {
    await writeFile(join(r.work, 'scratch.txt'), 'untracked\n');
    await assertCleanWorktree(r.work);
    await writeFile(join(r.work, 'apps/beta/pin.toml'), 'edited\n');
    await expect(assertCleanWorktree(r.work)).rejects.toThrow(/uncommitted changes.*\n.*apps\/beta\/pin\.toml/);
  });

  it('puts HEAD back at a start commit, keeping unrelated local changes', async () => {
    const start = await headCommit(r.work);
    expect(await restoreHead(r.work, start)).toBe(false);
    await commitFile(r.work, 'apps/alpha/pin.toml', 'moved\n', 'move alpha');
    await writeFile(join(r.work, 'notes.txt'), 'keep me\n');
    expect(await restoreHead(r.work, start)).toBe(true);
    expect(await headCommit(r.work)).toBe(start);
    expect(await tgit(r.work, 'status', '--porcelain')).toBe('?? notes.txt');
  });
});

describe('the one fallback identity', () => {
  it('is used only when the repository has no user.email', async () => {
    expect(await identityArgs(r.work)).toEqual(['-c', `user.name=${FALLBACK_IDENTITY.name}`, '-c', `user.email=${FALLBACK_IDENTITY.email}`]);
    await mustGit(r.work, [...(await identityArgs(r.work)), 'commit', '--quiet', '--allow-empty', '-m', 'fallback']);
    expect(await tgit(r.work, 'log', '-1', '--format=%an <%ae> / %cn <%ce>')).toBe(
      `${FALLBACK_IDENTITY.name} <${FALLBACK_IDENTITY.email}> / ${FALLBACK_IDENTITY.name} <${FALLBACK_IDENTITY.email}>`,
    );
    await tgit(r.work, 'config', 'user.email', 'bot@example.invalid');
    expect(await identityArgs(r.work)).toEqual([]);
  });

  it('reports a failed git command by its subcommand, not by a leading -c', async () => {
    await expect(mustGit(r.work, ['-c', 'user.name=x', 'commit', '--quiet', '-m', 'nothing to commit'])).rejects.toThrow(/^git commit failed in /);
  });
});
