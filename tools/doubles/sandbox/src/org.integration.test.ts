// The org's git side, against real bare repositories: creation, re-opening, commits, branches.
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SANDBOX_COMPONENTS,
  SANDBOX_OWNER,
  addCommit,
  createSandboxOrg,
  headOf,
  openSandboxOrg,
  setFault,
  type SandboxComponent,
  type SandboxOrg,
} from './index';
import { cloneAll, gitOut, tempDir } from './testing';

let root: string;
let org: SandboxOrg;

beforeAll(async () => {
  root = await tempDir('org');
  org = await createSandboxOrg({ dir: join(root, 'org') });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const isAncestor = async (bare: string, a: string, b: string) => {
  try {
    await gitOut(bare, ['merge-base', '--is-ancestor', a, b]);
    return true;
  } catch {
    return false;
  }
};

describe('createSandboxOrg', () => {
  it('makes one bare repository per component whose main is the recorded head', async () => {
    expect(org.root).toBe(join(root, 'org'));
    expect(org.gitBaseUrl).toBe(`file://${join(root, 'org')}/`);
    for (const c of SANDBOX_COMPONENTS) {
      expect(org.repoPath(c)).toBe(join(root, 'org', SANDBOX_OWNER, `${c}.git`));
      expect(await gitOut(org.repoPath(c), ['rev-parse', '--is-bare-repository'])).toBe('true');
      expect(await gitOut(org.repoPath(c), ['symbolic-ref', 'HEAD'])).toBe('refs/heads/main');
      expect(org.heads[c]).toMatch(/^[0-9a-f]{40}$/);
      expect(await headOf(org, c)).toBe(org.heads[c]);
      expect(await gitOut(org.repoPath(c), ['log', '-1', '--format=%an <%ae>', 'main'])).toBe(
        'bllvm sandbox <sandbox@btcdecoded.invalid>',
      );
    }
  });

  it('serves clones over file:// with the crate at the top level, and a Cargo.lock only in consensus', async () => {
    const work = join(root, 'clones');
    const paths = await cloneAll(org, work);
    for (const c of SANDBOX_COMPONENTS) {
      expect(await gitOut(paths[c], ['rev-parse', 'HEAD'])).toBe(org.heads[c]);
      expect(await readFile(join(paths[c], 'Cargo.toml'), 'utf8')).toContain(`name = "${c}"`);
      expect(await readFile(join(paths[c], '.gitignore'), 'utf8')).toBe('/target\n');
      expect(existsSync(join(paths[c], 'Cargo.lock')), c).toBe(c === 'bllvm-consensus');
    }
  });

  it('lets a pipeline fetch a pinned commit by id, shallowly, as GitHub does', async () => {
    const first = org.heads['bllvm-node'];
    await addCommit(org, 'bllvm-node');
    const dir = join(root, 'pinned');
    await gitOut(root, ['init', '--quiet', dir]);
    await gitOut(dir, ['fetch', '--quiet', '--depth=1', `${org.gitBaseUrl}${SANDBOX_OWNER}/bllvm-node.git`, first]);
    expect(await gitOut(dir, ['rev-parse', 'FETCH_HEAD'])).toBe(first);
  });

  it('gives the same commit ids for the same options (fixed identity and dates)', async () => {
    const again = await createSandboxOrg({ dir: join(root, 'again') });
    expect(again.heads).toEqual(org.heads);
    const bigger = await createSandboxOrg({ dir: join(root, 'bigger'), sizes: { bllvm: 1 } });
    expect(bigger.heads.bllvm).not.toBe(org.heads.bllvm);
    expect(bigger.heads['bllvm-node']).toBe(org.heads['bllvm-node']);
  });

  it('refuses to overwrite an existing org and rejects bad sizes', async () => {
    await expect(createSandboxOrg({ dir: org.root })).rejects.toThrow(/already exists/);
    await expect(createSandboxOrg({ dir: join(root, 'bad'), size: -1 })).rejects.toThrow(/size/);
    await expect(createSandboxOrg({ dir: join(root, 'bad'), size: 1.5 })).rejects.toThrow(/size/);
    await expect(
      createSandboxOrg({ dir: join(root, 'bad'), sizes: { nope: 1 } as Partial<Record<SandboxComponent, number>> }),
    ).rejects.toThrow(/unknown component/);
  });
});

describe('openSandboxOrg', () => {
  it('re-opens an org with the current heads', async () => {
    const sha = await addCommit(org, 'bllvm-sdk');
    const reopened = await openSandboxOrg(org.root);
    expect(reopened.gitBaseUrl).toBe(org.gitBaseUrl);
    expect(reopened.heads['bllvm-sdk']).toBe(sha);
    expect(reopened.repoPath('bllvm')).toBe(org.repoPath('bllvm'));
  });

  it('names what is missing when the folder is not an org', async () => {
    await expect(openSandboxOrg(join(root, 'nowhere'))).rejects.toThrow(/not a sandbox org.*bllvm-consensus/);
  });
});

describe('addCommit', () => {
  it('moves main forward by one commit whose parent is the old head', async () => {
    const bare = org.repoPath('bllvm-protocol');
    const before = await headOf(org, 'bllvm-protocol');
    const sha = await addCommit(org, 'bllvm-protocol');
    expect(sha).not.toBe(before);
    expect(await headOf(org, 'bllvm-protocol')).toBe(sha);
    expect(await gitOut(bare, ['rev-parse', `${sha}^`])).toBe(before);
    expect(await gitOut(bare, ['diff', '--name-only', before, sha])).toBe('src/revision.rs');
    expect(await gitOut(bare, ['show', `${sha}:src/revision.rs`])).toMatch(/REVISION: u32 = 1;/);

    const next = await addCommit(org, 'bllvm-protocol', { message: 'Second change' });
    expect(await gitOut(bare, ['log', '-1', '--format=%s', next])).toBe('Second change');
    expect(await gitOut(bare, ['show', `${next}:src/revision.rs`])).toMatch(/REVISION: u32 = 2;/);
    expect(await isAncestor(bare, org.heads['bllvm-protocol'], next)).toBe(true);
    expect(await gitOut(bare, ['rev-list', '--count', next])).toBe('3');
  });

  it('writes the given files instead of the default change', async () => {
    const bare = org.repoPath('governance-app');
    const sha = await addCommit(org, 'governance-app', { files: { 'docs/NOTES.md': 'hello\n', 'README.md': '# gov\n' } });
    expect(await gitOut(bare, ['show', `${sha}:docs/NOTES.md`])).toBe('hello');
    expect(await gitOut(bare, ['log', '-1', '--format=%s', sha])).toBe('Update docs/NOTES.md, README.md');
  });

  it('commits to another branch, starting it from main, without moving main', async () => {
    const bare = org.repoPath('bllvm');
    const main = await headOf(org, 'bllvm');
    const dev = await addCommit(org, 'bllvm', { branch: 'develop' });
    expect(await headOf(org, 'bllvm')).toBe(main);
    expect(await headOf(org, 'bllvm', 'develop')).toBe(dev);
    expect(await gitOut(bare, ['rev-parse', `${dev}^`])).toBe(main);
    const dev2 = await addCommit(org, 'bllvm', { branch: 'develop' });
    expect(await gitOut(bare, ['rev-parse', `${dev2}^`])).toBe(dev);
  });

  it('serialises concurrent commits to one repository', async () => {
    const before = await headOf(org, 'bllvm-consensus');
    const shas = await Promise.all([1, 2, 3].map(() => addCommit(org, 'bllvm-consensus')));
    expect(new Set(shas).size).toBe(3);
    const bare = org.repoPath('bllvm-consensus');
    expect(await gitOut(bare, ['rev-list', '--count', `${before}..main`])).toBe('3');
  });

  it('rejects paths outside the repository, bad branches, empty messages and unknown components', async () => {
    await expect(addCommit(org, 'bllvm', { files: { '../escape.txt': 'x' } })).rejects.toThrow(/inside the repository/);
    await expect(addCommit(org, 'bllvm', { files: { '/etc/x': 'x' } })).rejects.toThrow(/inside the repository/);
    await expect(addCommit(org, 'bllvm', { files: { '.git/config': 'x' } })).rejects.toThrow(/inside the repository/);
    await expect(addCommit(org, 'bllvm', { branch: 'a..b' })).rejects.toThrow(/invalid branch/);
    await expect(addCommit(org, 'bllvm', { message: '  ' })).rejects.toThrow(/message/);
    await expect(addCommit(org, 'nope' as SandboxComponent)).rejects.toThrow(/unknown component/);
    await expect(headOf(org, 'bllvm', 'no-such-branch')).rejects.toThrow(/no branch no-such-branch/);
    expect(existsSync(join(root, 'escape.txt'))).toBe(false);
  });
});

describe('setFault', () => {
  it('commits the fault file and removes it again', async () => {
    const bare = org.repoPath('bllvm-node');
    const broken = await setFault(org, 'bllvm-node', 'build');
    expect(await gitOut(bare, ['diff', '--name-only', `${broken}^`, broken])).toBe('src/fault.rs');
    expect(await gitOut(bare, ['show', `${broken}:src/fault.rs`])).toContain('injected build fault');
    const healed = await setFault(org, 'bllvm-node', null);
    expect(await gitOut(bare, ['diff', `${broken}^`, healed])).toBe('');
    expect(await gitOut(bare, ['log', '-1', '--format=%s', healed])).toBe('Remove injected fault (bllvm sandbox)');
  });

  it('refuses a verify fault outside consensus without committing', async () => {
    const before = await headOf(org, 'bllvm-sdk');
    await expect(setFault(org, 'bllvm-sdk', 'verify')).rejects.toThrow(/only bllvm-consensus/);
    expect(await headOf(org, 'bllvm-sdk')).toBe(before);
  });
});
