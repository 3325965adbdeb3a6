import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseVersions, readPin } from '@bllvm/manifest';
import type { SandboxOrg } from '@bllvm/sandbox';
import { TAG_COMPONENTS, type TagStack, startTagStack } from '../tag/test-support';

// `version` → `tag` → `release` against a sandbox org (bare repositories over file://) and the
// local cargo registry. bllvm-consensus commits a Cargo.lock; bllvm-protocol's Cargo.toml is given a
// dependency line with an inline table and a comment; `version --minor bllvm-consensus` makes that
// line's requirement no longer admit the new version, so the release commit must rewrite it.

const DEP_LINE = 'bllvm-consensus = { version = "0.1", path = "../bllvm-consensus", features = ["production"] } # the rules: "0.1" until 0.2';

const VERSIONS = [
  '# The official release set.',
  '[versions]',
  'bllvm-consensus = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "" }',
  'bllvm-protocol = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "", requires = ["bllvm-consensus=0.1.0"] } # protocol',
  // No git_commit at all: `tag` adds it.
  'bllvm-node = { version = "0.1.0", git_tag = "v0.1.0", requires = ["bllvm-protocol=0.1.0", "bllvm-consensus=0.1.0"] }',
  '',
  '[metadata]',
  'updated_by = "hand"',
  '',
].join('\n');

let stack: TagStack;
let org: SandboxOrg;
let ws: string;
let pins: Record<string, string>;
const git = (cwd: string, ...args: string[]) => stack.git(cwd, ...args);
const bare = (c: string) => stack.bare(c);
const cli = (args: string[]) => stack.cli(args);
const tagsOf = (c: string) => stack.tagsOf(c);

beforeAll(async () => {
  stack = await startTagStack({ prefix: 'bllvm-tag-', versions: VERSIONS, depLine: DEP_LINE, gitignore: '/node_modules\n', linkNodeModules: true });
  ({ org, ws, pins } = stack);
});

afterAll(async () => stack?.stop());

interface JsonTag {
  components: { component: string; crate: string; version: string; tag: string; base: string; commit: string; files: { path: string; changed: string[] }[]; tagState: string; branchState?: string }[];
  refusals: string[];
  versionsFile: { changed: string[]; commit?: string };
}

describe('tag', () => {
  let planned: JsonTag;

  it('--help says what it changes, and that the branch is left alone without --push-branch', async () => {
    const r = await cli(['tag', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('tag [--dry-run] [--push-branch] [--json]');
    expect(r.out).toContain('The component\'s branch is\n  not written unless --push-branch');
  });

  it('refuses a versions.toml no commit records, after `version` wrote it', async () => {
    const v = await cli(['version', '--minor', 'bllvm-consensus']);
    expect(v.code, v.err).toBe(0);
    const r = await cli(['tag']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('bllvm-release tag: versions.toml has changes no commit records; commit the planned versions first');
    await git(ws, 'commit', '--quiet', '-am', 'plan the versions');
  });

  it('--dry-run prints the table and pushes and writes nothing', async () => {
    const head = await git(ws, 'rev-parse', 'HEAD');
    const r = await cli(['tag', '--dry-run']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^component +crate +version +builds on +files +tag$/m);
    expect(r.out).toMatch(new RegExp(`^bllvm-consensus +bllvm-consensus +0\\.2\\.0 +${pins['bllvm-consensus']!.slice(0, 7)} +Cargo\\.toml, Cargo\\.lock +v0\\.2\\.0 [0-9a-f]{7} to push$`, 'm'));
    expect(r.out).toMatch(new RegExp(`^bllvm-protocol +bllvm-protocol +0\\.1\\.1 +${pins['bllvm-protocol']!.slice(0, 7)} +Cargo\\.toml +v0\\.1\\.1 [0-9a-f]{7} to push$`, 'm'));
    expect(r.out).toContain('  Cargo.toml: [dependencies] bllvm-consensus: "0.1" → "0.2" ("0.1" does not admit 0.2.0)');
    expect(r.out).toContain('  Cargo.lock: [[package]] bllvm-consensus: "0.1.0" → "0.2.0"');
    expect(r.out).toMatch(/dry run: nothing pushed or written \(versions\.toml would change 3 entries\)$/);
    for (const c of TAG_COMPONENTS) expect(await tagsOf(c)).toEqual({});
    expect(await git(ws, 'rev-parse', 'HEAD')).toBe(head);
    expect(await git(ws, 'status', '--porcelain')).toBe('');
    planned = JSON.parse((await cli(['tag', '--dry-run', '--json'])).out) as JsonTag;
  });

  it('refuses a conflicting tag, naming it, its commit and what was expected, and pushes nothing', async () => {
    await git(bare('bllvm-node'), 'tag', 'v0.1.1', pins['bllvm-node']!);
    const r = await cli(['tag']);
    expect(r.code).toBe(1);
    const node = planned.components.find((c) => c.component === 'bllvm-node')!;
    expect(r.out).toContain(`bllvm-node: tag v0.1.1 of BTCDecoded/bllvm-node is on commit ${pins['bllvm-node']} (tree`);
    expect(r.out).toContain(`expected (release commit ${node.commit} on ${pins['bllvm-node']})`);
    expect(r.out).toMatch(/1 refused; nothing was pushed or written$/);
    expect(r.err).toContain(`refused: bllvm-node: tag v0.1.1 of BTCDecoded/bllvm-node is on commit ${pins['bllvm-node']}`);
    expect(await tagsOf('bllvm-consensus')).toEqual({});
    expect(await tagsOf('bllvm-protocol')).toEqual({});
    expect(parseVersions(await readFile(join(ws, 'versions.toml'), 'utf8'), 'versions.toml').entries['bllvm-node']!.gitCommit).toBeUndefined();
    await git(bare('bllvm-node'), 'tag', '-d', 'v0.1.1');
  });

  it('a push that fails halfway stops there, records nothing, and the rerun finishes (below)', async () => {
    // Another update holding the tag's ref lock: the remote refuses this one push.
    const lock = join(bare('bllvm-node'), 'refs', 'tags', 'v0.1.1.lock');
    await mkdir(join(lock, '..'), { recursive: true });
    await writeFile(lock, '');
    const head = await git(ws, 'rev-parse', 'HEAD');
    const r = await cli(['tag']);
    await rm(lock);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^bllvm-release tag: cannot push refs\/tags\/v0\.1\.1 to BTCDecoded\/bllvm-node: /m);
    expect(r.err).not.toContain(org.gitBaseUrl);
    const byComponent = Object.fromEntries(planned.components.map((c) => [c.component, c]));
    expect(await tagsOf('bllvm-consensus')).toEqual({ 'v0.2.0': byComponent['bllvm-consensus']!.commit });
    expect(await tagsOf('bllvm-protocol')).toEqual({ 'v0.1.1': byComponent['bllvm-protocol']!.commit });
    expect(await tagsOf('bllvm-node')).toEqual({});
    expect(await git(ws, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('makes, tags and pushes the release commits (the same as planned), leaves the branches alone and records the tags', async () => {
    const head = await git(ws, 'rev-parse', 'HEAD');
    const r = await cli(['tag']);
    expect(r.code, `${r.err}\n${r.out}`).toBe(0);
    for (const c of planned.components) {
      expect(await tagsOf(c.component)).toEqual({ [c.tag]: c.commit });
      const repo = bare(c.component);
      // Annotated, by bllvm-release, on a commit whose only parent is the pin.
      expect(await git(repo, 'cat-file', '-t', `refs/tags/${c.tag}`)).toBe('tag');
      expect(await git(repo, 'log', '-1', '--format=%P|%an <%ae>|%s', c.commit)).toBe(`${pins[c.component]}|bllvm-release <bllvm-release@users.noreply.github.com>|Release ${c.crate} ${c.version}`);
      expect(await git(repo, 'rev-parse', 'main')).toBe(pins[c.component]);
    }
    // The tree differs from the pin's only in the edited Cargo.toml (and the lock), and only in their values.
    const consensus = planned.components.find((c) => c.component === 'bllvm-consensus')!;
    expect((await git(bare('bllvm-consensus'), 'diff', '--name-only', pins['bllvm-consensus']!, consensus.commit)).split('\n')).toEqual(['Cargo.lock', 'Cargo.toml']);
    const show = (c: string, rev: string, path: string) => git(bare(c), 'show', `${rev}:${path}`);
    expect(await show('bllvm-consensus', consensus.commit, 'Cargo.lock')).toBe(
      (await show('bllvm-consensus', pins['bllvm-consensus']!, 'Cargo.lock')).replace('name = "bllvm-consensus"\nversion = "0.1.0"', 'name = "bllvm-consensus"\nversion = "0.2.0"'),
    );
    const protocol = planned.components.find((c) => c.component === 'bllvm-protocol')!;
    expect(await git(bare('bllvm-protocol'), 'diff', '--name-only', pins['bllvm-protocol']!, protocol.commit)).toBe('Cargo.toml');
    const before = await show('bllvm-protocol', pins['bllvm-protocol']!, 'Cargo.toml');
    const after = await show('bllvm-protocol', protocol.commit, 'Cargo.toml');
    expect(before).toContain(DEP_LINE);
    expect(after).toContain(DEP_LINE.replace('version = "0.1"', 'version = "0.2"'));
    expect(after).toBe(before.replace('version = "0.1.0"', 'version = "0.1.1"').replace(DEP_LINE, DEP_LINE.replace('version = "0.1"', 'version = "0.2"')));

    // versions.toml: git_tag and git_commit of each, in one commit of this repository changing nothing else.
    expect(await git(ws, 'rev-parse', 'HEAD~1')).toBe(head);
    expect(await git(ws, 'diff', '--name-only', head, 'HEAD')).toBe('versions.toml');
    expect(await git(ws, 'status', '--porcelain')).toBe('');
    const versions = parseVersions(await readFile(join(ws, 'versions.toml'), 'utf8'), 'versions.toml');
    for (const c of planned.components) expect([versions.entries[c.component]!.gitTag, versions.entries[c.component]!.gitCommit]).toEqual([c.tag, c.commit]);
    expect(await readFile(join(ws, 'versions.toml'), 'utf8')).toContain('requires = ["bllvm-consensus=0.2.0"] } # protocol');
  });

  it('a rerun is a no-op: the same tags, no commit', async () => {
    const head = await git(ws, 'rev-parse', 'HEAD');
    const tags = await Promise.all(TAG_COMPONENTS.map((c) => git(bare(c), 'for-each-ref', '--format=%(objectname) %(refname)', 'refs/tags')));
    const r = await cli(['tag']);
    expect(r.code, r.err).toBe(0);
    expect(r.out.match(/already there/g)).toHaveLength(3);
    expect(r.out).toContain('versions.toml already records these tags');
    expect(await git(ws, 'rev-parse', 'HEAD')).toBe(head);
    expect(await Promise.all(TAG_COMPONENTS.map((c) => git(bare(c), 'for-each-ref', '--format=%(objectname) %(refname)', 'refs/tags')))).toEqual(tags);
  });

  it('--push-branch fast-forwards the branches; `release` then pins exactly the release commits, forward from the pins', async () => {
    const r = await cli(['tag', '--push-branch']);
    expect(r.code, r.err).toBe(0);
    for (const c of planned.components) expect(await git(bare(c.component), 'rev-parse', 'main')).toBe(c.commit);

    // The release verb pins the git_tag commits (then builds, which this bare workspace cannot: only the pin commit matters here).
    const released = await cli(['release', '--publish-only']);
    expect(released.err).toContain('pinned the v');
    for (const c of planned.components) {
      const pin = await readPin(join(ws, 'apps', c.component, 'pin.toml'));
      expect(pin.commit).toBe(c.commit);
      // Forward-only: the release commit descends from the pin it replaced.
      expect((await execa('git', ['merge-base', '--is-ancestor', pins[c.component]!, pin.commit], { cwd: bare(c.component), reject: false })).exitCode).toBe(0);
    }
    expect(await git(ws, 'log', '-1', '--format=%s')).toMatch(/^release v\S+: pin the tagged commits/);

    // Once pinned, every Cargo.toml says its version: nothing left to tag.
    const again = await cli(['tag', '--dry-run']);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain('nothing to tag');
  });
});
