// The command line, run as users run it (tsx), for its outputs and exit codes.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_COMPONENTS, headOf, openSandboxOrg } from './index';
import { gitOut, tempDir } from './testing';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));

const cli = (...args: string[]) => execa(TSX, [MAIN, ...args], { reject: false });

let root: string;
beforeAll(async () => {
  root = await tempDir('cli');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('sandbox CLI', () => {
  it('creates an org, commits, injects and removes a fault', async () => {
    const dir = join(root, 'org');
    const created = await cli('create', dir, '--size', '1');
    expect(created.exitCode, created.stderr).toBe(0);
    expect(created.stdout).toContain(`gitBaseUrl file://${dir}/`);
    const org = await openSandboxOrg(dir);
    for (const c of SANDBOX_COMPONENTS) expect(created.stdout).toContain(`${org.heads[c]} ${c}`);
    expect(await gitOut(org.repoPath('bllvm'), ['show', 'main:src/generated/m000.rs'])).toContain('Generated module 1 of 1');

    const commit = await cli('commit', dir, 'bllvm-node', '-m', 'Tweak the node');
    expect(commit.exitCode, commit.stderr).toBe(0);
    expect(commit.stdout).toBe(await headOf(org, 'bllvm-node'));
    expect(await gitOut(org.repoPath('bllvm-node'), ['log', '-1', '--format=%s', 'main'])).toBe('Tweak the node');

    const fault = await cli('fault', dir, 'bllvm-consensus', 'verify');
    expect(fault.exitCode, fault.stderr).toBe(0);
    expect(await gitOut(org.repoPath('bllvm-consensus'), ['show', 'main:src/fault.rs'])).toContain('proof_subsidy_never_reaches_zero');
    expect((await cli('fault', dir, 'bllvm-consensus', 'none')).exitCode).toBe(0);
    expect(await gitOut(org.repoPath('bllvm-consensus'), ['show', 'main:src/fault.rs'])).not.toContain('#[test]');
  });

  it("creates a 'real' org with --profile real and then works on its repositories by name", async () => {
    const dir = join(root, 'real');
    const created = await cli('create', dir, '--profile', 'real');
    expect(created.exitCode, created.stderr).toBe(0);
    const org = await openSandboxOrg(dir);
    expect(org.profile).toBe('real');
    expect(created.stdout.split('\n').slice(1)).toEqual(org.repositories.map((r) => `${org.heads[r]} ${r}`));
    expect(org.repositories).toContain('blvm-commons');
    const fault = await cli('fault', dir, 'blvm-consensus', 'verify');
    expect(fault.exitCode, fault.stderr).toBe(0);
    expect(fault.stdout).toBe(await headOf(org, 'blvm-consensus'));
    const commit = await cli('commit', dir, 'blvm-commons');
    expect(commit.exitCode, commit.stderr).toBe(0);
    expect(await gitOut(org.repoPath('blvm-commons'), ['show', 'main:src/revision.rs'])).toContain('REVISION: u32 = 1;');
    // A seed name is a usage-valid component, but this org has no such repository.
    const seedName = await cli('commit', dir, 'governance-app');
    expect(seedName.exitCode).toBe(1);
    expect(seedName.stderr).toMatch(/unknown repository "governance-app"/);
  });

  it('answers --help with exit code 0', async () => {
    const r = await cli('--help');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^usage: sandbox/);
  });

  it.each([
    [['frob'], /unknown command "frob"/],
    [[], /missing command/],
    [['create'], /expected <dir>/],
    [['create', 'x', '--size', 'ten'], /--size must be a whole number/],
    [['create', 'x', '-m', 'hi'], /--message does not apply to create/],
    [['commit', 'x', 'bllvm-nod'], /unknown component "bllvm-nod"/],
    [['fault', 'x', 'bllvm', 'explode'], /unknown fault "explode"/],
    [['fault', 'x', 'bllvm', 'verify'], /only to bllvm-consensus/],
    [['create', 'x', '--bogus'], /Unknown option '--bogus'/],
    [['create', 'x', '--profile', 'fake'], /unknown profile "fake"/],
    [['create', 'x', '--profile', 'real', '--size', '2'], /--size applies only to the seed profile/],
    [['fault', 'x', 'blvm-node', 'verify'], /only to bllvm-consensus \(blvm-consensus/],
  ])('exits 2 on bad usage: %j', async (args, message) => {
    const r = await cli(...args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('exits 1 when the operation fails', async () => {
    const r = await cli('commit', join(root, 'missing'), 'bllvm');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/is not a sandbox org/);
    const again = await cli('create', join(root, 'org'));
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
  });
});
