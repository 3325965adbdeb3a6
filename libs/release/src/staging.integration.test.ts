import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildRecord, ImageRecord } from '@bllvm/manifest';
import type { ComponentChangelog } from './changelog';
import { parseSha256Sums } from './checksums';
import type { ReleaseManifest } from './manifest';
import { plannedAssetNames } from './names';
import { type StageComponent, type StageOptions, StagingError, stageArtifacts } from './staging';
import { fakeSha, sha256, tempDir, writeBuild, writeImage } from './testing';

const TAG = 'nightly-20261127-0123456';
const ORCH = '0123456789abcdef0123456789abcdef01234567';

let root: string;
let cleanup: () => Promise<void>;
let dist: string;
let components: StageComponent[];

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('bllvm-staging-'));
  dist = join(root, 'dist');
  const consensus = await writeBuild(dist, 'bllvm-consensus', [{ name: 'libbllvm_consensus.rlib', kind: 'library', content: 'rlib consensus' }]);
  const bllvm = await writeBuild(
    dist,
    'bllvm',
    [{ name: 'bllvm', kind: 'binary', content: Buffer.alloc(200_000, 1) }],
    { upstream: { 'bllvm-consensus': consensus.commit } },
  );
  const gov = await writeBuild(dist, 'governance-app', [
    { name: 'key-manager', kind: 'binary', content: '#!/bin/true\nkey-manager' },
    { name: 'governance-app', kind: 'binary', content: '#!/bin/true\ngovernance-app' },
  ]);
  const image = await writeImage(dist, 'governance-app', gov.commit, 'pretend OCI archive');
  components = [
    { name: 'bllvm-consensus', buildRecord: consensus },
    { name: 'bllvm', buildRecord: bllvm },
    { name: 'governance-app', buildRecord: gov, image },
  ];
});

afterAll(async () => {
  await cleanup?.();
});

function options(outDir: string, over: Partial<StageOptions> = {}): StageOptions {
  const changelog: ComponentChangelog[] = components.map((c) => ({
    component: c.name,
    repository: c.buildRecord.repository,
    current: c.buildRecord.commit,
    status: 'new',
  }));
  return { distDir: dist, outDir: join(root, outDir), tag: TAG, components, orchestratorCommit: ORCH, createdAt: '2026-11-27T03:00:00Z', changelog, ...over };
}

describe('stageArtifacts', () => {
  let staged: Awaited<ReturnType<typeof stageArtifacts>>;
  let out: string;

  beforeAll(async () => {
    staged = await stageArtifacts(options('out1'));
    out = join(root, 'out1');
  });

  it('stages one archive per component, the image, the manifest, the notes and the sums', async () => {
    const expected = plannedAssetNames(TAG, components.map((c) => ({ name: c.name, hasImage: !!c.image })));
    expect(staged.map((f) => f.name)).toEqual(expected);
    expect(expected).toContain('governance-app-nightly-20261127-0123456-image.oci.tar');
    expect(expected).toContain('bllvm-nightly-20261127-0123456-linux-x86_64.tar.gz');
    expect((await readdir(out)).sort()).toEqual([...expected].sort());
    for (const f of staged) {
      expect(f.path).toBe(join(out, f.name));
      const data = await readFile(f.path);
      expect({ size: data.length, sha256: sha256(data) }).toEqual({ size: f.size, sha256: f.sha256 });
    }
  });

  it('writes SHA256SUMS that the real sha256sum accepts, covering every other file', async () => {
    const { stdout } = await execa('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: out });
    const names = staged.filter((f) => f.name !== 'SHA256SUMS').map((f) => f.name);
    expect(stdout.split('\n').sort()).toEqual(names.map((n) => `${n}: OK`).sort());
    const sums = parseSha256Sums(await readFile(join(out, 'SHA256SUMS'), 'utf8'));
    expect(sums.map((s) => s.name)).toEqual([...names].sort());
  });

  it('archives the recorded artifacts and the build record under one folder, with the real tar', async () => {
    const archive = join(out, 'governance-app-nightly-20261127-0123456-linux-x86_64.tar.gz');
    const { stdout } = await execa('tar', ['-tzf', archive]);
    const stem = 'governance-app-nightly-20261127-0123456-linux-x86_64';
    expect(stdout.split('\n')).toEqual([`${stem}/`, `${stem}/build.json`, `${stem}/governance-app`, `${stem}/key-manager`]);

    const x = join(root, 'extract');
    await mkdir(x);
    await execa('tar', ['-xzf', archive, '-C', x]);
    const record = JSON.parse(await readFile(join(x, stem, 'build.json'), 'utf8')) as BuildRecord;
    expect(record).toEqual(components[2]!.buildRecord);
    for (const a of record.artifacts) {
      const data = await readFile(join(x, stem, a.name));
      expect(sha256(data)).toBe(a.sha256);
      expect((await stat(join(x, stem, a.name))).mode & 0o777).toBe(0o755);
    }
    const lib = join(out, 'bllvm-consensus-nightly-20261127-0123456-linux-x86_64.tar.gz');
    expect((await execa('tar', ['-tvzf', lib])).stdout).toMatch(/^-rw-r--r-- .*libbllvm_consensus\.rlib$/m);
  });

  it('copies the image archive unchanged', async () => {
    const copy = await readFile(join(out, 'governance-app-nightly-20261127-0123456-image.oci.tar'), 'utf8');
    expect(copy).toBe('pretend OCI archive');
  });

  it('writes a release manifest that matches the staged files', async () => {
    const m = JSON.parse(await readFile(join(out, 'release-manifest.json'), 'utf8')) as ReleaseManifest;
    expect(m).toMatchObject({ schema: 1, tag: TAG, kind: 'nightly', prerelease: true, orchestratorCommit: ORCH });
    expect(m.components.map((c) => c.component)).toEqual(['bllvm-consensus', 'bllvm', 'governance-app']);
    const byName = new Map(staged.map((f) => [f.name, f]));
    for (const c of m.components) {
      const f = byName.get(c.archive.name)!;
      expect(c.archive).toEqual({ name: f.name, size: f.size, sha256: f.sha256 });
    }
    const gov = m.components[2]!;
    expect(gov.image?.archive.name).toBe('governance-app-nightly-20261127-0123456-image.oci.tar');
    expect(gov.image?.imageId).toBe((components[2]!.image as ImageRecord).imageId);
  });

  it('writes release notes', async () => {
    const notes = await readFile(join(out, 'RELEASE_NOTES.md'), 'utf8');
    expect(notes).toContain('# bllvm nightly-20261127-0123456');
    expect(notes).toContain('new: first release at');
  });

  it('is byte-identical when staged again', async () => {
    await stageArtifacts(options('out2'));
    for (const f of staged) {
      const again = await readFile(join(root, 'out2', f.name));
      expect(sha256(again), f.name).toBe(f.sha256);
    }
  });

  it('refuses an outDir that already holds files', async () => {
    await expect(stageArtifacts(options('out1'))).rejects.toThrow(/out1 is not empty/);
  });

  it('stages into an existing empty outDir', async () => {
    await mkdir(join(root, 'empty'));
    await stageArtifacts(options('empty'));
    expect((await readdir(join(root, 'empty'))).length).toBe(staged.length);
  });
});

describe('stageArtifacts on a corrupted dist', () => {
  async function corruptCopy(name: string, mutate: (dir: string) => Promise<void>): Promise<StageOptions> {
    const d = join(root, name, 'dist');
    const c: StageComponent[] = [];
    // A fresh dist per case, so one corruption cannot leak into another test.
    const consensus = await writeBuild(d, 'bllvm-consensus', [{ name: 'libbllvm_consensus.rlib', kind: 'library', content: 'rlib consensus' }]);
    const gov = await writeBuild(d, 'governance-app', [{ name: 'governance-app', kind: 'binary', content: 'gov' }]);
    const image = await writeImage(d, 'governance-app', gov.commit, 'image');
    c.push({ name: 'bllvm-consensus', buildRecord: consensus }, { name: 'governance-app', buildRecord: gov, image });
    await mutate(d);
    return options(join(name, 'out'), { distDir: d, components: c, changelog: undefined });
  }

  async function expectNothingStaged(name: string) {
    expect(await readdir(join(root, name))).toEqual(['dist']);
  }

  it('fails naming a tampered artifact, and leaves nothing behind', async () => {
    const opts = await corruptCopy('tampered', (d) => writeFile(join(d, 'bllvm-consensus/build/libbllvm_consensus.rlib'), 'rlib consensuS'));
    const err = await stageArtifacts(opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StagingError);
    expect((err as Error).message).toMatch(/bllvm-consensus\/build\/libbllvm_consensus\.rlib: sha256 [0-9a-f]{64}, but its record says [0-9a-f]{64}/);
    await expectNothingStaged('tampered');
  });

  it('fails on a truncated artifact and a missing one, listing both', async () => {
    const opts = await corruptCopy('truncated', async (d) => {
      await writeFile(join(d, 'bllvm-consensus/build/libbllvm_consensus.rlib'), 'rlib');
      await rm(join(d, 'governance-app/build/governance-app'));
    });
    const err = (await stageArtifacts(opts).catch((e: unknown) => e)) as StagingError;
    expect(err.problems).toEqual([
      expect.stringMatching(/libbllvm_consensus\.rlib: size 4 bytes, but its record says 14$/),
      expect.stringMatching(/governance-app\/build\/governance-app: cannot read \(ENOENT\), but its build record lists it$/),
    ]);
    await expectNothingStaged('truncated');
  });

  it('fails on a tampered image archive', async () => {
    const opts = await corruptCopy('image', (d) => writeFile(join(d, 'governance-app/image.oci.tar'), 'imagE'));
    await expect(stageArtifacts(opts)).rejects.toThrow(/governance-app\/image\.oci\.tar: sha256/);
    await expectNothingStaged('image');
  });

  it('refuses records that do not belong together or point outside dist', async () => {
    const base = options('never');
    const [consensus, bllvm, gov] = components as [StageComponent, StageComponent, StageComponent];
    const cases: [StageComponent[], RegExp][] = [
      [[{ ...consensus, name: 'bllvm-protocol' }], /bllvm-protocol: build record is for "bllvm-consensus"/],
      [[{ ...consensus, buildRecord: { ...consensus.buildRecord, target: 'aarch64-apple-darwin' } }], /built for aarch64-apple-darwin/],
      [[{ ...consensus, buildRecord: { ...consensus.buildRecord, artifacts: [{ name: '../../etc/passwd', kind: 'binary', size: 1, sha256: 'a'.repeat(64) }] } }], /not a plain file name/],
      [[{ ...gov, image: { ...gov.image!, commit: fakeSha('other') } }], /image was built from/],
      [[{ ...gov, image: { ...gov.image!, archive: { ...gov.image!.archive, name: '../x' } } }], /image archive/],
      [[{ ...consensus, buildRecord: { ...consensus.buildRecord, commit: fakeSha('moved') } }, bllvm], /bllvm was built against bllvm-consensus@/],
      [[{ ...consensus, buildRecord: { ...consensus.buildRecord, artifacts: [{ ...consensus.buildRecord.artifacts[0]!, name: 'build.json' }] } }], /reserves/],
      [[], /no components/],
    ];
    for (const [c, message] of cases) await expect(stageArtifacts({ ...base, components: c })).rejects.toThrow(message);
    await expect(stageArtifacts({ ...base, tag: 'latest' })).rejects.toThrow(/not a release tag/);
    await expect(stageArtifacts({ ...base, orchestratorCommit: fakeSha('x') })).rejects.toThrow(/names orchestrator commit/);
    expect(await readdir(root)).not.toContain('never');
    expect((await readdir(root)).filter((n) => n.includes('.staging-'))).toEqual([]);
  });
});

describe('stageArtifacts with the lock a build compiled from', () => {
  const LOCK = '# This file is automatically @generated by Cargo.\nversion = 4\n\n[[package]]\nname = "leaf"\nversion = "0.2.0"\n';

  async function distWithLock(name: string, kept: string | undefined): Promise<StageOptions> {
    const d = join(root, name, 'dist');
    const record = await writeBuild(d, 'bllvm-consensus', [{ name: 'libbllvm_consensus.rlib', kind: 'library', content: 'rlib consensus' }], {
      lock: { sha256: sha256(Buffer.from(LOCK)), origin: 'generated' },
    });
    if (kept !== undefined) await writeFile(join(d, 'bllvm-consensus', 'build', 'Cargo.lock'), kept);
    return options(join(name, 'out'), { distDir: d, components: [{ name: 'bllvm-consensus', buildRecord: record }], changelog: undefined });
  }

  it('ships the lock beside the build record, so a rebuild can resolve the same registry versions', async () => {
    const opts = await distWithLock('locked', LOCK);
    await stageArtifacts(opts);
    const stem = 'bllvm-consensus-nightly-20261127-0123456-linux-x86_64';
    const archive = join(opts.outDir, `${stem}.tar.gz`);
    expect((await execa('tar', ['-tzf', archive])).stdout.split('\n')).toEqual([`${stem}/`, `${stem}/Cargo.lock`, `${stem}/build.json`, `${stem}/libbllvm_consensus.rlib`]);
    expect((await execa('tar', ['-xOzf', archive, `${stem}/Cargo.lock`])).stdout).toBe(LOCK.trimEnd());
  });

  it('refuses a kept lock that is not the one the record names, or none, staging nothing', async () => {
    const changed = await distWithLock('lock-changed', LOCK.replace('0.2.0', '0.1.3'));
    await expect(stageArtifacts(changed)).rejects.toThrow(/bllvm-consensus: the kept Cargo\.lock \(sha256 [0-9a-f]{12}…\) is not the one its build record names/);
    expect(await readdir(join(root, 'lock-changed'))).toEqual(['dist']);
    const missing = await distWithLock('lock-missing', undefined);
    await expect(stageArtifacts(missing)).rejects.toThrow(/bllvm-consensus: its build record names a Cargo\.lock, but the build kept none; rebuild it/);
  });
});
