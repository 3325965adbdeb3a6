import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrateRecord, componentDist, readCrateRecord } from '@bllvm/manifest';
import { type SandboxWorkspace, createSandboxWorkspace } from '@bllvm/demo';
import { addCommit } from '@bllvm/sandbox';

// Packaging the stack's libraries for a release: real git, real cargo package (verify build
// included) in the build sandbox, each downstream verified against the crates its upstreams'
// package tasks just made, none of which the registry has.
let sw: SandboxWorkspace;

const LIBRARIES = ['bllvm-consensus', 'bllvm-protocol', 'bllvm-node'] as const;

const show = async (repository: string, rev: string, file: string) => (await execa('git', ['--git-dir', sw.org.repoPath(repository as never), 'show', `${rev}:${file}`])).stdout;
const dist = (component: string) => componentDist(join(sw.ws.dir, 'dist'), component).crate;

/** The Cargo.lock cargo packaged into a crate: what its verify build resolved. */
async function packagedLock(record: CrateRecord, component: string): Promise<{ name: string; version: string; source?: string; checksum?: string }[]> {
  const r = await execa('tar', ['-xzOf', join(dist(component).dir, record.file), `${record.crate}-${record.version}/Cargo.lock`]);
  return (parse(r.stdout) as { package: { name: string; version: string; source?: string; checksum?: string }[] }).package;
}

beforeAll(async () => {
  sw = await createSandboxWorkspace();
}, 600_000);

afterAll(async () => {
  await sw?.remove();
});

describe('the package target', () => {
  it('packages every library in chain order, each verify build resolving its upstreams at the versions just packaged', async () => {
    // The release bumps consensus to 0.1.1 (its committed lock with it), tags the commit, and moves its pin there.
    const manifest = await show('bllvm-consensus', 'main', 'Cargo.toml');
    const lock = await show('bllvm-consensus', 'main', 'Cargo.lock');
    const bumped = manifest.replace(/^version = "0\.1\.0"$/m, 'version = "0.1.1"');
    const bumpedLock = lock.replace(/(name = "bllvm-consensus"\nversion = )"0\.1\.0"/, '$1"0.1.1"');
    expect(bumped).not.toBe(manifest);
    expect(bumpedLock).not.toBe(lock);
    const commit = await addCommit(sw.org, 'bllvm-consensus', { files: { 'Cargo.toml': `${bumped}\n`, 'Cargo.lock': `${bumpedLock}\n` }, message: 'Bump version to 0.1.1 for release' });
    await execa('git', ['--git-dir', sw.org.repoPath('bllvm-consensus'), 'tag', 'v0.1.1', commit]);
    await sw.pin('bllvm-consensus', commit);
    // The registry has no bllvm-consensus at all: only the overlay of this release can give it.
    expect((await fetch(`${sw.registry.url}/index/bl/lv/bllvm-consensus`)).status).toBe(404);

    const r = await sw.ws.nx('run-many', '-t', 'package', '--outputStyle=static');
    const output = r.stdout + r.stderr;
    expect(r.exitCode, output.slice(-4000)).toBe(0);
    // Only libraries have the target.
    expect(output).not.toMatch(/nx run (bllvm|bllvm-sdk|governance-app):package/);

    const records: Record<string, CrateRecord> = {};
    for (const c of LIBRARIES) {
      const record = await readCrateRecord(dist(c).record);
      records[c] = record;
      const bytes = await readFile(join(dist(c).dir, record.file));
      expect(record).toMatchObject({ component: c, crate: c, file: `${c}-${record.version}.crate`, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
      expect(record.commit).toBe(c === 'bllvm-consensus' ? commit : sw.org.heads[c]);
      // What cargo recorded of the repository: the commit packaged, from a clean tree.
      const vcs = await execa('tar', ['-xzOf', join(dist(c).dir, record.file), `${c}-${record.version}/.cargo_vcs_info.json`]);
      expect(JSON.parse(vcs.stdout)).toEqual({ git: { sha1: record.commit }, path_in_vcs: '' });
    }
    expect(records['bllvm-consensus']).toMatchObject({ version: '0.1.1', tag: 'v0.1.1', dependsOn: ['leaf'] });
    expect(records['bllvm-protocol']).toMatchObject({ version: '0.1.0', dependsOn: ['bllvm-consensus', 'mid'] });
    expect(records['bllvm-protocol']!.tag).toBeUndefined();
    expect(records['bllvm-node']).toMatchObject({ version: '0.1.0', dependsOn: ['bllvm-consensus', 'bllvm-protocol'] });

    // Each downstream's verify build resolved each upstream as a registry crate at the version just
    // packaged, and with the very bytes packaged (the lock's checksum is the crate's digest): so
    // the upstream's package task had finished first, in chain order.
    const asRegistryCrate = (c: string) => expect.objectContaining({ name: c, version: records[c]!.version, source: 'registry+https://github.com/rust-lang/crates.io-index', checksum: records[c]!.sha256 });
    const protocolLock = await packagedLock(records['bllvm-protocol']!, 'bllvm-protocol');
    expect(protocolLock).toContainEqual(asRegistryCrate('bllvm-consensus'));
    const nodeLock = await packagedLock(records['bllvm-node']!, 'bllvm-node');
    expect(nodeLock).toContainEqual(asRegistryCrate('bllvm-consensus'));
    expect(nodeLock).toContainEqual(asRegistryCrate('bllvm-protocol'));
    expect(output).toContain('bllvm-node@');
    expect(output).toContain('verified against bllvm-consensus 0.1.1, bllvm-protocol 0.1.0 of this release');

    // Cached: a second run restores the same files.
    const again = await sw.ws.nx('run-many', '-t', 'package', '--outputStyle=static');
    expect(again.exitCode, again.stdout.slice(-2000)).toBe(0);
    expect(again.stdout).toMatch(/4\/4 hit/);
    expect((await readCrateRecord(dist('bllvm-node').record)).sha256).toBe(records['bllvm-node']!.sha256);
  }, 900_000);

  it('fails a crate cargo refuses to package with one line naming the component and what cargo said', async () => {
    // A path dependency without a version: cargo package cannot say what the published crate needs.
    const manifest = await show('bllvm-protocol', 'main', 'Cargo.toml');
    const unversioned = manifest.replace('bllvm-consensus = { path = "../bllvm-consensus", version = "0.1" }', 'bllvm-consensus = { path = "../bllvm-consensus" }');
    expect(unversioned).not.toBe(manifest);
    const commit = await addCommit(sw.org, 'bllvm-protocol', { files: { 'Cargo.toml': `${unversioned}\n` }, message: 'Drop the version of the consensus path dependency' });
    await sw.pin('bllvm-protocol', commit);

    const r = await sw.ws.nx('run', 'bllvm-protocol:package', '--outputStyle=static');
    const output = r.stdout + r.stderr;
    expect(r.exitCode).not.toBe(0);
    const failure = output.split('\n').filter((l) => l.startsWith('✖ '));
    expect(failure).toHaveLength(1);
    expect(failure[0]).toMatch(new RegExp(`^✖ cargo package refused bllvm-protocol@${commit.slice(0, 7)}: .*dependency \`bllvm-consensus\` does not specify a version$`));
    // Nothing of the refused crate is left for the publish job.
    await expect(readCrateRecord(dist('bllvm-protocol').record)).rejects.toThrow('cannot read crate record');
  }, 600_000);
});
