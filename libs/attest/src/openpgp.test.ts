import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
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
