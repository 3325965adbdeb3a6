import * as openpgp from 'openpgp';

/**
 * OpenPGP through openpgp.js rather than a gpg process: no keyring or agent state to isolate, the
 * secret key never touches the disk, and the same code verifies on any machine. The signatures are
 * standard detached, ASCII-armored ones: `gpg --verify SHA256SUMS.asc SHA256SUMS` checks them.
 */
export async function signDetached(data: Uint8Array, armoredSecretKey: string, opts: { passphrase?: string; date: Date }): Promise<string> {
  const { passphrase } = opts;
  let key: openpgp.PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armoredSecretKey });
    if (!key.isDecrypted()) {
      if (!passphrase) throw new Error('the key is protected by a passphrase and none is configured');
      key = await openpgp.decryptKey({ privateKey: key, passphrase });
    }
  } catch (e) {
    // openpgp's messages never include key material; still, say only what is wrong.
    throw new Error(`cannot read the release signing key: ${(e as Error).message.slice(0, 200)}`);
  }
  const message = await openpgp.createMessage({ binary: data });
  // Same key, same bytes, same date: the same signature. A rerun after a failed upload then finds
  // the very signature it uploaded before, instead of a "different" asset it may not replace.
  // A key made after the date cannot sign at it, so the later of the two is used.
  const date = new Date(Math.max(opts.date.getTime(), key.getCreationTime().getTime()));
  const config = { nonDeterministicSignaturesViaNotation: false };
  return (await openpgp.sign({ message, signingKeys: key, detached: true, format: 'armored', date, config })) as string;
}

export interface PublicKeyInfo {
  /** Where the key was read from, for messages. */
  source: string;
  fingerprint: string;
  userIds: string[];
  key: openpgp.PublicKey;
}

/** Every public key of an armored block (a file may hold several). */
export async function readPublicKeys(armored: string, source: string): Promise<PublicKeyInfo[]> {
  const keys = await openpgp.readKeys({ armoredKeys: armored });
  return keys.map((k) => ({ source, fingerprint: k.getFingerprint().toUpperCase(), userIds: k.getUserIDs(), key: k.toPublic() }));
}

export type SignatureCheck =
  | { status: 'good'; fingerprint: string; userIds: string[] }
  | { status: 'bad'; fingerprint: string; reason: string }
  | { status: 'unknown-key'; keyIds: string[] }
  | { status: 'unreadable'; reason: string };

/** Check one armored detached signature over `data` against the known keys. */
export async function checkDetached(data: Uint8Array, armoredSignature: string, keys: readonly PublicKeyInfo[]): Promise<SignatureCheck[]> {
  let signature: openpgp.Signature;
  try {
    signature = await openpgp.readSignature({ armoredSignature });
  } catch (e) {
    return [{ status: 'unreadable', reason: (e as Error).message.slice(0, 200) }];
  }
  const issuers = signature.getSigningKeyIDs().map((id) => id.toHex().toUpperCase());
  const known = keys.filter((k) => k.key.getKeys().some((sub) => issuers.includes(sub.getKeyID().toHex().toUpperCase())));
  if (known.length === 0) return [{ status: 'unknown-key', keyIds: issuers }];
  const message = await openpgp.createMessage({ binary: data });
  const result = await openpgp.verify({ message, signature, verificationKeys: known.map((k) => k.key), expectSigned: false });
  const out: SignatureCheck[] = [];
  for (const s of result.signatures) {
    const owner = known.find((k) => k.key.getKeys().some((sub) => sub.getKeyID().equals(s.keyID)));
    if (!owner) {
      out.push({ status: 'unknown-key', keyIds: [s.keyID.toHex().toUpperCase()] });
      continue;
    }
    try {
      await s.verified;
      out.push({ status: 'good', fingerprint: owner.fingerprint, userIds: owner.userIds });
    } catch (e) {
      out.push({ status: 'bad', fingerprint: owner.fingerprint, reason: (e as Error).message.slice(0, 200) });
    }
  }
  return out;
}

/** A fresh signing key pair (tests and the sandbox demo): armored secret and public keys. */
export async function generateSigningKey(name: string): Promise<{ secretKey: string; publicKey: string; fingerprint: string }> {
  const { privateKey, publicKey } = await openpgp.generateKey({ type: 'ecc', userIDs: [{ name }], format: 'armored' });
  const [info] = await readPublicKeys(publicKey, name);
  return { secretKey: privateKey, publicKey, fingerprint: info!.fingerprint };
}
