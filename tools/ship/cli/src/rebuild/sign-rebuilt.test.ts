import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDetached, generateSigningKey, readPublicKeys } from '@bllvm/attest';
import { signRebuilt } from './sign-rebuilt';

let dir: string;
let keyFile: string;
let publicKey: string;
const SUMS = Buffer.from('aa  a.tar.gz\n');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bllvm-sign-rebuilt-'));
  const key = await generateSigningKey('alice (rebuilder)');
  keyFile = join(dir, 'alice.key');
  publicKey = key.publicKey;
  await writeFile(keyFile, key.secretKey);
  await writeFile(join(dir, 'SHA256SUMS'), SUMS);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const sign = (published: Buffer | undefined, key = keyFile) =>
  signRebuilt({ key: { builder: 'alice', keyFile: key }, staged: dir, workDir: dir, tag: 'nightly-20261130-abcdef1', createdAt: '2026-11-30T02:00:00Z', published });

describe("a rebuilder's signature", () => {
  it('signs the rebuilt SHA256SUMS, says where it goes, and that it counts when the bytes are the published ones', async () => {
    const s = await sign(SUMS);
    expect(s).toMatchObject({ builder: 'alice', attestation: 'attestations/nightly-20261130-abcdef1/SHA256SUMS.alice.asc', matchesPublished: true });
    const checks = await checkDetached(SUMS, await readFile(s.file, 'utf8'), await readPublicKeys(publicKey, 'alice.asc'));
    expect(checks.map((c) => c.status)).toEqual(['good']);
    // Dated by the release: signing again gives the same bytes.
    const again = await readFile(s.file, 'utf8');
    await sign(SUMS);
    expect(await readFile(s.file, 'utf8')).toBe(again);
  });

  it('does not count for a release whose SHA256SUMS differs', async () => {
    expect((await sign(Buffer.from('bb  a.tar.gz\n'))).matchesPublished).toBe(false);
  });

  it('names the key file it cannot read', async () => {
    await expect(sign(SUMS, join(dir, 'missing.key'))).rejects.toThrow(`--builder-key ${join(dir, 'missing.key')}: no such file`);
    await writeFile(join(dir, 'bad.key'), 'not a key');
    await expect(sign(SUMS, join(dir, 'bad.key'))).rejects.toThrow(/--builder-key .*bad\.key: cannot read the builder key/);
  });
});
