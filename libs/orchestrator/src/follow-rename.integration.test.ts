import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ComponentGraph, type Pin, formatPin, parsePin } from '@bllvm/manifest';
import { type RealRepository, type RealSandboxOrg, addCommit, createSandboxOrg, profileFacts } from '@bllvm/sandbox';
import { type ApplyOptions, applyEvent, refreshPins } from './apply-event';
import type { AdoptPin } from './follow-rename';
import { isolateGitEnv, tgit } from './testing';

// A real-shaped org renamed mid-history (bllvm-* → blvm-*, the old names answering as redirects:
// symlinks in the sandbox org), and a workspace still pinned to the old names before the rename.
// The nightly refresh and a legacy build_<x> event either follow the crates (one commit: the pins
// with their new repository, crate and folder, and what the graph step wrote) or refuse, with
// nothing committed and the import that adopts them.

const FACTS = profileFacts('real');
const RENAMED = FACTS.filter((f) => f.formerNames.length > 0);
const GRAPH: ComponentGraph = {
  components: FACTS.map((f) => f.component),
  dependencies: Object.fromEntries(FACTS.map((f) => [f.component, []])),
  roots: Object.fromEntries(FACTS.map((f) => [f.component, `apps/${f.component}`])),
  tags: Object.fromEntries(FACTS.map((f) => [f.component, []])),
};

let dir: string;
let org: RealSandboxOrg;
let restoreEnv: () => void;
let work: string;
let start: string;

/** What the workspace pins before the rename: the six at their old names and crates, the libraries at their heads. */
function oldPin(f: (typeof FACTS)[number]): Pin {
  const repo = f.repository as RealRepository;
  if (!f.formerNames.length) return { repository: `BTCDecoded/${repo}`, branch: 'main', commit: org.heads[repo], crate: repo };
  const dir = f.crateDirs.beforeRename!;
  return {
    repository: `BTCDecoded/${f.formerNames[0]}`,
    branch: 'main',
    commit: org.history[repo].beforeRename!,
    crate: f.crateNames.beforeRename,
    ...(dir !== '.' ? { crateDir: dir } : {}),
  };
}

const pinOf = async (component: string) => parsePin(await readFile(join(work, 'apps', component, 'pin.toml'), 'utf8'), component);
const status = () => tgit(work, 'status', '--porcelain');
const head = () => tgit(work, 'rev-parse', 'HEAD');

/** Stand-ins for the CLI's: import's rule (here: the old repository name kept) and `nx sync` (here: a graph file written from the pins on disk). */
let adopted: string[];
let derived: number;
const adopt: AdoptPin = (component, from, to) => {
  adopted.push(component);
  return { repository: to.repository, branch: to.branch, commit: to.commit, crate: to.crate, ...(to.crateDir !== '.' ? { crateDir: to.crateDir } : {}), formerNames: [from.repository.split('/')[1]!] };
};
const writeGraph = async () => {
  derived++;
  const repositories = await Promise.all(GRAPH.components.map(async (c) => `${c} ${(await pinOf(c)).repository}`));
  await writeFile(join(work, 'graph.txt'), `${repositories.join('\n')}\n`);
};
const options = (over: Partial<ApplyOptions> = {}): ApplyOptions => ({
  workspaceRoot: work,
  graph: GRAPH,
  sources: { gitBaseUrl: org.gitBaseUrl, workDir: join(dir, 'work-dir') },
  log: () => undefined,
  adopt,
  deriveGraph: writeGraph,
  ...over,
});

beforeAll(async () => {
  restoreEnv = isolateGitEnv();
  dir = await mkdtemp(join(tmpdir(), 'follow-rename-'));
  org = await createSandboxOrg({ dir: join(dir, 'org'), profile: 'real' });
}, 120_000);
afterAll(async () => {
  restoreEnv();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  adopted = [];
  derived = 0;
  work = await mkdtemp(join(dir, 'work-'));
  await tgit(work, 'init', '-q', '-b', 'main');
  for (const f of FACTS) {
    await mkdir(join(work, 'apps', f.component), { recursive: true });
    await writeFile(join(work, 'apps', f.component, 'pin.toml'), formatPin(oldPin(f)));
  }
  await writeFile(join(work, 'graph.txt'), 'as committed\n');
  await tgit(work, 'add', '-A');
  await tgit(work, 'commit', '-q', '-m', 'pins before the rename');
  start = await head();
});
afterEach(async () => rm(work, { recursive: true, force: true }));

describe('the nightly refresh across a rename served through redirects', () => {
  it('follows every renamed crate in one commit: new repository, crate and folder, and the graph written for them', async () => {
    const r = await refreshPins(options(), 'nightly', false);
    expect(r.moves.map((m) => m.component).sort()).toEqual(RENAMED.map((f) => f.component).sort());
    expect(adopted.sort()).toEqual(RENAMED.map((f) => f.component).sort());
    for (const f of RENAMED) {
      const repo = f.repository as RealRepository;
      expect(await pinOf(f.component), f.component).toEqual({
        repository: `BTCDecoded/${repo}`,
        branch: 'main',
        commit: org.heads[repo],
        crate: f.crateNames.afterRename,
        formerNames: [f.formerNames[0]],
        // The app's crate moved from its subfolder to the root on the way to head.
      });
    }
    // The graph step ran once, on the written pins, and its file is in the same commit.
    expect(derived).toBe(1);
    expect(await tgit(work, 'show', 'HEAD:graph.txt')).toContain('governance-app BTCDecoded/blvm-commons');
    expect((await tgit(work, 'show', '--name-only', '--format=', 'HEAD')).split('\n').sort()).toEqual(['graph.txt', ...RENAMED.map((f) => `apps/${f.component}/pin.toml`)].sort());
    const message = await tgit(work, 'log', '-1', '--format=%B');
    expect(message).toMatch(/bllvm-node [0-9a-f]{7} -> [0-9a-f]{7} \(now BTCDecoded\/blvm-node, crate blvm-node\)/);
    expect(message).toContain(`governance-app: ${org.history['blvm-commons'].beforeRename} -> ${org.heads['blvm-commons']} (now BTCDecoded/blvm-commons, crate blvm-commons in the root; former names bllvm-commons)`);
    expect(await status()).toBe('');
    // Nothing left to do on the next run: the pins now name the repositories that answer.
    expect((await refreshPins(options(), 'nightly', false)).moves).toEqual([]);
  }, 60_000);

  it('commits nothing when the graph step cannot derive the moved pins, and puts the files back', async () => {
    const failing = async () => {
      await writeGraph();
      throw new Error('the pinned manifests cannot be turned into the component graph');
    };
    await expect(refreshPins(options({ deriveGraph: failing }), 'nightly', false)).rejects.toThrow(/cannot be turned into the component graph/);
    expect(await head()).toBe(start);
    expect(await status()).toBe('');
    expect((await pinOf('bllvm-node')).repository).toBe('BTCDecoded/bllvm-node');
  }, 60_000);
});

describe('a legacy build_<x> event across a rename', () => {
  const event = (component: string, sha: string) =>
    ({ kind: 'move-pin', component, sha, ref: 'main', force: false, source: 'repository_dispatch build_consensus' }) as const;

  it('is refused while the other renamed pins stay behind, naming the import of all of them', async () => {
    const err = await applyEvent(event('bllvm-consensus', org.history['blvm-consensus'].afterRename!), options()).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toMatch(/^bllvm-consensus: BTCDecoded\/bllvm-consensus is now BTCDecoded\/blvm-consensus \(the old name redirects\), and bllvm-protocol \(BTCDecoded\/bllvm-protocol is now BTCDecoded\/blvm-protocol\), .* were renamed too/);
    expect(message).toContain(`no pin was moved. Adopt them together with: npm run cli -- import ${RENAMED.map((f) => `BTCDecoded/${f.repository}=${f.component}`).join(' ')}`);
    expect(message).not.toContain('\n');
    expect(await head()).toBe(start);
    expect(adopted).toEqual([]);
    expect(derived).toBe(0);
  }, 60_000);

  it('follows when it is the last pin still behind the rename', async () => {
    for (const f of RENAMED.filter((x) => x.component !== 'bllvm-consensus')) {
      const repo = f.repository as RealRepository;
      await writeFile(join(work, 'apps', f.component, 'pin.toml'), formatPin({ repository: `BTCDecoded/${repo}`, branch: 'main', commit: org.heads[repo], crate: repo }));
    }
    await tgit(work, 'commit', '-q', '-am', 'the others crossed already');
    const sha = org.history['blvm-consensus'].afterRename!;
    const r = await applyEvent(event('bllvm-consensus', sha), options());
    expect(r.moves).toEqual([expect.objectContaining({ component: 'bllvm-consensus', to: sha })]);
    expect(await pinOf('bllvm-consensus')).toEqual({ repository: 'BTCDecoded/blvm-consensus', branch: 'main', commit: sha, crate: 'blvm-consensus', formerNames: ['bllvm-consensus'] });
    expect(await tgit(work, 'log', '-1', '--format=%s')).toMatch(/^pin bllvm-consensus [0-9a-f]{7} -> [0-9a-f]{7} \(now BTCDecoded\/blvm-consensus, crate blvm-consensus\)$/);
    expect(derived).toBe(1);
  }, 60_000);
});

describe('an ambiguous crate after the rename', () => {
  it('refuses the whole refresh, commits nothing, and names both candidates and the import of every renamed pin', async () => {
    // blvm-node's head keeps a crate under the old name beside the renamed one: which is ours is a guess.
    await addCommit(org, 'blvm-node', {
      files: { 'bllvm-node/Cargo.toml': '[package]\nname = "bllvm-node"\nversion = "0.1.0"\nedition = "2021"\n', 'bllvm-node/src/lib.rs': '' },
      message: 'Keep a bllvm-node compatibility crate',
    });
    const err = await refreshPins(options(), 'nightly', false).catch((e: Error) => e);
    const message = (err as Error).message;
    expect(message).toMatch(/^bllvm-node: BTCDecoded\/bllvm-node is now BTCDecoded\/blvm-node \(the old name redirects\), and at [0-9a-f]{7} 2 packages could continue bllvm-node \(in the root\): blvm-node in the root, bllvm-node in bllvm-node\/; no pin was moved\./);
    expect(message).toContain(`Adopt them together with: npm run cli -- import ${RENAMED.map((f) => `BTCDecoded/${f.repository}=${f.component}`).join(' ')}`);
    expect(await head()).toBe(start);
    expect(await status()).toBe('');
    expect(adopted).toEqual([]);
    expect(derived).toBe(0);
  }, 60_000);
});
