import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOP_SET_FILE, type DevelopSet, readDevelopSet } from '@bllvm/crates';
import { TAG_COMPONENTS, type TagStack, startTagStack } from '../tag/test-support';

// `version --develop` → `tag --develop` against a sandbox org (bare repositories over file://) and
// the local cargo registry. bllvm-protocol's Cargo.toml is given a dependency line with an inline
// table and a comment: its "0.1" admits no pre-release, so the release commit must rewrite it to the
// dev version the set planned. The tags go to the repositories; the branches and versions.toml stay.

const DEP_LINE = 'bllvm-consensus = { version = "0.1", path = "../bllvm-consensus", features = ["production"] } # the rules';
const SET = DEVELOP_SET_FILE;

const VERSIONS = [
  '# The official release set.',
  '[versions]',
  'bllvm-consensus = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "" }',
  'bllvm-protocol = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "", requires = ["bllvm-consensus=0.1.0"] }',
  'bllvm-node = { version = "0.1.0", git_tag = "v0.1.0", requires = ["bllvm-protocol=0.1.0", "bllvm-consensus=0.1.0"] }',
  '',
].join('\n');

let stack: TagStack;
let ws: string;
let pins: Record<string, string>;
const git = (cwd: string, ...args: string[]) => stack.git(cwd, ...args);
const bare = (c: string) => stack.bare(c);
const cli = (args: string[]) => stack.cli(args);
const tagsOf = (c: string) => stack.tagsOf(c);

/** Every ref of a bare repository: ref → object. */
async function refsOf(c: string): Promise<string> {
  return git(bare(c), 'for-each-ref', '--format=%(objectname) %(refname)');
}

/** versions.toml and the workspace's commits are never touched by --develop: only the set's own file is written. */
async function expectVersionsUntouched(head: string) {
  expect(await readFile(join(ws, 'versions.toml'), 'utf8')).toBe(VERSIONS);
  expect(await git(ws, 'status', '--porcelain', '--', '.', `:!${SET}`)).toBe('');
  expect(await git(ws, 'rev-parse', 'HEAD')).toBe(head);
}

beforeAll(async () => {
  stack = await startTagStack({ prefix: 'bllvm-tag-develop-', versions: VERSIONS, depLine: DEP_LINE, gitignore: '/node_modules\n/dist\n' });
  ({ ws, pins } = stack);
});

afterAll(async () => stack?.stop());

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
    expect(set.crates.map((c) => c.component)).toEqual([...TAG_COMPONENTS]);
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
    for (const c of TAG_COMPONENTS) expect(await tagsOf(c)).toEqual({});
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
    expect(recorded).toEqual({ ...set, crates: set.crates.map((c) => ({ ...c, tag: `v${c.version}`, commit: planned.components.find((p) => p.component === c.component)!.commit, base: planned.components.find((p) => p.component === c.component)!.base })) });
    await expectVersionsUntouched(head);
  });

  it('a rerun finds everything done and changes nothing', async () => {
    const refs = await Promise.all(TAG_COMPONENTS.map(refsOf));
    const setText = await readFile(join(ws, SET), 'utf8');
    const r = await cli(['tag', '--develop']);
    expect(r.code, r.err).toBe(0);
    expect(r.out.match(/already there/g)).toHaveLength(3);
    expect(r.out).toContain(`${SET} already records these tags`);
    expect(await Promise.all(TAG_COMPONENTS.map(refsOf))).toEqual(refs);
    expect(await readFile(join(ws, SET), 'utf8')).toBe(setText);
    await expectVersionsUntouched(head);
  });
});
