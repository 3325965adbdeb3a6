import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IN_TOTO_PAYLOAD_TYPE, generateProvenanceKey, readEd25519PrivateKey, signEnvelope } from './dsse';
import { builderSignatureName, isAttestationFile } from './names';
import { generateSigningKey, signDetached } from './openpgp';
import { buildProvenance } from './provenance';
import { type Verdict, formatVerdict, verifyReleaseFolder } from './verify-release';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const COMMIT = 'a'.repeat(40);
const ORCH = 'b'.repeat(40);
let root: string;
let keys: string;
let signing: Awaited<ReturnType<typeof generateSigningKey>>;
let provenance: ReturnType<typeof generateProvenanceKey>;

interface ReleaseOptions {
  extra?: Record<string, string>;
  sign?: boolean;
  /** SHA256SUMS as it is written and signed: to list a file twice. */
  sums?: (sums: string) => string;
  /** Who signs SHA256SUMS: signature file → secret key and date; the release key alone by default. */
  signers?: Record<string, { secretKey: string; date?: Date }>;
  /** The provenance's subjects as they are signed: to name a file twice. */
  subjects?: (files: { name: string; sha256: string }[]) => { name: string; sha256: string }[];
  /** The crate the release publishes for node (listed in the manifest and, unless `crateSubject` is false, the provenance). */
  crate?: { name: string; version: string; sha256: string; commit?: string };
  crateSubject?: boolean;
}

/** A release folder as the publish step makes it, from scratch. */
async function release(opts: ReleaseOptions = {}): Promise<string> {
  const dir = await mkdtemp(join(root, 'release-'));
  const crate = opts.crate && { name: opts.crate.name, version: opts.crate.version, file: `${opts.crate.name}-${opts.crate.version}.crate`, size: 1, sha256: opts.crate.sha256, commit: opts.crate.commit ?? COMMIT };
  const manifest = JSON.stringify({ tag: 'v1.0.0', orchestratorCommit: ORCH, components: [{ component: 'node', repository: 'Org/node', commit: COMMIT, ...(crate ? { crate } : {}) }] });
  const files: Record<string, string> = { 'node-v1.0.0-linux-x86_64.tar.gz': 'binary', 'release-manifest.json': manifest };
  const sums = (opts.sums ?? ((x) => x))(Object.entries(files).map(([n, c]) => `${sha(c)}  ${n}\n`).sort().join(''));
  for (const [n, c] of Object.entries({ ...files, SHA256SUMS: sums, 'node.cdx.json': '{}' })) await writeFile(join(dir, n), c);
  const signers = opts.sign === false ? {} : (opts.signers ?? { 'SHA256SUMS.asc': { secretKey: signing.secretKey } });
  for (const [file, s] of Object.entries(signers)) await writeFile(join(dir, file), await signDetached(Buffer.from(sums), s.secretKey, { date: s.date ?? new Date() }));
  const subjects = [...Object.entries(files).map(([name, c]) => ({ name, sha256: sha(c) })), { name: 'SHA256SUMS', sha256: sha(sums) }, { name: 'node.cdx.json', sha256: sha('{}') }];
  const statement = buildProvenance({
    tag: 'v1.0.0',
    orchestratorRepository: 'Org/bllvm',
    orchestratorCommit: ORCH,
    files: (opts.subjects ?? ((x) => x))(subjects),
    components: [{ component: 'node', repository: 'Org/node', commit: COMMIT, toolchain: 'rustc 1.80.0\nrelease: 1.80.0\ncommit-hash: ' + 'c'.repeat(40) }],
    ...(crate && opts.crateSubject !== false ? { crates: [{ file: crate.file, sha256: crate.sha256 }] } : {}),
  });
  const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), readEd25519PrivateKey(provenance.privateKey));
  await writeFile(join(dir, 'provenance.intoto.jsonl'), `${JSON.stringify(envelope)}\n`);
  for (const [n, c] of Object.entries(opts.extra ?? {})) await writeFile(join(dir, n), c);
  return dir;
}

/** A keys folder holding these files (name → content) beside the trusted provenance key. */
async function keysFolder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(root, 'keys-'));
  await writeFile(join(dir, 'provenance.pem'), provenance.publicKey);
  for (const [n, c] of Object.entries(files)) await writeFile(join(dir, n), c);
  return dir;
}

const BINARY = 'node-v1.0.0-linux-x86_64.tar.gz';
const detailsOf = (v: Verdict, check: string) => v.checks.find((c) => c.name === check)!.details;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'bllvm-attest-'));
  keys = join(root, 'keys');
  await mkdir(keys);
  [signing, provenance] = [await generateSigningKey('release'), generateProvenanceKey()];
  await writeFile(join(keys, 'release.asc'), signing.publicKey);
  await writeFile(join(keys, 'provenance.pem'), provenance.publicKey);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('verifyReleaseFolder', () => {
  it('holds for a complete, signed release, the toolchain and every source named', async () => {
    const v = await verifyReleaseFolder(await release(), { keysDir: keys, threshold: 1 });
    expect(v.checks.filter((c) => !c.ok)).toEqual([]);
    expect(formatVerdict(v, 'r').at(-1)).toBe('VERIFIED: r');
  });

  it('names a file beside the release that SHA256SUMS does not list, and an unsigned release', async () => {
    const v = await verifyReleaseFolder(await release({ extra: { 'install.sh': 'curl | sh' }, sign: false }), { keysDir: keys, threshold: 1 });
    expect(v.ok).toBe(false);
    expect(v.checks.find((c) => c.name === 'files')!.details).toEqual(['install.sh: not listed in SHA256SUMS (not part of the release)']);
    expect(v.checks.find((c) => c.name === 'signatures')!.details).toEqual(['threshold not met: 0 of 1 required trusted signature(s)', 'no signature (SHA256SUMS.asc) in the folder']);
    expect(formatVerdict(v, 'r').at(-1)).toBe('NOT VERIFIED: r (files, signatures failed)');
  });

  it('names a key file it cannot read, and refuses a threshold below 1', async () => {
    const bad = join(root, 'bad-keys');
    await mkdir(bad);
    await writeFile(join(bad, 'junk.asc'), 'not a key');
    const v = await verifyReleaseFolder(await release(), { keysDir: bad, threshold: 1 });
    expect(v.checks.find((c) => c.name === 'signatures')!.details).toContainEqual(expect.stringMatching(/^junk\.asc: not a public key/));
    expect(v.checks.find((c) => c.name === 'provenance')!.ok).toBe(false);
    await expect(verifyReleaseFolder(root, { keysDir: keys, threshold: 0 })).rejects.toThrow(/at least 1/);
  });

  it('refuses a SHA256SUMS that lists a file twice, even with the same digest, naming the file', async () => {
    const v = await verifyReleaseFolder(await release({ sums: (s) => `${s}${s.split('\n').find((l) => l.endsWith(BINARY))}\n` }), { keysDir: keys, threshold: 1 });
    expect(detailsOf(v, 'files')).toEqual([`${BINARY}: listed twice in SHA256SUMS`]);
    expect(v.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['files']);
    expect(formatVerdict(v, 'r')).toContain(`    ${BINARY}: listed twice in SHA256SUMS`);
  });

  it('refuses a provenance that names a subject twice, naming it', async () => {
    const v = await verifyReleaseFolder(await release({ subjects: (s) => [...s, s.find((x) => x.name === BINARY)!] }), { keysDir: keys, threshold: 1 });
    expect(detailsOf(v, 'provenance')).toEqual([`subject ${BINARY}: listed twice in the provenance`]);
    expect(formatVerdict(v, 'r').at(-1)).toBe('NOT VERIFIED: r (provenance failed)');
  });

  it('reads every key of a keys file, and counts distinct keys toward the threshold', async () => {
    const [a, b] = [await generateSigningKey('builder a'), await generateSigningKey('builder b')];
    const ring = await keysFolder({ 'builders.asc': `${a.publicKey}\n${b.publicKey}` });
    const bySecond = await verifyReleaseFolder(await release({ signers: { 'SHA256SUMS.asc': b } }), { keysDir: ring, threshold: 1 });
    expect(detailsOf(bySecond, 'signatures')).toEqual([`1 of 1 required trusted signature(s): builder b ${b.fingerprint.slice(-16)}`]);
    expect(bySecond.ok).toBe(true);
    const both = await release({ signers: { 'SHA256SUMS.asc': a, 'SHA256SUMS.b.asc': b } });
    expect((await verifyReleaseFolder(both, { keysDir: ring, threshold: 2 })).ok).toBe(true);
    // One key signing twice, or one key in two files, is one signer.
    const twice = await release({ signers: { 'SHA256SUMS.asc': b, 'SHA256SUMS.b.asc': b } });
    const copies = await keysFolder({ 'builders.asc': `${a.publicKey}\n${b.publicKey}`, 'b.asc': b.publicKey });
    expect(detailsOf(await verifyReleaseFolder(twice, { keysDir: copies, threshold: 2 }), 'signatures')[0]).toBe(`threshold not met: 1 of 2 required trusted signature(s): builder b ${b.fingerprint.slice(-16)}`);
  });

  it('refuses a signature by a key that has expired, or that a copy of it in the keys folder revokes, naming the key', async () => {
    const made = new Date(Math.floor((Date.now() - 10 * 86_400_000) / 1000) * 1000);
    const k = await openpgp.generateKey({ type: 'ecc', userIDs: [{ name: 'old builder' }], date: made, keyExpirationTime: 86_400, format: 'object' });
    const fp = k.publicKey.getFingerprint().toUpperCase();
    const dir = await release({ signers: { 'SHA256SUMS.asc': { secretKey: k.privateKey.armor(), date: new Date(made.getTime() + 60_000) } } });
    const v = await verifyReleaseFolder(dir, { keysDir: await keysFolder({ 'old.asc': k.publicKey.armor() }), threshold: 1 });
    const expired = new Date(made.getTime() + 86_400_000).toISOString();
    expect(detailsOf(v, 'signatures')).toEqual(['threshold not met: 0 of 1 required trusted signature(s)', `SHA256SUMS.asc: signed by ${fp}, whose key expired ${expired} (an expired key is not trusted)`]);

    // The operator keeps the release key as first obtained, and adds its revocation as another file.
    const revoked = await openpgp.revokeKey({ key: await openpgp.readPrivateKey({ armoredKey: signing.secretKey }), format: 'armored' });
    const w = await verifyReleaseFolder(await release(), { keysDir: await keysFolder({ 'release.asc': signing.publicKey, 'revocation.asc': revoked.publicKey }), threshold: 1 });
    expect(detailsOf(w, 'signatures')).toEqual(['threshold not met: 0 of 1 required trusted signature(s)', `SHA256SUMS.asc: signed by ${signing.fingerprint}, whose key is revoked (a revoked key is not trusted)`]);
  });
});

describe('the crates a release publishes', () => {
  const CRATE = 'crate bytes as the registry serves them';

  it('are subjects of the provenance and checked against a downloaded .crate; a release without crates has no crates check', async () => {
    const dir = await release({ crate: { name: 'blvm-node', version: '0.3.0', sha256: sha(CRATE) } });
    const downloads = await mkdtemp(join(root, 'dl-'));
    await writeFile(join(downloads, 'blvm-node-0.3.0.crate'), CRATE);
    const v = await verifyReleaseFolder(dir, { keysDir: keys, threshold: 1, crates: [join(downloads, 'blvm-node-0.3.0.crate')] });
    expect(v.checks.filter((c) => !c.ok)).toEqual([]);
    expect(detailsOf(v, 'crates')).toEqual(["1 crate(s) in the manifest, each of its component's commit; 1 .crate file(s) match it"]);
    expect((await verifyReleaseFolder(await release(), { keysDir: keys, threshold: 1 })).checks.map((c) => c.name)).toEqual(['files', 'signatures', 'provenance', 'sources']);
  });

  it('refuse a .crate with other bytes, or one the release does not publish, naming both checksums', async () => {
    const dir = await release({ crate: { name: 'blvm-node', version: '0.3.0', sha256: sha(CRATE) } });
    const downloads = await mkdtemp(join(root, 'dl-'));
    await writeFile(join(downloads, 'blvm-node-0.3.0.crate'), 'other bytes');
    await writeFile(join(downloads, 'blvm-node-0.2.9.crate'), CRATE);
    const v = await verifyReleaseFolder(dir, { keysDir: keys, threshold: 1, crates: [join(downloads, 'blvm-node-0.3.0.crate'), join(downloads, 'blvm-node-0.2.9.crate')] });
    expect(v.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['crates']);
    expect(detailsOf(v, 'crates')).toEqual([
      `blvm-node-0.3.0.crate: sha256 ${sha('other bytes')}, but the release manifest says ${sha(CRATE)} (not the bytes this release published)`,
      'blvm-node-0.2.9.crate: not a crate of this release (it publishes blvm-node-0.3.0.crate)',
    ]);
    expect(formatVerdict(v, 'r').at(-1)).toBe('NOT VERIFIED: r (crates failed)');
  });

  it('refuse a crate the provenance does not name, and one packaged from another commit than its component', async () => {
    const unnamed = await verifyReleaseFolder(await release({ crate: { name: 'blvm-node', version: '0.3.0', sha256: sha(CRATE) }, crateSubject: false }), { keysDir: keys, threshold: 1 });
    expect(detailsOf(unnamed, 'provenance')).toEqual(['blvm-node-0.3.0.crate: not a subject of the provenance']);
    const other = 'd'.repeat(40);
    const moved = await verifyReleaseFolder(await release({ crate: { name: 'blvm-node', version: '0.3.0', sha256: sha(CRATE), commit: other } }), { keysDir: keys, threshold: 1 });
    expect(detailsOf(moved, 'crates')).toEqual([`blvm-node-0.3.0.crate: packaged from ${other.slice(0, 12)}, but the manifest ships node at ${COMMIT.slice(0, 12)}`]);
  });
});

describe('names', () => {
  it('tells attestation files from release files', () => {
    expect(['SHA256SUMS.asc', 'SHA256SUMS.alice.asc', 'provenance.intoto.jsonl', 'bllvm.cdx.json'].every(isAttestationFile)).toBe(true);
    expect(['SHA256SUMS', 'release-manifest.json', 'bllvm-v1.0.0-linux-x86_64.tar.gz', 'SHA256SUMS.a/b.asc'].some(isAttestationFile)).toBe(false);
    expect(builderSignatureName('alice')).toBe('SHA256SUMS.alice.asc');
    expect(() => builderSignatureName('../x')).toThrow(/lowercase/);
  });
});
