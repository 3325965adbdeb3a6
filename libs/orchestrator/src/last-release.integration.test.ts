import { rm } from 'node:fs/promises';
import { formatPin } from '@bllvm/manifest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FALLBACK_IDENTITY } from './git';
import { LAST_RELEASE, lastRelease, lastReleaseMessage, moveLastRelease, parseLastReleaseMessage, resolveBase, sameAsLastRelease } from './last-release';
import { pinsAt, samePins } from './pins';
import { headCommit } from './repo';
import { GRAPH, type TestRepos, commitFile, isolateGitEnv, makeRepos, sha, tgit } from './testing';

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

const movePin = (c: string, n: number, branch = 'main') =>
  commitFile(r.work, `apps/${c}/pin.toml`, formatPin({ repository: `Org/${c}`, branch, commit: sha(n) }), `pin ${c}`);

describe('pins recorded at a revision', () => {
  it('reads HEAD and an older commit, and leaves out a component the commit did not have', async () => {
    const first = await headCommit(r.work);
    await movePin('alpha', 7);
    expect(await pinsAt(r.work, GRAPH, 'HEAD')).toEqual({ alpha: sha(7), beta: sha(2) });
    expect(await pinsAt(r.work, GRAPH, first)).toEqual({ alpha: sha(1), beta: sha(2) });
    await tgit(r.work, 'rm', '-q', 'apps/beta/pin.toml');
    await tgit(r.work, 'commit', '-q', '-m', 'drop beta');
    expect(await pinsAt(r.work, GRAPH, 'HEAD')).toEqual({ alpha: sha(7), beta: undefined });
  });

  it('compares whole pin files: a branch change is a change', async () => {
    const first = await headCommit(r.work);
    await commitFile(r.work, 'README', 'not a pin\n', 'docs');
    expect(await samePins(r.work, GRAPH, first, 'HEAD')).toBe(true);
    await movePin('beta', 2, 'release');
    expect(await samePins(r.work, GRAPH, first, 'HEAD')).toBe(false);
  });
});

describe('last-release', () => {
  it('is absent until moved, then records the release tag and the one before', async () => {
    expect(await lastRelease(r.work)).toBeUndefined();
    expect(await sameAsLastRelease(r.work, GRAPH)).toBe(false);
    const first = await headCommit(r.work);
    await moveLastRelease(r.work, first, 'nightly-20261127-abcdef0', undefined);
    expect(await lastRelease(r.work)).toEqual({ commit: first, tag: 'nightly-20261127-abcdef0', previous: undefined });
    expect(await sameAsLastRelease(r.work, GRAPH)).toBe(true);

    const second = await movePin('alpha', 9);
    expect(await sameAsLastRelease(r.work, GRAPH)).toBe(false);
    await moveLastRelease(r.work, second, 'v1.2.3', { commit: first, tag: 'nightly-20261127-abcdef0' });
    expect(await lastRelease(r.work)).toEqual({ commit: second, tag: 'v1.2.3', previous: { commit: first, tag: 'nightly-20261127-abcdef0' } });
    // Annotated, by the fallback identity: a CI checkout with no identity can still tag.
    expect(await tgit(r.work, 'for-each-ref', '--format=%(objecttype) %(taggername) %(taggeremail)', `refs/tags/${LAST_RELEASE}`)).toBe(
      `tag ${FALLBACK_IDENTITY.name} <${FALLBACK_IDENTITY.email}>`,
    );
  });

  it('pushes the tag when asked, and says that publishing happened when the push fails', async () => {
    const head = await headCommit(r.work);
    await moveLastRelease(r.work, head, 'v1.0.0', undefined, 'origin');
    expect(await tgit(r.origin, 'rev-parse', `${LAST_RELEASE}^{commit}`)).toBe(head);
    await rm(r.origin, { recursive: true, force: true });
    await expect(moveLastRelease(r.work, head, 'v1.0.1', undefined, 'origin')).rejects.toThrow(
      /published v1\.0\.1, but pushing last-release to origin failed: .*rerun/,
    );
  });

  it('as a --base: none before the first release (everything is new), its commit after; any other missing revision is refused', async () => {
    expect(await resolveBase(r.work, LAST_RELEASE)).toBeUndefined();
    await expect(resolveBase(r.work, 'v9.9.9')).rejects.toThrow(/unknown revision "v9\.9\.9"/);
    // A branch that happens to be named like the tag is not a release.
    await tgit(r.work, 'branch', LAST_RELEASE);
    expect(await resolveBase(r.work, LAST_RELEASE)).toBeUndefined();
    await tgit(r.work, 'branch', '-D', LAST_RELEASE);
    const head = await headCommit(r.work);
    await moveLastRelease(r.work, head, 'v1.0.0', undefined);
    await movePin('alpha', 9);
    expect(await resolveBase(r.work, LAST_RELEASE)).toBe(head);
    expect(await resolveBase(r.work, 'HEAD')).toBe(await headCommit(r.work));
  });

  it('reads a tag made by hand without inventing a release tag', async () => {
    await tgit(r.work, 'tag', LAST_RELEASE);
    expect(await lastRelease(r.work)).toEqual({ commit: await headCommit(r.work), tag: undefined, previous: undefined });
  });

  it('message round trip (pure)', () => {
    const previous = { commit: sha(5), tag: 'v0.9.0' };
    expect(lastReleaseMessage('v1.0.0', previous)).toBe(`v1.0.0\n\nprevious-release: ${sha(5)} v0.9.0`);
    expect(parseLastReleaseMessage(lastReleaseMessage('v1.0.0', previous))).toEqual({ tag: 'v1.0.0', previous });
    expect(parseLastReleaseMessage(lastReleaseMessage('v1.0.0', { commit: sha(5) }))).toEqual({ tag: 'v1.0.0', previous: { commit: sha(5), tag: undefined } });
    expect(parseLastReleaseMessage('v1.0.0; rm -rf /\n\nprevious-release: nothex')).toEqual({ tag: undefined, previous: undefined });
  });
});
