import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectChangelog, parseGitLog, type ComponentChangelog } from './changelog';
import { buildReleaseManifest } from './manifest';
import { renderReleaseNotes } from './notes';
import { buildRecord, commit, git, tempDir } from './testing';

// git itself strips <> from names, so the hostile author uses link syntax instead.
const EVIL_AUTHOR = 'Eve [x](javascript:alert(1)) | @octocat';
const MALICIOUS = '<script>alert(1)</script> [click](javascript:alert(document.cookie)) | x | @octocat ![i](https://e/i.png)';

// One real bare mirror with a real history:
//   c0 - c1 - c2(malicious) - c3 ---------- M (merge, skipped by --no-merges)
//                        \                 /
//                         f1 -------------
//   c0 - r1   (a branch that was "force-pushed away" from main but still in the mirror)
let root: string;
let cleanup: () => Promise<void>;
let mirror: string;
const sha: Record<string, string> = {};

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('bllvm-changelog-'));
  mirror = join(root, 'mirror.git');
  const work = join(root, 'work');
  await git(root, ['init', '-q', '--bare', '-b', 'main', mirror]);
  await git(root, ['clone', '-q', mirror, work]);
  await git(work, ['checkout', '-q', '-b', 'main']);
  sha.c0 = await commit(work, 'a.txt', '0', 'Initial commit');
  sha.c1 = await commit(work, 'a.txt', '1', 'Tighten script checks (#7)');
  sha.c2 = await commit(work, 'b.txt', '2', MALICIOUS, { GIT_AUTHOR_NAME: EVIL_AUTHOR });
  await git(work, ['checkout', '-q', '-b', 'feature']);
  sha.f1 = await commit(work, 'f.txt', 'f', 'Feature work');
  await git(work, ['checkout', '-q', 'main']);
  sha.c3 = await commit(work, 'a.txt', '3', 'Bump version');
  await git(work, ['merge', '-q', '--no-ff', '-m', 'Merge branch feature', 'feature']);
  sha.m = (await git(work, ['rev-parse', 'HEAD'])).stdout.trim();
  await git(work, ['push', '-q', 'origin', 'main']);
  // A merge of something already merged: c3..m2 holds no non-merge commit at all.
  sha.m2 = (await git(work, ['commit-tree', `${sha.c3}^{tree}`, '-p', sha.c3, '-p', sha.c1, '-m', 'Merge old work'])).stdout.trim();
  await git(work, ['push', '-q', 'origin', `${sha.m2}:refs/heads/merges`]);
  await git(work, ['checkout', '-q', '-b', 'rewritten', sha.c0]);
  sha.r1 = await commit(work, 'a.txt', 'r', 'Old history');
  await git(work, ['push', '-q', 'origin', 'rewritten']);
});

afterAll(async () => {
  await cleanup?.();
});

const repositories = {
  'bllvm-consensus': 'BTCDecoded/bllvm-consensus',
  'bllvm-protocol': 'BTCDecoded/bllvm-protocol',
  'bllvm-node': 'BTCDecoded/bllvm-node',
  bllvm: 'BTCDecoded/bllvm',
  'bllvm-sdk': 'BTCDecoded/bllvm-sdk',
};
const MISSING = 'deadbeef'.repeat(5);

describe('collectChangelog on real git mirrors', () => {
  let entries: ComponentChangelog[];

  beforeAll(async () => {
    // Every component reads the same mirror here; each exercises a different case.
    entries = await collectChangelog({
      mirrorDir: () => mirror,
      repositories,
      current: { 'bllvm-consensus': sha.m!, 'bllvm-protocol': sha.c3!, 'bllvm-node': sha.m!, bllvm: sha.m!, 'bllvm-sdk': sha.c1! },
      previous: { 'bllvm-consensus': sha.c0, 'bllvm-protocol': sha.c3, 'bllvm-node': sha.r1, bllvm: MISSING },
    });
  });

  it('keeps the order of `current`', () => {
    expect(entries.map((e) => e.component)).toEqual(Object.keys(repositories));
  });

  it('lists non-merge commits newest first with raw subjects and authors', () => {
    const e = entries[0]!;
    expect(e.status).toBe('changed');
    if (e.status !== 'changed') return;
    expect(e.commits.map((c) => c.sha)).toEqual([sha.c3, sha.f1, sha.c2, sha.c1]);
    expect(e.commits.map((c) => c.subject)).toEqual(['Bump version', 'Feature work', MALICIOUS, 'Tighten script checks (#7)']);
    expect(e.commits[2]!.author).toBe(EVIL_AUTHOR);
    expect(e).toMatchObject({ previous: sha.c0, current: sha.m, repository: 'BTCDecoded/bllvm-consensus' });
  });

  it('reports an unchanged component without a commit list', () => {
    expect(entries[1]).toEqual({ component: 'bllvm-protocol', repository: repositories['bllvm-protocol'], current: sha.c3, previous: sha.c3, status: 'unchanged' });
  });

  it('reports a previous commit that is not an ancestor instead of failing', () => {
    expect(entries[2]).toMatchObject({ status: 'diverged', previous: sha.r1 });
  });

  it('reports a previous commit missing from the mirror instead of failing', () => {
    expect(entries[3]).toMatchObject({ status: 'previous-missing', previous: MISSING });
  });

  it('reports a component with no previous release as new', () => {
    expect(entries[4]).toEqual({ component: 'bllvm-sdk', repository: repositories['bllvm-sdk'], current: sha.c1, status: 'new' });
  });

  it('treats a pin moved backwards as diverged', async () => {
    const [e] = await collectChangelog({ mirrorDir: () => mirror, repositories, previous: { bllvm: sha.m }, current: { bllvm: sha.c1! } });
    expect(e!.status).toBe('diverged');
  });

  it('includes commits brought in by a merge, but not the merge', async () => {
    const [e] = await collectChangelog({ mirrorDir: () => mirror, repositories, previous: { bllvm: sha.c3 }, current: { bllvm: sha.m! } });
    expect(e).toEqual(expect.objectContaining({ status: 'changed', commits: [expect.objectContaining({ sha: sha.f1, subject: 'Feature work' })] }));
  });

  it('reports a range of only merge commits as changed with an empty list', async () => {
    const [e] = await collectChangelog({ mirrorDir: () => mirror, repositories, previous: { bllvm: sha.c3 }, current: { bllvm: sha.m2! } });
    expect(e).toMatchObject({ status: 'changed', commits: [] });
  });

  it('fails when the mirror lacks the commit being released (a stale mirror)', async () => {
    await expect(collectChangelog({ mirrorDir: () => mirror, repositories, previous: { bllvm: sha.c0 }, current: { bllvm: MISSING } })).rejects.toThrow(
      /commit deadbeef.* is not in the mirror .*fetch it first/,
    );
  });

  it('fails on a path that is not a git repository', async () => {
    await expect(collectChangelog({ mirrorDir: () => join(root, 'nope.git'), repositories, previous: { bllvm: sha.c0 }, current: { bllvm: sha.m! } })).rejects.toThrow(
      /git rev-parse in .*nope\.git failed/,
    );
  });

  it('validates what becomes git arguments and URLs', async () => {
    const run = (previous: Record<string, string | undefined>, current: Record<string, string>, repos: Record<string, string> = repositories) =>
      collectChangelog({ mirrorDir: () => mirror, repositories: repos, previous, current });
    await expect(run({ bllvm: '--output=/tmp/x' }, { bllvm: sha.m! })).rejects.toThrow(/previous commit .* is not 40-hex/);
    await expect(run({}, { bllvm: 'HEAD' })).rejects.toThrow(/current commit "HEAD" is not 40-hex/);
    await expect(run({}, { bllvm: sha.m! }, {})).rejects.toThrow(/repository/);
    await expect(run({}, { '../x': sha.m! })).rejects.toThrow(/component name/);
  });

  it('renders into release notes that keep the hostile subject inert', () => {
    const manifest = buildReleaseManifest({
      tag: 'nightly-20261127-0123456',
      orchestratorCommit: '0123456789abcdef0123456789abcdef01234567',
      createdAt: '2026-11-27T03:00:00Z',
      components: entries.map((e) => ({
        buildRecord: buildRecord(e.component, [{ name: e.component, kind: 'binary', size: 1, sha256: 'a'.repeat(64) }], { commit: e.current }),
        archive: { name: `${e.component}.tar.gz`, size: 1, sha256: 'b'.repeat(64) },
      })),
    });
    const notes = renderReleaseNotes({ manifest, changelog: entries, previousTag: 'nightly-20261126-abcdef0' });
    expect(notes).not.toMatch(/<script|<img|\]\(javascript|!\[/);
    expect(notes).toContain('by Eve \\[x\\]\\(javascript\\:alert\\(1\\)\\) \\| `@octocat`');
    expect(notes).toContain('`@octocat`');
    expect(notes).toContain('4 commits');
    expect(notes).toContain('unchanged at');
    expect(notes).toContain('History rewritten');
    expect(notes).toContain('no longer in the repository');
    expect(notes).toContain('new: first release at');
    expect(notes).not.toContain('Merge branch feature');
  });
});

describe('parseGitLog', () => {
  const H = 'a'.repeat(40);
  it('splits NUL-separated records and keeps a \\x1f inside a subject', () => {
    expect(parseGitLog(`${H}\x1fa\x1fb\x1fAuthor\0${H}\x1fs\x1fA2\0`)).toEqual([
      { sha: H, subject: 'a\x1fb', author: 'Author' },
      { sha: H, subject: 's', author: 'A2' },
    ]);
    expect(parseGitLog('')).toEqual([]);
  });
  it('rejects what git would not print', () => {
    expect(() => parseGitLog('garbage')).toThrow(/unexpected git log record/);
    expect(() => parseGitLog(`${H}\x1fonly-subject`)).toThrow(/unexpected/);
  });
});
