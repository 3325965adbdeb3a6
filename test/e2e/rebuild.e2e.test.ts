import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Pipeline, ORCHESTRATOR_REPOSITORY, startPipeline } from '@bllvm/demo';
import type { ReleaseManifest } from '@bllvm/release';
import { generateSigningKey } from '@bllvm/attest';
import { buildCrate, loadSeedCrates } from '@bllvm/cargo-registry';
import { firstImageDifference } from '@bllvm/cli/testing';

// Reproducible releases, end to end: a nightly published by one builder is rebuilt by another
// (another checkout path, work dir, HOME, umask, time zone, locale, and later) with real cargo in
// the sandbox, real podman and the local GitHub API, and `bllvm-release rebuild` compares them.
let p: Pipeline;
let tag: string;
let manifest: ReleaseManifest;
/** The work dir of the first rebuild: what it staged is what a later check compares with. */
let firstRebuild: string | undefined;
const [OWNER, REPO] = ORCHESTRATOR_REPOSITORY.split('/') as [string, string];
const scratch: string[] = [];
const timings: Record<string, number> = {};
const RUSTUP_HOME = process.env.RUSTUP_HOME ?? join(homedir(), '.rustup');

interface Report {
  verdict: string;
  workDir: string;
  timings: Record<string, number>;
  tasks: Record<string, string[]>;
  assets: { name: string; status: string; counted: boolean; firstDifference?: string; note?: string }[];
  signature?: { builder: string; file: string; attestation: string; matchesPublished: boolean };
}

/** `bllvm-release rebuild <tag>` as another person on another machine would run it. */
async function rebuild(home: string, ...extra: string[]) {
  const cli = join(p.sw.ws.dir, 'tools/ship/cli/bin/bllvm-release.cjs');
  const workDir = await mkdtemp(join(tmpdir(), 'bllvm-rebuilder-'));
  scratch.push(workDir);
  const started = Date.now();
  // umask through the shell that starts node; the arguments stay arguments ("$@"), never shell text.
  const r = await execa('sh', ['-c', 'umask 0077 && exec "$0" "$@"', process.execPath, cli, 'rebuild', tag, '-c', 'sandbox', '--work-dir', workDir, '--json', ...extra], {
    cwd: p.sw.ws.dir,
    reject: false,
    // rustup finds its toolchains under HOME unless told: the other person has the same toolchain installed.
    env: { ...process.env, ...p.sw.ws.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false', RUSTUP_HOME: RUSTUP_HOME, HOME: home, TZ: 'Pacific/Kiritimati', LC_ALL: 'C', LANG: 'C' },
  });
  const ms = Date.now() - started;
  const report = r.stdout.trim().startsWith('{') ? (JSON.parse(r.stdout) as Report) : undefined;
  return { ...r, report, ms };
}

/** What differs between the first nightly's images and those of the nightly staged under `dir`, for a failure's message. */
async function imageDifferences(dir: string): Promise<string> {
  const out: string[] = [];
  for (const c of manifest.components.filter((x) => x.image)) {
    const name = c.image!.archive.name;
    const [a, b] = await Promise.all([p.sw.ws.dir, dir].map((d) => readFile(join(d, 'dist/release', tag, name)).catch(() => undefined)));
    if (a && b && !a.equals(b)) out.push(`${name}: ${firstImageDifference(a, b) ?? 'not a docker-archive'}`);
  }
  return out.join('; ') || 'the images are equal';
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  p = await startPipeline({ tag: false });
  Object.assign(p.sw.ws.env, { TZ: 'UTC', LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' });
  const started = Date.now();
  const r = await p.sw.ws.cli('nightly', '-c', 'sandbox', '--json');
  timings.nightlyMs = Date.now() - started;
  expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
  tag = (JSON.parse(r.stdout) as { tag: string }).tag;
  manifest = JSON.parse(await readFile(join(p.sw.ws.dir, 'dist/release', tag, 'release-manifest.json'), 'utf8')) as ReleaseManifest;
}, 600_000);

afterAll(async () => {
  console.log(`rebuild e2e timings (ms): ${JSON.stringify(timings)}`);
  expect(p.api.validationErrors()).toEqual([]);
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  await p?.stop();
});

describe('a published nightly', () => {
  it('records the toolchain, SOURCE_DATE_EPOCH from the pins, the flags and the sandbox paths', () => {
    for (const c of manifest.components) {
      expect(c.toolchain, c.component).toMatch(/^rustc \d+\.\d+\.\d+/m);
      expect(c.build?.settings.cargo, c.component).toMatch(/^cargo \d+\.\d+\.\d+/);
      expect(c.build?.settings.rustflags, c.component).toContain('--remap-path-prefix=/cargo-home=/cargo');
      expect(c.build?.settings.sandbox, c.component).toEqual({ sources: '/src', target: '/target', cargoHome: '/cargo-home', toolchain: '/toolchain' });
      // Not the clock: a date in the past, at most the release's own.
      expect(c.build!.settings.sourceDateEpoch * 1000, c.component).toBeLessThanOrEqual(Date.parse(manifest.createdAt) + 1000);
    }
    expect(manifest.archiver).toEqual({ zlib: process.versions.zlib, gzipLevel: 9 });
  });

  it('ships binaries that name no path of the machine that built them', async () => {
    const dir = join(p.sw.ws.dir, 'dist/release', tag);
    const leaks = [p.sw.ws.dir, join(p.sw.ws.dir, '..'), process.env.HOME ?? '/root', tmpdir() + '/'].map((s) => Buffer.from(s));
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.tar.gz'))) {
      const tar = gunzipSync(await readFile(join(dir, name)));
      for (const leak of leaks) expect(tar.includes(leak), `${name} contains ${leak.toString()}`).toBe(false);
    }
  });
});

describe('a second nightly of the same pins', () => {
  it('from another folder, HOME, umask, time zone, locale and Nx cache, later: publishes the same tag with the same bytes, the whole SHA256SUMS identical', async () => {
    const other = await mkdtemp(join(tmpdir(), 'bllvm-second-builder-'));
    scratch.push(other);
    const dir = join(other, 'orchestrator');
    await execa('git', ['clone', '--quiet', p.sw.ws.dir, dir]);
    await symlink(join(p.sw.ws.dir, 'node_modules'), join(dir, 'node_modules'));
    const published = p.api.state.releases(OWNER, REPO).find((x) => x.tagName === tag)!;
    const before = published.assets.map((a) => [a.name, a.id, a.sha256]);
    await new Promise((r) => setTimeout(r, 1500)); // a later second than the first nightly's
    const started = Date.now();
    // The pins did not move since the first nightly, so `prerelease` (publish the pins as they are).
    const r = await execa('sh', ['-c', 'umask 0077 && exec "$0" "$@"', process.execPath, join(dir, 'tools/ship/cli/bin/bllvm-release.cjs'), 'prerelease', '-c', 'sandbox', '--json'], {
      cwd: dir,
      reject: false,
      env: { ...process.env, ...p.sw.ws.env, BLLVM_WORK_DIR: join(other, 'work'), NX_CACHE_DIRECTORY: join(other, 'nx-cache'), NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false', RUSTUP_HOME, HOME: join(other, 'home'), TZ: 'America/St_Johns', LC_ALL: 'C', LANG: 'C' },
    });
    timings.secondNightlyMs = Date.now() - started;
    expect(r.exitCode, `${r.stderr.slice(-3000)}\n${r.stdout.slice(-2000)}`).toBe(0);
    const report = JSON.parse(r.stdout) as { tag: string; tasks: { task: string; status: string }[] };
    expect(report.tag).toBe(tag);
    // Really built again: nothing came from the first builder's cache.
    expect(report.tasks.filter((t) => t.task.endsWith(':build') && t.status !== 'built')).toEqual([]);
    const ours = await readFile(join(p.sw.ws.dir, 'dist/release', tag, 'SHA256SUMS'));
    const theirs = await readFile(join(dir, 'dist/release', tag, 'SHA256SUMS'));
    expect(theirs.toString(), `the second SHA256SUMS${theirs.equals(ours) ? '' : `; ${await imageDifferences(dir)}`}`).toBe(ours.toString());
    // The release converged: the same assets, none replaced, no conflict.
    const after = p.api.state.releases(OWNER, REPO).find((x) => x.tagName === tag)!;
    expect(after.assets.map((a) => [a.name, a.id, a.sha256])).toEqual(before);
  }, 600_000);
});

describe('bllvm-release rebuild', () => {
  it('elsewhere, as someone else, later, stages the same SHA256SUMS and says all equal', async () => {
    const home = await mkdtemp(join(tmpdir(), 'bllvm-rebuilder-home-'));
    scratch.push(home);
    await new Promise((r) => setTimeout(r, 1500)); // a later second than the nightly's
    // The rebuilder signs what they built, as Guix builders do.
    const alice = await generateSigningKey('alice (independent rebuilder)');
    await writeFile(join(home, 'alice.key'), alice.secretKey);
    // Since the nightly, the registry got a newer leaf that consensus' range ">=0.1, <1" admits: a
    // fresh resolve of the repositories that commit no lock would compile it, and differ.
    const leaf = (await loadSeedCrates()).find((c) => c.name === 'leaf' && c.version === '0.2.0')!;
    const newer = buildCrate('leaf', '0.2.1', [
      { path: 'Cargo.toml', data: Buffer.from('[package]\nname = "leaf"\nversion = "0.2.1"\nedition = "2021"\n') },
      { path: 'src/lib.rs', data: Buffer.from('pub const VERSION: &str = "0.2.1";\npub fn hash(bytes: &[u8]) -> u32 { bytes.len() as u32 }\n') },
    ]);
    p.sw.registry.state.publish({ ...leaf.metadata, vers: '0.2.1' }, newer);
    const r = await rebuild(home, '--builder', 'alice', '--builder-key', join(home, 'alice.key'));
    // ...so the rebuild builds them with the locks the release recorded.
    expect(r.stderr).toMatch(/rebuild: building [a-z, -]*bllvm-protocol[a-z, -]* with the Cargo\.lock the release recorded \(their repositories commit none\)/);
    expect(r.stderr).not.toMatch(/rebuild: building [a-z, -]*bllvm-consensus[a-z, -]* with the Cargo\.lock/);
    timings.rebuildMs = r.ms;
    firstRebuild = r.report?.workDir;
    const notEqual = (r.report?.assets ?? []).filter((a) => a.status !== 'equal');
    if (notEqual.length) {
      const notes = async (dir: string) => readFile(join(dir, 'RELEASE_NOTES.md'), 'utf8').catch(() => '(none)');
      console.log(JSON.stringify(notEqual, null, 2), await notes(join(p.sw.ws.dir, 'dist/release', tag)), await notes(join(r.report!.workDir, 'workspace/dist/release', tag)));
    }
    expect(r.exitCode, `${JSON.stringify(notEqual)}\n${r.stderr.slice(-3000)}`).toBe(0);
    expect(r.report!.verdict).toBe('all-equal');
    // Really rebuilt: every component's build ran, none came from a cache.
    expect(r.report!.tasks.cached ?? []).toEqual([]);
    expect(r.report!.tasks.built).toEqual(expect.arrayContaining(manifest.components.map((c) => `${c.component}:build`)));
    expect(r.report!.workDir.startsWith(p.sw.ws.dir)).toBe(false);
    Object.assign(timings, Object.fromEntries(Object.entries(r.report!.timings).map(([k, v]) => [`rebuild.${k}`, v])));
    const ours = await readFile(join(p.sw.ws.dir, 'dist/release', tag, 'SHA256SUMS'), 'utf8');
    const theirs = await readFile(join(r.report!.workDir, 'workspace/dist/release', tag, 'SHA256SUMS'), 'utf8');
    const images = manifest.components.flatMap((c) => (c.image ? [c.image.archive.name] : []));
    expect(images.length).toBeGreaterThan(0);
    // Every line is identical, the image's included (canonical, dated by the pins, whatever the
    // engine's clock); only the notes' may differ, prose from the history the rebuilder has.
    const lines = (text: string) => text.split('\n').filter((l) => !l.endsWith('  RELEASE_NOTES.md'));
    expect(lines(ours).filter((l) => l.endsWith('.tar.gz'))).toHaveLength(manifest.components.length);
    expect(lines(theirs)).toEqual(lines(ours));
    for (const name of images) expect(r.report!.assets.find((a) => a.name === name), name).toMatchObject({ status: 'equal', counted: true });
    timings.imageArchiveIdentical = 1;
    for (const a of r.report!.assets) expect(a.counted ? a.status : 'not counted', a.name).toBe(a.counted ? 'equal' : 'not counted');

    // Alice's signature of her SHA256SUMS is a second signer of the published one: with her key
    // trusted beside the release key, the release meets a threshold of 2.
    expect(r.report!.signature).toMatchObject({ builder: 'alice', matchesPublished: true, attestation: `attestations/${tag}/SHA256SUMS.alice.asc` });
    const folder = join(home, 'download');
    const keys = join(home, 'keys');
    await cp(join(r.report!.workDir, 'published'), folder, { recursive: true }); // what the rebuild downloaded
    await cp(r.report!.signature!.file, join(folder, 'SHA256SUMS.alice.asc'));
    await cp(p.keysDir, keys, { recursive: true });
    await writeFile(join(keys, 'alice.asc'), alice.publicKey);
    const two = await p.sw.ws.cli('verify', folder, '--keys', keys, '--threshold', '2');
    expect(two.exitCode, `${two.stdout}\n${two.stderr}`).toBe(0);
  }, 600_000);

  it('names the replaced archive, and the file inside it, when a release asset was swapped with its SHA256SUMS line (--against the earlier rebuild)', async () => {
    const release = p.api.state.releases(OWNER, REPO).find((x) => x.tagName === tag)!;
    const target = manifest.components.find((c) => c.component === 'bllvm-node')!;
    const archive = release.assets.find((a) => a.name === target.archive.name)!;
    const sums = release.assets.find((a) => a.name === 'SHA256SUMS')!;
    const tar = gunzipSync(p.api.state.assetBytes(archive.id)!);
    // One byte of the first file's content (after the directory header and the file's header).
    const fileData = 512 * 2;
    tar[fileData + 100] = tar[fileData + 100]! ^ 0xff;
    const tampered = gzipSync(tar);
    const live = (id: number) => p.api.state.getAsset(OWNER, REPO, id)!;
    live(archive.id).bytes = tampered;
    live(archive.id).sha256 = sha256(tampered);
    const newSums = Buffer.from(p.api.state.assetBytes(sums.id)!.toString('utf8').replace(target.archive.sha256, sha256(tampered)));
    live(sums.id).bytes = newSums;
    live(sums.id).sha256 = sha256(newSums);

    const home = await mkdtemp(join(tmpdir(), 'bllvm-rebuilder-home-'));
    scratch.push(home);
    // The rebuilder checks the release again against what its rebuild staged (the same bytes a
    // new rebuild makes: the test above proves it), building nothing this time.
    expect(firstRebuild, 'the rebuild above ran').toBeDefined();
    const r = await rebuild(home, '--against', firstRebuild!);
    timings.rebuildTamperedMs = r.ms;
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(1);
    expect(r.report!.verdict).toBe('differs');
    expect(r.report!.tasks).toEqual({});
    const bad = r.report!.assets.filter((a) => a.counted && a.status !== 'equal');
    expect(bad.map((a) => a.name).sort()).toEqual([target.archive.name, 'SHA256SUMS'].sort());
    const stem = target.archive.name.replace(/\.tar\.gz$/, '');
    expect(bad.find((a) => a.name === target.archive.name)!.firstDifference).toMatch(new RegExp(`^${stem}/[^:]+: content differs`));
    expect(bad.find((a) => a.name === 'SHA256SUMS')!.firstDifference).toBe(`line for ${target.archive.name}`);
    const report = JSON.parse(await readFile(join(r.report!.workDir, 'rebuild-report.json'), 'utf8')) as Report;
    expect(report.verdict).toBe('differs');
  }, 600_000);

  it('--against a folder that is no rebuild of this tag is refused, naming why', async () => {
    const home = await mkdtemp(join(tmpdir(), 'bllvm-rebuilder-home-'));
    scratch.push(home);
    const r = await rebuild(home, '--against', home);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`--against ${home}: not the work dir of a rebuild of ${tag}`);
  });

  it('refuses to run from a checkout at another commit, saying which one to check out', async () => {
    const other = await mkdtemp(join(tmpdir(), 'bllvm-rebuild-refuse-'));
    scratch.push(other);
    await p.sw.ws.git('commit', '-q', '--allow-empty', '-m', 'after the release');
    try {
      const r = await rebuild(other);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(`was made by orchestrator commit ${manifest.orchestratorCommit.slice(0, 7)}`);
      expect(r.stderr).toContain(`git checkout ${manifest.orchestratorCommit}`);
    } finally {
      await p.sw.ws.git('reset', '-q', '--hard', 'HEAD~1');
    }
  }, 120_000);
});
