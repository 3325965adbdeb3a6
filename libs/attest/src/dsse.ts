import { type KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';

/** A DSSE envelope (https://github.com/secure-systems-lab/dsse), the in-toto attestation wrapper. */
export interface DsseEnvelope {
  payloadType: string;
  /** base64 of the payload bytes. */
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** DSSE's pre-authentication encoding: what is actually signed, so the type cannot be swapped. Pure. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

/** The key id: sha256 of the public key's DER (SPKI), so anyone holding the public key derives it. */
export function keyIdOf(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex');
}

export function readEd25519PrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new Error('the provenance key is not a PEM private key (PKCS#8)');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the provenance key must be ed25519, not ${key.asymmetricKeyType}`);
  return key;
}

export function readEd25519PublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an ed25519 public key (${key.asymmetricKeyType})`);
  return key;
}

export function signEnvelope(payloadType: string, payload: Buffer, key: KeyObject): DsseEnvelope {
  const sig = sign(null, pae(payloadType, payload), key);
  return { payloadType, payload: payload.toString('base64'), signatures: [{ keyid: keyIdOf(key), sig: sig.toString('base64') }] };
}

/** The key ids among `keys` whose signature on the envelope holds. */
export function verifiedKeyIds(envelope: DsseEnvelope, keys: readonly KeyObject[]): string[] {
  const signed = pae(envelope.payloadType, Buffer.from(envelope.payload, 'base64'));
  const good = new Set<string>();
  for (const key of keys) {
    const id = keyIdOf(key);
    for (const s of envelope.signatures) {
      if (verify(null, signed, key, Buffer.from(s.sig, 'base64'))) good.add(id);
    }
  }
  return [...good];
}

/** A fresh ed25519 key pair as PEM (tests and the sandbox demo). */
export function generateProvenanceKey(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, publicKey: publicKey.export({ type: 'spki', format: 'pem' }) as string };
}
