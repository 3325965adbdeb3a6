import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How an entry sits on disk: one file, `entries/<hash>`, a fixed-size header line then the body
 * exactly as it was PUT. The header holds the body's sha256 and a MAC (HMAC-SHA256 under the
 * server's key) over the hash, the size and that digest. One file rather than body + sidecar so
 * that publishing an entry is a single atomic link() and no sidecar can disagree with its body.
 *
 * The digest catches bytes changed on disk; the MAC catches a file that did not come through this
 * server: one planted in the store directory, or a genuine entry copied under another hash (a
 * digest alone would accept both, since whoever writes the body can write its digest too).
 */
const MAGIC = 'BLLVMCACHE1';
/** `MAGIC <64 hex digest> <64 hex mac>\n` */
export const HEADER_BYTES = MAGIC.length + 1 + 64 + 1 + 64 + 1;

export interface EntryHeader {
  digest: string;
  mac: string;
}

export function macOf(key: Buffer, hash: string, size: number, digest: string): string {
  return createHmac('sha256', key).update(`${hash}\n${size}\n${digest}`).digest('hex');
}

export function encodeHeader(key: Buffer, hash: string, size: number, digest: string): Buffer {
  const b = Buffer.from(`${MAGIC} ${digest} ${macOf(key, hash, size, digest)}\n`, 'latin1');
  if (b.length !== HEADER_BYTES) throw new Error(`entry header is ${b.length} bytes, expected ${HEADER_BYTES}`);
  return b;
}

export function decodeHeader(b: Buffer): EntryHeader | undefined {
  if (b.length !== HEADER_BYTES) return undefined;
  const m = /^BLLVMCACHE1 ([0-9a-f]{64}) ([0-9a-f]{64})\n$/.exec(b.toString('latin1'));
  return m ? { digest: m[1]!, mac: m[2]! } : undefined;
}

export type Verdict = { ok: true } | { ok: false; why: string };

/** Pure: does a stored entry's header, its body's size and its body's actual digest hold together? */
export function verifyEntry(key: Buffer, hash: string, header: EntryHeader | undefined, bodySize: number, actualDigest: string): Verdict {
  if (!header) return { ok: false, why: 'no valid entry header (not written by this server)' };
  const expectedMac = Buffer.from(macOf(key, hash, bodySize, header.digest), 'hex');
  if (!timingSafeEqual(expectedMac, Buffer.from(header.mac, 'hex'))) return { ok: false, why: 'header does not authenticate this hash and size (planted, copied or truncated)' };
  if (actualDigest !== header.digest) return { ok: false, why: 'body does not match its recorded sha256 (changed on disk)' };
  return { ok: true };
}
