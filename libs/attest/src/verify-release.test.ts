import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IN_TOTO_PAYLOAD_TYPE, generateProvenanceKey, readEd25519PrivateKey, signEnvelope } from './dsse';
import { builderSignatureName, isAttestationFile } from './names';
import { generateSigningKey, signDetached } from './openpgp';
import { buildProvenance } from './provenance';
import { formatVerdict, verifyReleaseFolder } from './verify-release';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const COMMIT = 'a'.repeat(40);
const ORCH = 'b'.repeat(40);
let root: string;
let keys: string;
let signing: Awaited<ReturnType<typeof generateSigningKey>>;
let provenance: ReturnType<typeof generateProvenanceKey>;

/** A release folder as the publish step makes it, from scratch. */
async function release(opts: { extra?: Record<string, string>; sign?: boolean } = {}): Promise<string> {
  const dir = await mkdtemp(join(root, 'release-'));
  const manifest = JSON.stringify({ tag: 'v1.0.0', orchestratorCommit: ORCH, components: [{ component: 'node', repository: 'Org/node', commit: COMMIT }] });
  const files: Record<string, string> = { 'node-v1.0.0-linux-x86_64.tar.gz': 'binary', 'release-manifest.json': manifest };
  const sums = Object.entries(files).map(([n, c]) => `${sha(c)}  ${n}\n`).sort().join('');
  for (const [n, c] of Object.entries({ ...files, SHA256SUMS: sums, 'node.cdx.json': '{}' })) await writeFile(join(dir, n), c);
  if (opts.sign !== false) await writeFile(join(dir, 'SHA256SUMS.asc'), await signDetached(Buffer.from(sums), signing.secretKey, { date: new Date() }));
  const statement = buildProvenance({
    tag: 'v1.0.0',
    orchestratorRepository: 'Org/bllvm',
    orchestratorCommit: ORCH,
    files: [...Object.entries(files).map(([name, c]) => ({ name, sha256: sha(c) })), { name: 'SHA256SUMS', sha256: sha(sums) }, { name: 'node.cdx.json', sha256: sha('{}') }],
    components: [{ component: 'node', repository: 'Org/node', commit: COMMIT, toolchain: 'rustc 1.80.0\nrelease: 1.80.0\ncommit-hash: ' + 'c'.repeat(40) }],
  });
  const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), readEd25519PrivateKey(provenance.privateKey));
  await writeFile(join(dir, 'provenance.intoto.jsonl'), `${JSON.stringify(envelope)}\n`);
  for (const [n, c] of Object.entries(opts.extra ?? {})) await writeFile(join(dir, n), c);
  return dir;
}

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
});

describe('names', () => {
  it('tells attestation files from release files', () => {
    expect(['SHA256SUMS.asc', 'SHA256SUMS.alice.asc', 'provenance.intoto.jsonl', 'bllvm.cdx.json'].every(isAttestationFile)).toBe(true);
    expect(['SHA256SUMS', 'release-manifest.json', 'bllvm-v1.0.0-linux-x86_64.tar.gz', 'SHA256SUMS.a/b.asc'].some(isAttestationFile)).toBe(false);
    expect(builderSignatureName('alice')).toBe('SHA256SUMS.alice.asc');
    expect(() => builderSignatureName('../x')).toThrow(/lowercase/);
  });
});
