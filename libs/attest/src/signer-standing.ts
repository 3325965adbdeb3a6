import type { SignatureCheck } from './openpgp';

/** What openpgp.js says about one signature and the trusted key that made it (`checkDetached` gathers it). */
export interface SignatureFacts {
  fingerprint: string;
  userIds: string[];
  /** When the signature says it was made, if it says. */
  signed?: Date;
  /** openpgp.js's verdict on the signature: the bytes, and the key as it was when it signed. Absent when it holds. */
  verifyError?: string;
  /** openpgp.js's verdict on the key as of now (`getSigningKey(keyID, now)`). Absent when it may sign today. */
  unusableNow?: string;
  /** The key is revoked as of now, whatever the revocation's reason or date. */
  revoked: boolean;
  /** `getExpirationTime()` of the key and of its signing subkey: a Date, Infinity for never, null when unknown. */
  expiries: (Date | number | null)[];
  now: Date;
}

/**
 * A signature counts only if its key is valid today, not merely on the day it signed: a key its
 * owner let expire or revoked (lost, retired, compromised on a date nobody knows) vouches for
 * nothing any more, and the signature's own date is whatever the signer wrote. openpgp.js alone
 * checks the key as of the signature's date. The key's standing is named before a bad signature
 * because it holds whatever the bytes are. Pure.
 */
export function judgeSignature(f: SignatureFacts): SignatureCheck {
  const { fingerprint } = f;
  if (f.revoked) return { status: 'revoked-key', fingerprint };
  const dates = f.expiries.filter((e): e is Date => e instanceof Date).sort((a, b) => a.getTime() - b.getTime());
  const expired = dates[0];
  if (expired && expired.getTime() <= f.now.getTime()) return { status: 'expired-key', fingerprint, expired, ...(f.signed ? { signed: f.signed } : {}) };
  if (f.unusableNow !== undefined) return { status: 'invalid-key', fingerprint, reason: f.unusableNow };
  if (f.verifyError !== undefined) return { status: 'bad', fingerprint, reason: f.verifyError };
  return { status: 'good', fingerprint, userIds: f.userIds };
}
