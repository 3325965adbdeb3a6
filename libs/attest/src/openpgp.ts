import * as openpgp from 'openpgp';
import { type SignatureFacts, judgeSignature } from './signer-standing';

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

/**
 * The armored blocks of a text, in order. A keys file is often several exports one after the
 * other (`cat alice.asc bob.asc`), and openpgp.js reads only the first block of a text. Pure.
 */
export function armoredBlocks(text: string): string[] {
  return text.match(/^-----BEGIN PGP ([A-Z0-9 ,/]+)-----[ \t]*\r?$[\s\S]*?^-----END PGP \1-----[ \t]*\r?$/gm) ?? [];
}

/**
 * Every public key of a file: each key of each armored block. A block that is not a key refuses
 * the whole file, so a damaged keys file is named rather than trusted in part.
 */
export async function readPublicKeys(armored: string, source: string): Promise<PublicKeyInfo[]> {
  const blocks = armoredBlocks(armored);
  const keys: openpgp.Key[] = [];
  // One block or none: openpgp.js reads the text whole and says what is wrong with it.
  if (blocks.length <= 1) keys.push(...(await openpgp.readKeys({ armoredKeys: armored })));
  else {
    for (const [i, block] of blocks.entries()) {
      try {
        keys.push(...(await openpgp.readKeys({ armoredKeys: block })));
      } catch (e) {
        throw new Error(`block ${i + 1} of ${blocks.length}: ${(e as Error).message.slice(0, 120)}`);
      }
    }
  }
  return keys.map((k) => ({ source, fingerprint: k.getFingerprint().toUpperCase(), userIds: k.getUserIDs(), key: k.toPublic() }));
}

export type SignatureCheck =
  | { status: 'good'; fingerprint: string; userIds: string[] }
  | { status: 'bad'; fingerprint: string; reason: string }
  /** The key expired (`expired`), whether before or after it made the signature (`signed`). */
  | { status: 'expired-key'; fingerprint: string; expired: Date; signed?: Date }
  | { status: 'revoked-key'; fingerprint: string }
  /** Not valid for signing today for another reason openpgp.js gives (a revoked signing subkey, say). */
  | { status: 'invalid-key'; fingerprint: string; reason: string }
  | { status: 'unknown-key'; keyIds: string[] }
  | { status: 'unreadable'; reason: string };

/** Check one armored detached signature over `data` against the known keys, and their standing as of `now`. */
export async function checkDetached(data: Uint8Array, armoredSignature: string, keys: readonly PublicKeyInfo[], now = new Date()): Promise<SignatureCheck[]> {
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
  const result = await openpgp.verify({ message, signature, verificationKeys: known.map((k) => k.key), expectSigned: false, date: now });
  const out: SignatureCheck[] = [];
  for (const s of result.signatures) {
    const owner = known.find((k) => k.key.getKeys().some((sub) => sub.getKeyID().equals(s.keyID)));
    if (!owner) {
      out.push({ status: 'unknown-key', keyIds: [s.keyID.toHex().toUpperCase()] });
      continue;
    }
    out.push(judgeSignature(await signatureFacts(owner, s, now)));
  }
  return out;
}

/** What openpgp.js says about a signature and its key, for `judgeSignature`. */
async function signatureFacts(owner: PublicKeyInfo, s: openpgp.VerifyMessageResult['signatures'][number], now: Date): Promise<SignatureFacts> {
  const why = (e: unknown) => (e as Error).message.slice(0, 200);
  // Settled first: a rejected `verified` left unawaited would be an unhandled rejection.
  const verifyError = await s.verified.then(() => undefined, why);
  const { key } = owner;
  const signer = key.getKeys(s.keyID)[0];
  const expiries = [await key.getExpirationTime()];
  if (signer && signer !== key) expiries.push(await (signer as openpgp.Subkey).getExpirationTime(now));
  return {
    fingerprint: owner.fingerprint,
    userIds: owner.userIds,
    signed: (await s.signature.catch(() => undefined))?.packets[0]?.created ?? undefined,
    verifyError,
    unusableNow: await key.getSigningKey(s.keyID, now).then(() => undefined, why),
    revoked: await key.isRevoked(undefined, undefined, now),
    expiries,
    now,
  };
}

/** A fresh signing key pair (tests and the sandbox demo): armored secret and public keys. */
export async function generateSigningKey(name: string): Promise<{ secretKey: string; publicKey: string; fingerprint: string }> {
  const { privateKey, publicKey } = await openpgp.generateKey({ type: 'ecc', userIDs: [{ name }], format: 'armored' });
  const [info] = await readPublicKeys(publicKey, name);
  return { secretKey: privateKey, publicKey, fingerprint: info!.fingerprint };
}
