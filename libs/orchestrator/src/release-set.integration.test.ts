import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatPin, readPin } from '@bllvm/manifest';
import { pinReleaseSet } from './release-set';
import { GRAPH, type TestRepos, isolateGitEnv, makeRepos, tgit } from './testing';

// `release` pins each component to its versions.toml tag. A tag on a commit the tracked branch does
// not contain is refused: the next nightly refreshes pins to branch heads fast-forward only, and
// could not move on from it.

let repos: TestRepos;
let restoreEnv: () => void;
let org: string;
let sideCommit: string;

/** Org/<c>.git with a commit on main tagged v1.0.0; beta's v1.0.0 is on a side branch only. */
async function makeOrg(): Promise<void> {
  org = join(repos.dir, 'org');
  for (const c of GRAPH.components) {
    const src = join(repos.dir, `src-${c}`);
    await tgit(repos.dir, 'init', '-q', '-b', 'main', src);
    await writeFile(join(src, 'README'), `${c}\n`);
    await tgit(src, 'add', '-A');
    await tgit(src, 'commit', '-q', '-m', `${c}: first`);
    if (c === 'beta') {
      await tgit(src, 'checkout', '-q', '-b', 'side');
      await writeFile(join(src, 'README'), `${c} side\n`);
      await tgit(src, 'commit', '-q', '-am', `${c}: side`);
      sideCommit = await tgit(src, 'rev-parse', 'HEAD');
    }
    await tgit(src, 'tag', 'v1.0.0');
    await mkdir(join(org, 'Org'), { recursive: true });
    await tgit(repos.dir, 'clone', '-q', '--bare', src, join(org, 'Org', `${c}.git`));
  }
  await writeFile(
    join(repos.work, 'versions.toml'),
    '[versions]\nalpha = { version = "1.0.0", git_tag = "v1.0.0", git_commit = "" }\nbeta = { version = "1.0.0", git_tag = "v1.0.0", git_commit = "", requires = ["alpha=1.0.0"] }\n',
  );
  await tgit(repos.work, 'add', '-A');
  await tgit(repos.work, 'commit', '-q', '-m', 'versions');
}

beforeEach(async () => {
  restoreEnv = isolateGitEnv();
  repos = await makeRepos();
  await makeOrg();
});
afterEach(async () => {
  restoreEnv();
  await repos.remove();
});

const options = (extra: { allowOffBranch?: boolean } = {}) => ({
  workspaceRoot: repos.work,
  graph: GRAPH,
  sources: { gitBaseUrl: `file://${org}/`, workDir: join(repos.dir, 'work-dir') },
  log: () => undefined,
  ...extra,
});

describe('pinReleaseSet', () => {
  it('refuses a tag whose commit is not on the tracked branch, naming the tag, the branch and the flag', async () => {
    const head = await tgit(repos.work, 'rev-parse', 'HEAD');
    await expect(pinReleaseSet(options())).rejects.toThrow(
      `beta: tag v1.0.0 (${sideCommit}) is not reachable from Org/beta branch main, the branch its pin tracks; the next nightly could not move on from it. Tag a commit of main (or merge the tagged one), or pass --allow-off-branch`,
    );
    expect(await tgit(repos.work, 'rev-parse', 'HEAD'), 'no pin commit').toBe(head);
  });

  it('pins it when explicitly allowed', async () => {
    const r = await pinReleaseSet(options({ allowOffBranch: true }));
    expect(r.moves.map((m) => m.component)).toEqual(['alpha', 'beta']);
    expect((await readPin(join(repos.work, 'apps/beta/pin.toml'))).commit).toBe(sideCommit);
  });

  it('reads versions.toml names as the stack does: a former name is its component, with a warning', async () => {
    const alphaPin = join(repos.work, 'apps/alpha/pin.toml');
    await writeFile(alphaPin, formatPin({ ...(await readPin(alphaPin)), formerNames: ['old-alpha'] }));
    await writeFile(
      join(repos.work, 'versions.toml'),
      '[versions]\nold-alpha = { version = "1.0.0", git_tag = "v1.0.0" }\nbeta = { version = "1.0.0", git_tag = "v1.0.0", requires = ["old-alpha=1.0.0"] }\n',
    );
    await tgit(repos.work, 'commit', '-q', '-am', 'versions by a former name');
    const log: string[] = [];
    const r = await pinReleaseSet({ ...options({ allowOffBranch: true }), log: (l) => log.push(l) });
    expect(r.moves.map((m) => m.component)).toEqual(['alpha', 'beta']);
    expect(log).toContain('warning: ' + join(repos.work, 'versions.toml') + ':2: versions.old-alpha: "old-alpha" is a former name of alpha (Org/alpha); use "alpha"');
  });

  it('refuses a tag that does not exist yet, saying what to do', async () => {
    await writeFile(join(repos.work, 'versions.toml'), '[versions]\nalpha = { version = "1.0.0", git_tag = "v9.9.9" }\nbeta = { version = "1.0.0", git_tag = "v1.0.0", requires = ["alpha=1.0.0"] }\n');
    await tgit(repos.work, 'commit', '-q', '-am', 'a tag not made yet');
    await expect(pinReleaseSet(options({ allowOffBranch: true }))).rejects.toThrow(
      'alpha: tag v9.9.9 does not exist in Org/alpha; versions.toml may name a tag before it is made: create it in Org/alpha, or correct git_tag, then release again',
    );
  });
});
