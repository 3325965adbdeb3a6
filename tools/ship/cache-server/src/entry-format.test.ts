import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HEADER_BYTES, decodeHeader, encodeHeader, verifyEntry } from './entry-format';

const key = Buffer.alloc(32, 7);
const body = Buffer.from('a tar of task outputs');
const digest = createHash('sha256').update(body).digest('hex');

describe('entry header', () => {
  it('round-trips and verifies the entry it was made for', () => {
    const h = encodeHeader(key, '123', body.length, digest);
    expect(h.length).toBe(HEADER_BYTES);
    expect(verifyEntry(key, '123', decodeHeader(h), body.length, digest)).toEqual({ ok: true });
  });

  it('rejects changed bytes', () => {
    const other = createHash('sha256').update('a tar of other outputs').digest('hex');
    expect(verifyEntry(key, '123', decodeHeader(encodeHeader(key, '123', body.length, digest)), body.length, other)).toMatchObject({ ok: false, why: expect.stringMatching(/changed on disk/) });
  });

  it('rejects a genuine entry moved under another hash, a truncated one, and one made with another key', () => {
    const h = decodeHeader(encodeHeader(key, '123', body.length, digest));
    expect(verifyEntry(key, '124', h, body.length, digest)).toMatchObject({ ok: false, why: expect.stringMatching(/planted, copied/) });
    expect(verifyEntry(key, '123', h, body.length - 1, digest)).toMatchObject({ ok: false });
    const forged = decodeHeader(encodeHeader(Buffer.alloc(32, 8), '123', body.length, digest));
    expect(verifyEntry(key, '123', forged, body.length, digest)).toMatchObject({ ok: false });
  });

  it('rejects a file without a header', () => {
    expect(decodeHeader(Buffer.alloc(HEADER_BYTES, 0x41))).toBeUndefined();
    expect(verifyEntry(key, '123', undefined, 0, digest)).toMatchObject({ ok: false, why: expect.stringMatching(/no valid entry header/) });
  });
});
