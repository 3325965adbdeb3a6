import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Tree, readJson, writeJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '@bllvm/contract';
import { formatPin } from '@bllvm/manifest';
import { STACK_CRATES, STACK_CRATE_DIRS } from '@bllvm/sandbox';
import { syncGraph } from './generator';

// The generator on a small real stack: git repositories, checkouts and `cargo metadata` in the
// build sandbox are real; project.json is written through an Nx Tree.
const IDS: Record<string, string> = { prim: 'primitives', sec: 'secp', mu: 'muhash', cons: 'consensus', proto: 'protocol' };
const TEST_DEFAULTS = ['pin', '^pin', 'cargoExecutor', 'toolchain'];
const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t.invalid', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
let root: string;
let ws: string;
const git = async (cwd: string, ...args: string[]) => (await execa('git', args, { cwd, env: GIT_ENV })).stdout;

/** Commit `files` to the repository Org/<folder> (created when missing); returns the commit. */
async function commit(folder: string, files: Record<string, string>): Promise<string> {
  const repo = join(root, 'org', 'Org', `${folder}.git`);
  if (!existsSync(repo)) {
    await mkdir(repo, { recursive: true });
    await git(repo, 'init', '-q', '--initial-branch=main');
  }
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(repo, file)), { recursive: true });
    await writeFile(join(repo, file), text);
  }
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-qm', 'change');
  return git(repo, 'rev-parse', 'HEAD');
}

async function pin(folder: string, id: string, sha: string) {
  await mkdir(join(ws, 'apps', id), { recursive: true });
  const crateDir = STACK_CRATE_DIRS[folder];
  await writeFile(join(ws, 'apps', id, 'pin.toml'), formatPin({ repository: `Org/${folder}`, branch: 'main', commit: sha, ...(crateDir ? { crateDir } : {}) }));
  if (!existsSync(join(ws, 'apps', id, 'project.json')))
    await writeFile(join(ws, 'apps', id, 'project.json'), JSON.stringify({ name: id, tags: ['component'], implicitDependencies: [], targets: { test: {} } }, null, 2));
}

/** A Tree holding the workspace's project.json files and the test target's default inputs. */
async function treeOf(): Promise<Tree> {
  const tree = createTreeWithEmptyWorkspace();
  writeJson(tree, 'nx.json', { targetDefaults: { test: { inputs: TEST_DEFAULTS } } });
  for (const id of await readdir(join(ws, 'apps'))) tree.write(`apps/${id}/project.json`, await readFile(join(ws, 'apps', id, 'project.json'), 'utf8'));
  return tree;
}

/** Every apps/<id>/project.json of a tree, as text. */
async function projects(tree: Tree): Promise<Record<string, string>> {
  const ids = await readdir(join(ws, 'apps'));
  return Object.fromEntries(ids.map((id) => [`apps/${id}/project.json`, tree.read(`apps/${id}/project.json`, 'utf8')!]));
}

const cfg = () => readConfig(ws, { BLLVM_GIT_BASE_URL: `file://${join(root, 'org')}/`, BLLVM_WORK_DIR: join(ws, '.bllvm') });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'graph-sync-'));
  ws = join(root, 'ws');
  for (const [folder, files] of Object.entries(STACK_CRATES)) await pin(folder, IDS[folder]!, await commit(folder, files));
}, 120_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('graph-sync generator on a real stack', () => {
  it('refuses a patch path to a repository that is no component, naming it and the command that adds it', async () => {
    const tree = await treeOf();
    const error = await syncGraph(tree, ws, cfg()).then(() => undefined, (e: Error) => e);
    // One problem: containment's own refusal of the same path is not repeated beside it.
    expect(error?.message).toMatch(/\(1 problem\):\n  [^\n]+$/);
    expect(error?.message).toMatch(
      /protocol@[0-9a-f]{7}: patch\.crates-io\.muhash points at the sibling folder "unknown-repo", which is no component's checkout; add Org\/unknown-repo with `npm run cli -- import Org\/unknown-repo`/,
    );
    expect(await projects(tree)).toEqual(await projects(await treeOf()));
  }, 120_000);

  it('writes implicitDependencies and dev upstreams from the manifests, then finds nothing to do, from the cache', async () => {
    await pin('unknown-repo', 'unknown', await commit('unknown-repo', { ...STACK_CRATES.mu!, 'Cargo.toml': STACK_CRATES.mu!['Cargo.toml']!.replace('name = "mu"', 'name = "muhash"') }));
    const tree = await treeOf();
    const r = await syncGraph(tree, ws, cfg());
    expect(r?.outOfSyncDetails).toEqual([
      'apps/consensus/project.json: implicitDependencies none → primitives: +primitives (dependencies.primitives (package prim))',
      'apps/consensus/project.json: test inputs name dev upstreams none → muhash (dev-dependencies.mu)',
      'apps/protocol/project.json: implicitDependencies none → consensus, muhash, primitives: +consensus (dependencies.cons), +muhash (dependencies.mu (optional, on by default)), +primitives (build-dependencies.prim)',
    ]);
    expect(readJson(tree, 'apps/protocol/project.json').implicitDependencies).toEqual(['consensus', 'muhash', 'primitives']);
    expect(readJson(tree, 'apps/consensus/project.json').targets.test.inputs).toEqual([...TEST_DEFAULTS, { input: 'pin', projects: ['muhash'] }]);
    // Written back, the workspace is in sync; the facts come from the cache: nothing checked out, no cargo.
    for (const [file, text] of Object.entries(await projects(tree))) await writeFile(join(ws, file), text);
    await rm(join(ws, '.bllvm', 'sources'), { recursive: true, force: true });
    const again = await treeOf();
    expect(await syncGraph(again, ws, cfg())).toBeUndefined();
    expect(await projects(again)).toEqual(await projects(await treeOf()));
    expect(existsSync(join(ws, '.bllvm', 'sources'))).toBe(false);
  }, 120_000);

  it('follows a pin that drops a dependency: the stale edge is listed and removed', async () => {
    const text = STACK_CRATES.proto!['Cargo.toml']!.replace('mu = { version = "0.1", optional = true }\n', '').replace('"mu/std", ', '');
    await pin('proto', 'protocol', await commit('proto', { 'Cargo.toml': text }));
    const tree = await treeOf();
    const r = await syncGraph(tree, ws, cfg());
    expect(r?.outOfSyncDetails).toEqual(['apps/protocol/project.json: implicitDependencies consensus, muhash, primitives → consensus, primitives: -muhash']);
    expect(readJson(tree, 'apps/protocol/project.json').implicitDependencies).toEqual(['consensus', 'primitives']);
  }, 120_000);
});
