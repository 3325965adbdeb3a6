import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CargoRegistry, startCargoRegistry } from '@bllvm/cargo-registry';
import { type DevelopSet, readDevelopSet } from '@bllvm/crates';
import { formatPin } from '@bllvm/manifest';
import { type SandboxOrg, addCommit, createSandboxOrg } from '@bllvm/sandbox';
import { runCli } from '../main';

// `version --develop` → `tag --develop` against a sandbox org (bare repositories over file://) and
// the local cargo registry. bllvm-protocol's Cargo.toml is given a dependency line with an inline
// table and a comment: its "0.1" admits no pre-release, so the release commit must rewrite it to the
// dev version the set planned. The tags go to the repositories; the branches and versions.toml stay.

const GIT = ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false'];
const COMPONENTS = ['bllvm-consensus', 'bllvm-protocol', 'bllvm-node'] as const;
const DEPS: Record<string, string[]> = { 'bllvm-consensus': [], 'bllvm-protocol': ['bllvm-consensus'], 'bllvm-node': ['bllvm-consensus', 'bllvm-protocol'] };
const DEP_LINE = 'bllvm-consensus = { version = "0.1", path = "../bllvm-consensus", features = ["production"] } # the rules';
const SET = join('dist', 'release-set', 'develop', 'crates.json');

const VERSIONS = [
  '# The official release set.',
  '[versions]',
  'bllvm-consensus = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "" }',
  'bllvm-protocol = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "", requires = ["bllvm-consensus=0.1.0"] }',
  'bllvm-node = { version = "0.1.0", git_tag = "v0.1.0", requires = ["bllvm-protocol=0.1.0", "bllvm-consensus=0.1.0"] }',
  '',
].join('\n');

let tmp: string;
let org: SandboxOrg;
let registry: CargoRegistry;
let ws: string;
const pins: Record<string, string> = {};

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await execa('git', [...GIT, ...args], { cwd, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } })).stdout.trim();
}

const bare = (c: string) => org.repoPath(c as (typeof COMPONENTS)[number]);

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    cwd: ws,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, BLLVM_GIT_BASE_URL: org.gitBaseUrl, BLLVM_WORK_DIR: join(tmp, 'bllvm-work'), BLLVM_CARGO_REGISTRY: registry.indexUrl, BLLVM_LOCK_WAIT_SECONDS: '5' },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Every ref of a bare repository: ref → object. */
async function refsOf(c: string): Promise<string> {
  return git(bare(c), 'for-each-ref', '--format=%(objectname) %(refname)');
}

/** refs/tags/* of a bare repository: tag → peeled commit. */
async function tagsOf(c: string): Promise<Record<string, string>> {
  const listed = await git(bare(c), 'for-each-ref', '--format=%(refname:short) %(*objectname)%(objectname)', 'refs/tags');
  return Object.fromEntries(listed.split('\n').filter(Boolean).map((l) => {
    const [name, ids] = l.split(' ');
    return [name!, ids!.slice(0, 40)];
  }));
}

/** versions.toml and the workspace's commits are never touched by --develop. */
async function expectVersionsUntouched(head: string) {
  expect(await readFile(join(ws, 'versions.toml'), 'utf8')).toBe(VERSIONS);
  expect(await git(ws, 'status', '--porcelain')).toBe('');
  expect(await git(ws, 'rev-parse', 'HEAD')).toBe(head);
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bllvm-tag-develop-'));
  org = await createSandboxOrg({ dir: join(tmp, 'org') });
  registry = await startCargoRegistry({ seed: true });
  const protocol = await git(bare('bllvm-protocol'), 'show', 'main:Cargo.toml');
  const edited = protocol.replace(/^bllvm-consensus = \{[^\n]*\}$/m, DEP_LINE);
  if (!edited.includes(DEP_LINE)) throw new Error(`bllvm-protocol's Cargo.toml has no bllvm-consensus line to replace:\n${protocol}`);
  pins['bllvm-protocol'] = await addCommit(org, 'bllvm-protocol', { files: { 'Cargo.toml': `${edited}\n` }, message: 'Depend on the rules by version' });
  pins['bllvm-consensus'] = org.heads['bllvm-consensus'];
  pins['bllvm-node'] = org.heads['bllvm-node'];

  ws = join(tmp, 'ws');
  await mkdir(ws, { recursive: true });
  await writeFile(join(ws, 'nx.json'), '{}\n');
  await writeFile(join(ws, 'versions.toml'), VERSIONS);
  await writeFile(join(ws, '.gitignore'), '/node_modules\n/dist\n');
  for (const id of COMPONENTS) {
    await mkdir(join(ws, 'apps', id), { recursive: true });
    await writeFile(join(ws, 'apps', id, 'project.json'), JSON.stringify({ name: id, tags: ['component', 'kind:library'], implicitDependencies: DEPS[id] }));
    await writeFile(join(ws, 'apps', id, 'pin.toml'), formatPin({ repository: `BTCDecoded/${id}`, branch: 'main', commit: pins[id]! }));
  }
  await git(ws, 'init', '--quiet');
  await git(ws, 'add', '-A');
  await git(ws, 'commit', '--quiet', '-m', 'the stack');
});

afterAll(async () => {
  await registry?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

interface JsonTag {
  components: { component: string; crate: string; version: string; tag: string; base: string; commit: string; files: { path: string; changed: string[] }[]; tagState: string }[];
  refusals: string[];
  developSet: { file: string; changed: string[]; written: boolean };
  versionsFile?: unknown;
}

describe('tag --develop', () => {
  let head: string;
  let set: DevelopSet;
  let planned: JsonTag;

  it('--help names it; without a develop set, or with --push-branch, it refuses in one line', async () => {
    head = await git(ws, 'rev-parse', 'HEAD');
    const help = await cli(['tag', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('tag --develop [--dry-run] [--json]');
    expect(help.out).toContain('never a branch (--push-branch is refused)');

    const none = await cli(['tag', '--develop']);
    expect(none.code).toBe(1);
    expect(none.err).toBe(`bllvm-release tag: ${SET} does not exist: run \`version --develop\` first (it plans the develop set this tags)`);

    const branch = await cli(['tag', '--develop', '--push-branch']);
    expect(branch.code).toBe(2);
    expect(branch.err.split('\n')[0]).toBe('bllvm-release tag: --push-branch does not go with --develop: the develop set\'s release commits are only tagged');
    await expectVersionsUntouched(head);
  });

  it('--dry-run --json after `version --develop`: the develop versions\' release commits, nothing pushed or written', async () => {
    const v = await cli(['version', '--develop']);
    expect(v.code, v.err).toBe(0);
    set = (await readDevelopSet(join(ws, SET)))!;
    expect(set.crates.map((c) => c.component)).toEqual([...COMPONENTS]);
    for (const c of set.crates) expect(c.version).toMatch(/^\d+\.\d+\.\d+-dev\.\d+$/);
    const setText = await readFile(join(ws, SET), 'utf8');

    const r = await cli(['tag', '--develop', '--dry-run', '--json']);
    expect(r.code, r.err).toBe(0);
    planned = JSON.parse(r.out) as JsonTag;
    expect(planned.components.map((c) => [c.component, c.version, c.tag, c.base, c.tagState])).toEqual(
      set.crates.map((c) => [c.component, c.version, `v${c.version}`, pins[c.component], 'new']),
    );
    expect(planned.refusals).toEqual([]);
    expect(planned.developSet).toEqual({ file: SET, changed: planned.components.map((c) => `${c.component}: ${c.tag} ${c.commit}`), written: false });
    expect(planned.versionsFile).toBeUndefined();
    for (const c of COMPONENTS) expect(await tagsOf(c)).toEqual({});
    expect(await readFile(join(ws, SET), 'utf8')).toBe(setText);
    await expectVersionsUntouched(head);
  });

  it('refuses a tag already on another commit, by name, and pushes and writes nothing', async () => {
    const node = planned.components.find((c) => c.component === 'bllvm-node')!;
    await git(bare('bllvm-node'), 'tag', node.tag, pins['bllvm-node']!);
    const setText = await readFile(join(ws, SET), 'utf8');
    const r = await cli(['tag', '--develop']);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`bllvm-node: tag ${node.tag} of BTCDecoded/bllvm-node is on commit ${pins['bllvm-node']} (tree`);
    expect(r.out).toContain(`expected (release commit ${node.commit} on ${pins['bllvm-node']})`);
    expect(r.out).toMatch(/1 refused; nothing was pushed or written$/);
    expect(r.err).toContain(`refused: bllvm-node: tag ${node.tag} of BTCDecoded/bllvm-node`);
    expect(await tagsOf('bllvm-consensus')).toEqual({});
    expect(await tagsOf('bllvm-protocol')).toEqual({});
    expect(await readFile(join(ws, SET), 'utf8')).toBe(setText);
    await git(bare('bllvm-node'), 'tag', '-d', node.tag);
  });

  it('tags each release commit on its pin, pushes no branch, records the tags in the set and leaves versions.toml alone', async () => {
    const r = await cli(['tag', '--develop']);
    expect(r.code, `${r.err}\n${r.out}`).toBe(0);
    expect(r.out).toContain(`${SET} written: the develop set's tags and release commits (versions.toml is untouched)`);
    const version = Object.fromEntries(set.crates.map((c) => [c.component, c.version]));
    for (const c of planned.components) {
      const repo = bare(c.component);
      expect(await tagsOf(c.component)).toEqual({ [c.tag]: c.commit });
      expect(await git(repo, 'cat-file', '-t', `refs/tags/${c.tag}`)).toBe('tag');
      expect(await git(repo, 'log', '-1', '--format=%P|%an|%s', c.commit)).toBe(`${pins[c.component]}|bllvm-release|Release ${c.crate} ${version[c.component]}`);
      expect(await git(repo, 'show', `${c.tag}:Cargo.toml`)).toMatch(new RegExp(`^version = "${version[c.component]!.replace(/\./g, '\\.')}"$`, 'm'));
      // The branch did not move: only the tag was pushed.
      expect(await git(repo, 'rev-parse', 'main')).toBe(pins[c.component]);
    }
    // The requirement on the set's upstream crate says its dev version, as `version --develop` planned it.
    const before = await git(bare('bllvm-protocol'), 'show', `${pins['bllvm-protocol']}:Cargo.toml`);
    const after = await git(bare('bllvm-protocol'), 'show', `v${version['bllvm-protocol']}:Cargo.toml`);
    expect(after).toContain(DEP_LINE.replace('version = "0.1"', `version = "${version['bllvm-consensus']}"`));
    expect((await git(bare('bllvm-protocol'), 'diff', '--name-only', pins['bllvm-protocol']!, `v${version['bllvm-protocol']}`))).toBe('Cargo.toml');
    expect(before).toContain(DEP_LINE);

    const recorded = await readDevelopSet(join(ws, SET));
    expect(recorded).toEqual({ ...set, crates: set.crates.map((c) => ({ ...c, tag: `v${c.version}`, commit: planned.components.find((p) => p.component === c.component)!.commit })) });
    await expectVersionsUntouched(head);
  });

  it('a rerun finds everything done and changes nothing', async () => {
    const refs = await Promise.all(COMPONENTS.map(refsOf));
    const setText = await readFile(join(ws, SET), 'utf8');
    const r = await cli(['tag', '--develop']);
    expect(r.code, r.err).toBe(0);
    expect(r.out.match(/already there/g)).toHaveLength(3);
    expect(r.out).toContain(`${SET} already records these tags`);
    expect(await Promise.all(COMPONENTS.map(refsOf))).toEqual(refs);
    expect(await readFile(join(ws, SET), 'utf8')).toBe(setText);
    await expectVersionsUntouched(head);
  });
});
