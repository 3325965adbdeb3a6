import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkDetached, generateSigningKey, readPublicKeys, signDetached } from './openpgp';

const data = new TextEncoder().encode(`${'a'.repeat(64)}  bllvm-nightly.tar.gz\n`);
const date = new Date('2026-01-02T03:04:05Z');
let alice: Awaited<ReturnType<typeof generateSigningKey>>;
let mallory: Awaited<ReturnType<typeof generateSigningKey>>;

beforeAll(async () => {
  [alice, mallory] = await Promise.all([generateSigningKey('alice'), generateSigningKey('mallory')]);
});

describe('detached OpenPGP signatures', () => {
  it('are checked good against the signer, bad against modified data, unknown for another key', async () => {
    const sig = await signDetached(data, alice.secretKey, { date });
    expect(sig).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
    const keys = await readPublicKeys(alice.publicKey, 'alice.asc');
    expect(await checkDetached(data, sig, keys)).toEqual([{ status: 'good', fingerprint: alice.fingerprint, userIds: ['alice'] }]);
    const modified = new Uint8Array(data);
    modified[0] = 0x62;
    expect((await checkDetached(modified, sig, keys))[0]).toMatchObject({ status: 'bad', fingerprint: alice.fingerprint });
    const other = await readPublicKeys(mallory.publicKey, 'mallory.asc');
    expect((await checkDetached(data, sig, other))[0]).toMatchObject({ status: 'unknown-key' });
    expect((await checkDetached(data, 'not a signature', keys))[0]).toMatchObject({ status: 'unreadable' });
  });

  it('are the same bytes for the same key, data and date (a rerun uploads nothing new)', async () => {
    expect(await signDetached(data, alice.secretKey, { date })).toBe(await signDetached(data, alice.secretKey, { date }));
  });

  it('are what gpg verifies (isolated GNUPGHOME)', async () => {
    const home = await mkdtemp(join(tmpdir(), 'bllvm-gpg-'));
    try {
      await writeFile(join(home, 'SHA256SUMS'), data);
      await writeFile(join(home, 'SHA256SUMS.asc'), await signDetached(data, alice.secretKey, { date }));
      await writeFile(join(home, 'alice.asc'), alice.publicKey);
      const env = { GNUPGHOME: home };
      await execa('gpg', ['--batch', '--import', join(home, 'alice.asc')], { env });
      const ok = await execa('gpg', ['--batch', '--status-fd', '1', '--verify', 'SHA256SUMS.asc', 'SHA256SUMS'], { cwd: home, env, reject: false });
      expect(ok.exitCode, ok.stderr).toBe(0);
      expect(ok.stdout).toContain(`VALIDSIG ${alice.fingerprint}`);
      await writeFile(join(home, 'SHA256SUMS'), `${data}x`);
      const bad = await execa('gpg', ['--batch', '--verify', 'SHA256SUMS.asc', 'SHA256SUMS'], { cwd: home, env, reject: false });
      expect(bad.exitCode).not.toBe(0);
    } finally {
      await execa('gpgconf', ['--kill', 'all'], { env: { GNUPGHOME: home }, reject: false });
      await rm(home, { recursive: true, force: true });
    }
  });

  it('refuse a key that is not one, without echoing it', async () => {
    await expect(signDetached(data, 'SECRET-MATERIAL', { date })).rejects.toThrow(/cannot read the release signing key/);
    await expect(signDetached(data, 'SECRET-MATERIAL', { date })).rejects.not.toThrow(/SECRET-MATERIAL/);
  });
});

describe('the keys of a file', () => {
  it('are all read: two armored blocks one after the other, and one block holding two keys', async () => {
    const concatenated = await readPublicKeys(`${mallory.publicKey}\n${alice.publicKey}`, 'both.asc');
    expect(concatenated.map((k) => [k.source, k.fingerprint])).toEqual([['both.asc', mallory.fingerprint], ['both.asc', alice.fingerprint]]);
    const sig = await signDetached(data, alice.secretKey, { date });
    expect(await checkDetached(data, sig, concatenated)).toEqual([{ status: 'good', fingerprint: alice.fingerprint, userIds: ['alice'] }]);
    const packets = [...(await openpgp.readKeys({ armoredKeys: alice.publicKey })), ...(await openpgp.readKeys({ armoredKeys: mallory.publicKey }))].map((k) => k.write());
    const oneBlock = openpgp.armor(openpgp.enums.armor.publicKey, new Uint8Array(Buffer.concat(packets)));
    expect((await readPublicKeys(oneBlock, 'ring.asc')).map((k) => k.fingerprint)).toEqual([alice.fingerprint, mallory.fingerprint]);
  });

  it('are refused whole when one block is not a key, naming the block', async () => {
    const junk = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbm90IGEga2V5\n-----END PGP PUBLIC KEY BLOCK-----\n';
    await expect(readPublicKeys(`${alice.publicKey}\n${junk}`, 'both.asc')).rejects.toThrow(/^block 2 of 2: /);
  });
});

// Keys made in the past with openpgp.js itself: OpenPGP dates are whole seconds.
const DAY = 86_400_000;
const created = new Date(Math.floor((Date.now() - 10 * DAY) / 1000) * 1000);
const later = (ms: number) => new Date(created.getTime() + ms);

describe('a signature by a key that is no longer valid', () => {
  it('is refused when the key has expired since it signed, naming the key and when it expired', async () => {
    const k = await openpgp.generateKey({ type: 'ecc', userIDs: [{ name: 'short-lived' }], date: created, keyExpirationTime: DAY / 1000, format: 'armored' });
    const keys = await readPublicKeys(k.publicKey, 'short-lived.asc');
    const sig = await signDetached(data, k.privateKey, { date: later(3_600_000) });
    expect(await checkDetached(data, sig, keys)).toEqual([{ status: 'expired-key', fingerprint: keys[0]!.fingerprint, expired: later(DAY), signed: later(3_600_000) }]);
    // The same signature, checked as of a day when the key was valid, is good: it is the key's age that is refused.
    expect(await checkDetached(data, sig, keys, later(2 * 3_600_000))).toEqual([{ status: 'good', fingerprint: keys[0]!.fingerprint, userIds: ['short-lived'] }]);
  });

  it('is refused when the key had already expired when it signed', async () => {
    const k = await openpgp.generateKey({ type: 'ecc', userIDs: [{ name: 'lapsed' }], date: created, format: 'object' });
    const sig = await signDetached(data, k.privateKey.armor(), { date: later(2 * DAY) });
    // The same key material, its self-signature now saying it lived one day: it expired before it signed.
    const lapsed = await openpgp.reformatKey({ privateKey: k.privateKey, userIDs: [{ name: 'lapsed' }], keyExpirationTime: DAY / 1000, date: created, format: 'armored' });
    const keys = await readPublicKeys(lapsed.publicKey, 'lapsed.asc');
    expect(keys[0]!.fingerprint).toBe(k.publicKey.getFingerprint().toUpperCase());
    expect(await checkDetached(data, sig, keys)).toEqual([{ status: 'expired-key', fingerprint: keys[0]!.fingerprint, expired: later(DAY), signed: later(2 * DAY) }]);
  });

  it('is refused when the key was revoked after it signed, even as merely retired', async () => {
    const k = await openpgp.generateKey({ type: 'ecc', userIDs: [{ name: 'retired' }], date: created, format: 'object' });
    const sig = await signDetached(data, k.privateKey.armor(), { date: later(DAY) });
    const revoked = await openpgp.revokeKey({ key: k.privateKey, reasonForRevocation: { flag: openpgp.enums.reasonForRevocation.keyRetired }, date: later(2 * DAY), format: 'armored' });
    const keys = await readPublicKeys(revoked.publicKey, 'retired.asc');
    expect(await checkDetached(data, sig, keys)).toEqual([{ status: 'revoked-key', fingerprint: keys[0]!.fingerprint }]);
  });
});
