import { describe, expect, it } from 'vitest';
import { authorize } from './auth';
import { digestsOf } from './tokens';

const tokens = digestsOf(['reader-1', 'reader-2'], ['writer-1']);

describe('authorize', () => {
  it('refuses a request without a bearer token with 401', () => {
    expect(authorize(undefined, tokens, 'read')).toMatchObject({ ok: false, status: 401, reason: 'no-token' });
    expect(authorize('Basic abc', tokens, 'read')).toMatchObject({ ok: false, status: 401, reason: 'no-token' });
    expect(authorize('Bearer ', tokens, 'read')).toMatchObject({ ok: false, status: 401, reason: 'no-token' });
  });

  it('refuses an unknown token with 401, for reads and writes', () => {
    expect(authorize('Bearer reader-3', tokens, 'read')).toMatchObject({ ok: false, status: 401, reason: 'unknown-token' });
    expect(authorize('Bearer reader-3', tokens, 'write')).toMatchObject({ ok: false, status: 401, reason: 'unknown-token' });
    // a digest presented as the token is not the token
    expect(authorize(`Bearer ${tokens.read[0]!.toString('hex')}`, tokens, 'read')).toMatchObject({ ok: false, status: 401 });
  });

  it('lets read tokens read, and refuses them writing with 403', () => {
    expect(authorize('Bearer reader-2', tokens, 'read')).toEqual({ ok: true });
    expect(authorize('bearer reader-1', tokens, 'read')).toEqual({ ok: true });
    expect(authorize('Bearer reader-1', tokens, 'write')).toMatchObject({ ok: false, status: 403, reason: 'read-only-token' });
  });

  it('lets write tokens read and write', () => {
    expect(authorize('Bearer writer-1', tokens, 'write')).toEqual({ ok: true });
    expect(authorize('Bearer writer-1', tokens, 'read')).toEqual({ ok: true });
  });

  it('never puts the token into its message', () => {
    for (const d of [authorize('Bearer reader-1', tokens, 'write'), authorize('Bearer sekrit', tokens, 'read')]) {
      expect(JSON.stringify(d)).not.toMatch(/reader-1|sekrit/);
    }
  });
});
