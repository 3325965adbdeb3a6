// The 'real' profile's git side, against real bare repositories: the ten repositories, the rename
// in their history, the old names as redirects, re-opening, commits and faults at head, and a
// repository added later.
import { lstat, readlink, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REAL_REPOSITORY_NAMES,
  SANDBOX_OWNER,
  addCommit,
  addRepository,
  createSandboxOrg,
  headOf,
  openSandboxOrg,
  setFault,
  type RealSandboxOrg,
} from './index';
import { gitOut, tempDir } from './testing';

let root: string;
let org: RealSandboxOrg;

beforeAll(async () => {
  root = await tempDir('real-org');
  org = await createSandboxOrg({ dir: join(root, 'org'), profile: 'real' });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const show = (repo: string, rev: string, path: string) => gitOut(org.repoPath(repo as never), ['show', `${rev}:${path}`]);
const subjects = async (repo: string) => (await gitOut(org.repoPath(repo as never), ['log', '--reverse', '--format=%s', 'main'])).split('\n');

describe("createSandboxOrg({ profile: 'real' })", () => {
  it('makes ten bare repositories whose main heads are the recorded heads', async () => {
    expect(org.profile).toBe('real');
    expect(org.repositories).toEqual([...REAL_REPOSITORY_NAMES]);
    expect(Object.keys(org.heads)).toEqual([...REAL_REPOSITORY_NAMES]);
    for (const r of REAL_REPOSITORY_NAMES) {
      expect(org.repoPath(r)).toBe(join(root, 'org', SANDBOX_OWNER, `${r}.git`));
      expect(await headOf(org, r)).toBe(org.heads[r]);
    }
  });

  it('records the history marks: rename for the six, the move to the root for commons, one commit for the libraries', async () => {
    for (const r of ['blvm-consensus', 'blvm-protocol', 'blvm-node', 'blvm', 'blvm-sdk'] as const) {
      const h = org.history[r];
      expect(Object.keys(h)).toEqual(['beforeRename', 'afterRename']);
      expect(h.afterRename).toBe(org.heads[r]);
      expect(await gitOut(org.repoPath(r), ['rev-parse', `${h.afterRename}^`])).toBe(h.beforeRename);
      const old = r.replace('blvm', 'bllvm');
      expect(await show(r, h.beforeRename!, 'Cargo.toml')).toContain(`name = "${old}"`);
      expect(await show(r, h.afterRename!, 'Cargo.toml')).toContain(`name = "${r}"`);
      expect(await subjects(r)).toEqual([`Initial ${old} crate (bllvm sandbox)`, `Rename ${old} to ${r} (bllvm sandbox)`]);
    }
    const c = org.history['blvm-commons'];
    expect(Object.keys(c)).toEqual(['beforeRename', 'afterRename', 'root']);
    expect(c.root).toBe(org.heads['blvm-commons']);
    expect(await show('blvm-commons', c.beforeRename!, 'bllvm-commons/Cargo.toml')).toContain('name = "bllvm-commons"');
    expect(await show('blvm-commons', c.afterRename!, 'blvm-commons/Cargo.toml')).toContain('path = "../../blvm-sdk"');
    expect(await show('blvm-commons', c.root!, 'Cargo.toml')).toContain('path = "../blvm-sdk"');
    // The move leaves nothing behind in the subfolder.
    expect(await gitOut(org.repoPath('blvm-commons'), ['ls-tree', '--name-only', c.root!])).toBe('.gitignore\nCargo.toml\nREADME.md\nsrc');
    for (const r of ['blvm-primitives', 'blvm-spec-lock', 'blvm-secp256k1', 'blvm-muhash'] as const) {
      expect(org.history[r]).toEqual({ initial: org.heads[r] });
    }
  });

  it('is deterministic: the same profile gives the same commit ids', async () => {
    const again = await createSandboxOrg({ dir: join(root, 'again'), profile: 'real' });
    expect(again.heads).toEqual(org.heads);
    expect(again.history).toEqual(org.history);
  });

  it('serves the old names as redirects to the renamed repositories, and they clone', async () => {
    for (const [old, now] of [
      ['bllvm-consensus', 'blvm-consensus'], ['bllvm-protocol', 'blvm-protocol'], ['bllvm-node', 'blvm-node'],
      ['bllvm', 'blvm'], ['bllvm-sdk', 'blvm-sdk'], ['bllvm-commons', 'blvm-commons'],
    ] as const) {
      const link = join(root, 'org', SANDBOX_OWNER, `${old}.git`);
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
      expect(await readlink(link)).toBe(`${now}.git`);
      const dest = join(root, 'redirect', old);
      await execa('git', ['clone', '--quiet', `${org.gitBaseUrl}${SANDBOX_OWNER}/${old}.git`, dest]);
      expect(await gitOut(dest, ['rev-parse', 'HEAD'])).toBe(org.heads[now]);
    }
    // governance-app was never a repository of this org.
    await expect(execa('git', ['ls-remote', `${org.gitBaseUrl}${SANDBOX_OWNER}/governance-app.git`])).rejects.toThrow();
  });
});

describe('commits and faults at head', () => {
  it('addCommit bumps the revision where the crate is: the root, for commons after its move', async () => {
    const sha = await addCommit(org, 'blvm-commons');
    expect(await show('blvm-commons', sha, 'src/revision.rs')).toContain('pub const REVISION: u32 = 1;');
    const sub = await addCommit(org, 'blvm-sdk', { message: 'Bump the sdk' });
    expect(await show('blvm-sdk', sub, 'src/revision.rs')).toContain('REVISION: u32 = 1;');
  });

  it('setFault writes the fault into the crate, and verify only into consensus', async () => {
    const sha = await setFault(org, 'blvm-commons', 'build');
    expect(await show('blvm-commons', sha, 'src/fault.rs')).toContain('injected build fault');
    await setFault(org, 'blvm-commons', null);
    const v = await setFault(org, 'blvm-consensus', 'verify');
    expect(await show('blvm-consensus', v, 'src/fault.rs')).toContain('proof_subsidy_never_reaches_zero');
    await setFault(org, 'blvm-consensus', null);
    await expect(setFault(org, 'blvm-node', 'verify')).rejects.toThrow(/only bllvm-consensus \(blvm-consensus/);
    await expect(addCommit(org, 'bllvm-node' as never)).rejects.toThrow(/unknown repository "bllvm-node"/);
  });
});

describe('openSandboxOrg and addRepository', () => {
  it('adds an eleventh repository depending on blvm-protocol by range and patch; re-opening finds it and the marks', async () => {
    const dir = join(root, 'grown');
    const grown = await addRepository(await createSandboxOrg({ dir, profile: 'real' }), 'blvm-mempool');
    expect(grown.repositories.at(-1)).toBe('blvm-mempool');
    const manifest = await gitOut(grown.repoPath('blvm-mempool'), ['show', 'main:Cargo.toml']);
    expect(manifest).toContain('blvm-protocol = ">=0.1, <1"');
    expect(manifest).toContain('blvm-protocol = { path = "../blvm-protocol" }');
    expect(manifest).toContain('blvm-primitives = { path = "../blvm-primitives" }');
    expect(grown.history['blvm-mempool']).toEqual({ initial: grown.heads['blvm-mempool'] });

    const opened = await openSandboxOrg(dir);
    expect(opened.profile).toBe('real');
    expect(opened.repositories).toEqual([...REAL_REPOSITORY_NAMES, 'blvm-mempool']);
    expect(opened.heads).toEqual(grown.heads);
    expect(opened.history).toEqual(grown.history);
    expect(await addCommit(opened, 'blvm-mempool')).toMatch(/^[0-9a-f]{40}$/);

    await expect(addRepository(grown, 'blvm-mempool')).rejects.toThrow(/already exists/);
    await expect(addRepository(grown, 'bllvm-node')).rejects.toThrow(/already exists/);
    await expect(addRepository(grown, 'Bad Name')).rejects.toThrow(/lowercase/);
    await expect(addRepository(grown, 'blvm-x', { dependsOn: ['nope' as never] })).rejects.toThrow(/unknown repository/);
  });

  it('detects the seed profile, and refuses addRepository there', async () => {
    const seedDir = join(root, 'seed');
    const seed = await createSandboxOrg({ dir: seedDir });
    expect(seed.profile).toBe('seed');
    expect(seed.history['bllvm-node']).toEqual({ initial: seed.heads['bllvm-node'] });
    const opened = await openSandboxOrg(seedDir);
    expect(opened.profile).toBe('seed');
    expect(opened.history).toEqual(seed.history);
    await expect(addRepository(seed, 'blvm-mempool')).rejects.toThrow(/'real' profile/);
    await expect(createSandboxOrg({ dir: join(root, 'x'), profile: 'real', size: 1 } as never)).rejects.toThrow(/size knob/);
    await expect(createSandboxOrg({ dir: join(root, 'y'), profile: 'other' } as never)).rejects.toThrow(/unknown sandbox profile/);
  });
});
