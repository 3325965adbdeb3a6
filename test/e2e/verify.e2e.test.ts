import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IN_TOTO_PAYLOAD_TYPE, type DsseEnvelope, type ProvenanceStatement, generateSigningKey, readEd25519PrivateKey, signDetached, signEnvelope } from '@bllvm/attest';
import { type Pipeline, ORCHESTRATOR_REPOSITORY, WORKSPACE_ROOT, cliCommand, startPipeline } from '@bllvm/demo';
import type { ReleaseRunReport } from '@bllvm/cli/testing';
import type { BuildRecord } from '@bllvm/manifest';

// What a node operator does with a release: download it, and check it against the keys they trust.
// The release is the sandbox nightly (real cargo, podman, the local GitHub API, keys made for it);
// each way of forging it must be refused, naming why.
let p: Pipeline;
let tag: string;
let release: string;
let scratch: string;
const [OWNER, REPO] = ORCHESTRATOR_REPOSITORY.split('/') as [string, string];

beforeAll(async () => {
  p = await startPipeline({ tag: false });
  const r = await p.sw.ws.cli('nightly', '-c', 'sandbox', '--json');
  expect(r.exitCode, `${r.stderr.slice(-3000)}\n${r.stdout.slice(-3000)}`).toBe(0);
  tag = (JSON.parse(r.stdout) as ReleaseRunReport).tag;
  scratch = await mkdtemp(join(tmpdir(), 'bllvm-verify-e2e-'));
  release = join(scratch, 'release');
  const published = p.api.state.releases(OWNER, REPO).find((x) => x.tagName === tag)!;
  await execa('mkdir', ['-p', release]);
  for (const a of published.assets) {
    const res = await fetch(`${p.api.url}/${OWNER}/${REPO}/releases/download/${tag}/${a.name}`);
    expect(res.status, a.name).toBe(200);
    await writeFile(join(release, a.name), Buffer.from(await res.arrayBuffer()));
  }
}, 900_000);

afterAll(async () => {
  await p?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

let n = 0;
/** A copy of the downloaded release (and of the keys), to forge one thing in. */
async function copy(): Promise<{ dir: string; keys: string }> {
  const base = join(scratch, `case-${++n}`);
  await cp(release, join(base, 'release'), { recursive: true });
  await cp(p.keysDir, join(base, 'keys'), { recursive: true });
  return { dir: join(base, 'release'), keys: join(base, 'keys') };
}

async function verify(dir: string, keys: string, ...extra: string[]) {
  const r = await p.sw.ws.cli('verify', dir, '--keys', keys, ...extra);
  return { code: r.exitCode, out: `${r.stdout}\n${r.stderr}` };
}

async function readStatement(dir: string): Promise<ProvenanceStatement> {
  const env = JSON.parse(await readFile(join(dir, 'provenance.intoto.jsonl'), 'utf8')) as DsseEnvelope;
  return JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as ProvenanceStatement;
}

/** Re-sign a changed statement with the trusted provenance key: a signature that holds over a lie. */
async function resign(dir: string, statement: ProvenanceStatement): Promise<void> {
  const key = readEd25519PrivateKey(p.sw.ws.env.BLLVM_PROVENANCE_KEY!);
  await writeFile(join(dir, 'provenance.intoto.jsonl'), `${JSON.stringify(signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), key))}\n`);
}

const binary = () => `bllvm-${tag}-linux-x86_64.tar.gz`;

/** Rewrite SHA256SUMS and sign it again with the release key, the provenance following it: a release whose keys vouch for the rewrite. */
async function rewriteSums(dir: string, rewrite: (sums: string) => string): Promise<void> {
  const sums = rewrite(await readFile(join(dir, 'SHA256SUMS'), 'utf8'));
  await writeFile(join(dir, 'SHA256SUMS'), sums);
  await writeFile(join(dir, 'SHA256SUMS.asc'), await signDetached(Buffer.from(sums), p.sw.ws.env.BLLVM_RELEASE_SIGNING_KEY!, { date: new Date() }));
  const statement = await readStatement(dir);
  statement.subject.find((s) => s.name === 'SHA256SUMS')!.digest.sha256 = (await execa('sha256sum', ['SHA256SUMS'], { cwd: dir })).stdout.split(' ')[0]!;
  await resign(dir, statement);
}

describe('bllvm-release verify', () => {
  it('passes on the published release: signature, provenance and SBOMs all hold', async () => {
    const r = await verify(release, p.keysDir);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/✔ files: \d+ files match SHA256SUMS/);
    expect(r.out).toMatch(/✔ signatures: 1 of 1 required trusted signature/);
    expect(r.out).toMatch(/✔ provenance: \d+ subjects match, signed by a trusted key/);
    expect(r.out).toContain('✔ sources: 6 components and the orchestrator commit match the provenance');
    expect(r.out).toContain(`VERIFIED: ${release}`);
    const statement = await readStatement(release);
    const manifest = JSON.parse(await readFile(join(release, 'release-manifest.json'), 'utf8')) as { orchestratorCommit: string; components: { component: string; commit: string }[] };
    expect(statement.subject.map((s) => s.name)).toEqual(expect.arrayContaining([binary(), 'SHA256SUMS', 'bllvm.cdx.json']));
    const deps = statement.predicate.buildDefinition.resolvedDependencies;
    for (const c of manifest.components) expect(deps.find((d) => d.name === c.component)!.digest.gitCommit).toBe(c.commit);
    expect(deps[0]!.digest.gitCommit).toBe(manifest.orchestratorCommit);
    const sbom = JSON.parse(await readFile(join(release, 'bllvm-node.cdx.json'), 'utf8')) as { bomFormat: string; components: { name: string; purl?: string }[] };
    expect(sbom.bomFormat).toBe('CycloneDX');
    // The node links its upstream components: the SBOM lists them as compiled packages.
    expect(sbom.components.map((c) => c.name)).toEqual(expect.arrayContaining(['bllvm-protocol', 'bllvm-consensus']));
    // ...and the registry packages they pull in, as the lock its build resolved names them (the
    // node commits no lock: leaf ">=0.1, <1" from consensus is 0.2.0, mid's leaf "0.1" is 0.1.3).
    expect(sbom.components.map((c) => c.purl)).toEqual(expect.arrayContaining(['pkg:cargo/mid@0.3.1', 'pkg:cargo/leaf@0.2.0', 'pkg:cargo/leaf@0.1.3']));
    // The lock ships in the archive beside the build record, which names its digest and origin.
    const stem = `bllvm-node-${tag}-linux-x86_64`;
    const archive = join(release, `${stem}.tar.gz`);
    const lock = (await execa('tar', ['-xOzf', archive, `${stem}/Cargo.lock`], { stripFinalNewline: false })).stdout;
    expect(lock).toContain('name = "mid"\nversion = "0.3.1"');
    const record = JSON.parse((await execa('tar', ['-xOzf', archive, `${stem}/build.json`])).stdout) as BuildRecord;
    expect(record.lock).toEqual({ sha256: createHash('sha256').update(lock).digest('hex'), origin: 'generated' });
  });

  it('passes when run as the demo prints it: in a plain shell from the checkout, nothing but node on the PATH', async () => {
    const { line } = cliCommand(['verify', release, '--keys', p.keysDir]);
    const r = await execa('bash', ['-c', line], { cwd: WORKSPACE_ROOT, env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: scratch }, extendEnv: false, reject: false });
    expect(r.exitCode, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain(`VERIFIED: ${release}`);
  });

  it('passes by tag (downloading the assets), and gpg agrees with the signature', async () => {
    const r = await verify(tag, p.keysDir);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`VERIFIED: ${tag} (downloaded)`);
    const home = await mkdtemp(join(tmpdir(), 'bllvm-gpg-'));
    try {
      await execa('gpg', ['--batch', '--import', join(p.keysDir, 'release.asc')], { env: { GNUPGHOME: home } });
      const g = await execa('gpg', ['--batch', '--verify', 'SHA256SUMS.asc', 'SHA256SUMS'], { cwd: release, env: { GNUPGHOME: home }, reject: false });
      expect(g.exitCode, g.stderr).toBe(0);
    } finally {
      await execa('gpgconf', ['--kill', 'all'], { env: { GNUPGHOME: home }, reject: false });
      await rm(home, { recursive: true, force: true });
    }
  });

  it('fails on a modified binary', async () => {
    const { dir, keys } = await copy();
    await writeFile(join(dir, binary()), Buffer.concat([await readFile(join(dir, binary())), Buffer.from('x')]));
    const r = await verify(dir, keys);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`${binary().replaceAll('.', '\\.')}: sha256 [0-9a-f]{64}, but SHA256SUMS says [0-9a-f]{64} \\(the file was modified\\)`));
    expect(r.out).toContain('NOT VERIFIED');
  });

  it('fails on a modified SHA256SUMS (a binary swapped and its sum rewritten)', async () => {
    const { dir, keys } = await copy();
    const forged = Buffer.concat([await readFile(join(dir, binary())), Buffer.from('x')]);
    await writeFile(join(dir, binary()), forged);
    const sum = (await execa('sha256sum', [binary()], { cwd: dir })).stdout.split(' ')[0]!;
    const sums = await readFile(join(dir, 'SHA256SUMS'), 'utf8');
    await writeFile(join(dir, 'SHA256SUMS'), sums.replace(new RegExp(`^[0-9a-f]{64}(  ${binary().replaceAll('.', '\\.')})$`, 'm'), `${sum}$1`));
    const r = await verify(dir, keys);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✔ files/);
    expect(r.out).toMatch(/SHA256SUMS\.asc: BAD signature by [0-9A-F]{40}/);
    expect(r.out).toContain('threshold not met: 0 of 1');
  });

  it('fails on a signature by an unknown key', async () => {
    const { dir, keys } = await copy();
    const stranger = await generateSigningKey('stranger');
    await writeFile(join(dir, 'SHA256SUMS.asc'), await signDetached(await readFile(join(dir, 'SHA256SUMS')), stranger.secretKey, { date: new Date() }));
    const r = await verify(dir, keys);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/SHA256SUMS\.asc: signed by key [0-9A-F]{16}, which is not in the keys folder \(unknown key\)/);
  });

  it('needs --threshold distinct trusted signers: 1 is not 2, a second builder makes it', async () => {
    const { dir, keys } = await copy();
    const short = await verify(dir, keys, '--threshold', '2');
    expect(short.code).toBe(1);
    expect(short.out).toMatch(/threshold not met: 1 of 2 required/);
    const builder = await generateSigningKey('second builder');
    await writeFile(join(dir, 'SHA256SUMS.second.asc'), await signDetached(await readFile(join(dir, 'SHA256SUMS')), builder.secretKey, { date: new Date() }));
    expect((await verify(dir, keys, '--threshold', '2')).code).toBe(1);
    await writeFile(join(keys, 'second.asc'), builder.publicKey);
    const met = await verify(dir, keys, '--threshold', '2');
    expect(met.code, met.out).toBe(0);
    expect(met.out).toMatch(/✔ signatures: 2 of 2 required/);
  });

  it('fails when a provenance subject does not match its file, or the statement was changed', async () => {
    const { dir, keys } = await copy();
    const statement = await readStatement(dir);
    const subject = statement.subject.find((s) => s.name === binary())!;
    subject.digest.sha256 = '0'.repeat(64);
    await resign(dir, statement);
    const r = await verify(dir, keys);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`subject ${binary()}: the provenance says sha256 ${'0'.repeat(64)}, the file is`);

    const envelope = JSON.parse(await readFile(join(release, 'provenance.intoto.jsonl'), 'utf8')) as DsseEnvelope;
    await writeFile(join(dir, 'provenance.intoto.jsonl'), `${JSON.stringify({ ...envelope, payload: Buffer.from(JSON.stringify(statement)).toString('base64') })}\n`);
    const unsigned = await verify(dir, keys);
    expect(unsigned.code).toBe(1);
    expect(unsigned.out).toContain('BAD signature (the statement was modified after it was signed)');
  });

  it('fails when a commit of the manifest is not the one the provenance names', async () => {
    const { dir, keys } = await copy();
    const statement = await readStatement(dir);
    const dep = statement.predicate.buildDefinition.resolvedDependencies.find((d) => d.name === 'bllvm-node')!;
    const real = dep.digest.gitCommit!;
    dep.digest.gitCommit = 'f'.repeat(40);
    await resign(dir, statement);
    const r = await verify(dir, keys);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✔ provenance/);
    expect(r.out).toContain(`bllvm-node: the manifest says ${dep.uri!.replace('git+https://github.com/', '')}@${real.slice(0, 12)}, the provenance ffffffffffff`);
  });

  it('fails when SHA256SUMS lists a file twice, even with the same sha256 and signed by the release key', async () => {
    const { dir, keys } = await copy();
    await rewriteSums(dir, (sums) => `${sums}${sums.split('\n').find((l) => l.endsWith(`  ${binary()}`))}\n`);
    const r = await verify(dir, keys);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain(`    ${binary()}: listed twice in SHA256SUMS`);
    expect(r.out).toContain(`NOT VERIFIED: ${dir} (files failed)`);
  });

  it('fails when the provenance names a subject twice, even signed by the provenance key', async () => {
    const { dir, keys } = await copy();
    const statement = await readStatement(dir);
    statement.subject.push({ ...statement.subject.find((s) => s.name === binary())! });
    await resign(dir, statement);
    const r = await verify(dir, keys);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain(`    subject ${binary()}: listed twice in the provenance`);
    expect(r.out).toContain(`NOT VERIFIED: ${dir} (provenance failed)`);
  });

  it('reads every key of a keys file: the release key after another in one file, and a second builder\'s in it too', async () => {
    const { dir, keys } = await copy();
    const [stranger, builder] = [await generateSigningKey('stranger'), await generateSigningKey('second builder')];
    const releaseKey = await readFile(join(keys, 'release.asc'), 'utf8');
    await writeFile(join(keys, 'release.asc'), `${stranger.publicKey}\n${releaseKey}\n${builder.publicKey}`);
    const one = await verify(dir, keys);
    expect(one.code, one.out).toBe(0);
    await writeFile(join(dir, 'SHA256SUMS.second.asc'), await signDetached(await readFile(join(dir, 'SHA256SUMS')), builder.secretKey, { date: new Date() }));
    const two = await verify(dir, keys, '--threshold', '2');
    expect(two.code, two.out).toBe(0);
    expect(two.out).toMatch(/✔ signatures: 2 of 2 required/);
    // The release key again, as another builder's signature: still one signer.
    await writeFile(join(dir, 'SHA256SUMS.second.asc'), await readFile(join(dir, 'SHA256SUMS.asc')));
    const same = await verify(dir, keys, '--threshold', '2');
    expect(same.code).toBe(1);
    expect(same.out).toMatch(/threshold not met: 1 of 2 required/);
  });

  it('fails on a signature by a trusted key that has expired since, naming the key', async () => {
    const { dir, keys } = await copy();
    const made = new Date(Math.floor((Date.now() - 10 * 86_400_000) / 1000) * 1000);
    const old = await openpgp.generateKey({ type: 'ecc', userIDs: [{ name: 'old builder' }], date: made, keyExpirationTime: 86_400, format: 'object' });
    const fingerprint = old.publicKey.getFingerprint().toUpperCase();
    await writeFile(join(keys, 'old-builder.asc'), old.publicKey.armor());
    await writeFile(join(dir, 'SHA256SUMS.old.asc'), await signDetached(await readFile(join(dir, 'SHA256SUMS')), old.privateKey.armor(), { date: new Date(made.getTime() + 3_600_000) }));
    const r = await verify(dir, keys, '--threshold', '2');
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/threshold not met: 1 of 2 required/);
    expect(r.out).toContain(`SHA256SUMS.old.asc: signed by ${fingerprint}, whose key expired ${new Date(made.getTime() + 86_400_000).toISOString()} (an expired key is not trusted)`);
  });

  it('refuses to run without keys, naming what to pass', async () => {
    const r = await p.sw.ws.cli('verify', release);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--keys <dir> is required');
  });
});
