import { describe, expect, it } from 'vitest';
import { type SignatureFacts, judgeSignature } from './signer-standing';

const now = new Date('2026-06-01T00:00:00Z');
const fingerprint = 'F'.repeat(40);
const facts = (f: Partial<SignatureFacts>): SignatureFacts => ({ fingerprint, userIds: ['alice'], signed: new Date('2026-01-01T00:00:00Z'), revoked: false, expiries: [Infinity], now, ...f });

describe('judgeSignature', () => {
  it('counts a good signature by a key valid today, whatever expires later or is unknown', () => {
    expect(judgeSignature(facts({ expiries: [Infinity, null, new Date('2027-01-01T00:00:00Z')] }))).toEqual({ status: 'good', fingerprint, userIds: ['alice'] });
  });

  it('names the earliest expiry of the key and its signing subkey, once it is past', () => {
    const subkey = new Date('2026-03-01T00:00:00Z');
    expect(judgeSignature(facts({ expiries: [new Date('2026-05-01T00:00:00Z'), subkey], unusableNow: 'Primary key is expired' }))).toEqual({
      status: 'expired-key',
      fingerprint,
      expired: subkey,
      signed: new Date('2026-01-01T00:00:00Z'),
    });
    expect(judgeSignature(facts({ expiries: [now] })).status).toBe('expired-key');
  });

  it('names the key before the bytes: revoked or expired outranks a bad signature', () => {
    expect(judgeSignature(facts({ revoked: true, verifyError: 'Signed digest did not match', expiries: [new Date(0)] }))).toEqual({ status: 'revoked-key', fingerprint });
    expect(judgeSignature(facts({ verifyError: 'Signed digest did not match', expiries: [new Date(0)] })).status).toBe('expired-key');
    expect(judgeSignature(facts({ verifyError: 'Signed digest did not match' }))).toEqual({ status: 'bad', fingerprint, reason: 'Signed digest did not match' });
  });

  it('refuses a key openpgp.js will not let sign today for another reason, with its reason', () => {
    const reason = 'Could not find valid signing key packet in key 12C45DFEA559387E: Subkey is revoked';
    expect(judgeSignature(facts({ unusableNow: reason, verifyError: reason }))).toEqual({ status: 'invalid-key', fingerprint, reason });
  });
});
