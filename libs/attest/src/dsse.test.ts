import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateProvenanceKey, keyIdOf, pae, readEd25519PrivateKey, readEd25519PublicKey, signEnvelope, verifiedKeyIds } from './dsse';

describe('DSSE', () => {
  it('encodes the type and payload lengths before signing (the spec example)', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('verifies with the signer key only, and not once the payload or its type changed', () => {
    const a = generateProvenanceKey();
    const b = generateProvenanceKey();
    const key = readEd25519PrivateKey(a.privateKey);
    const env = signEnvelope('application/vnd.in-toto+json', Buffer.from('{"x":1}'), key);
    const pubA = readEd25519PublicKey(a.publicKey);
    expect(env.signatures[0]!.keyid).toBe(keyIdOf(pubA));
    expect(keyIdOf(key)).toBe(keyIdOf(createPublicKey(key)));
    expect(verifiedKeyIds(env, [pubA])).toEqual([keyIdOf(pubA)]);
    expect(verifiedKeyIds(env, [readEd25519PublicKey(b.publicKey)])).toEqual([]);
    expect(verifiedKeyIds({ ...env, payload: Buffer.from('{"x":2}').toString('base64') }, [pubA])).toEqual([]);
    expect(verifiedKeyIds({ ...env, payloadType: 'text/plain' }, [pubA])).toEqual([]);
  });

  it('refuses a provenance key that is not ed25519 or not a key', () => {
    expect(() => readEd25519PrivateKey('nope')).toThrow(/not a PEM private key/);
  });
});
