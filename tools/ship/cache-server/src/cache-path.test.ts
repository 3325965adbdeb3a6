import { describe, expect, it } from 'vitest';
import { MAX_HASH_LENGTH, parseCachePath } from './cache-path';

describe('parseCachePath', () => {
  it('takes Nx task hashes: decimal or lowercase hex digits', () => {
    expect(parseCachePath('/v1/cache/12927618306216131376')).toEqual({ kind: 'entry', hash: '12927618306216131376' });
    expect(parseCachePath('/v1/cache/0af3')).toEqual({ kind: 'entry', hash: '0af3' });
    expect(parseCachePath('/v1/cache/123?x=1')).toEqual({ kind: 'entry', hash: '123' });
    expect(parseCachePath(`/v1/cache/${'a'.repeat(MAX_HASH_LENGTH)}`)).toMatchObject({ kind: 'entry' });
  });

  it('refuses anything that could name another file, or is too long, as a bad hash', () => {
    for (const bad of ['..', '..%2f..%2fserver.key', '%2e%2e', '12/34', '12%00', 'server.key', 'ABC', 'g1', '', ' 1', '1\n', 'a'.repeat(MAX_HASH_LENGTH + 1), '../entries/1', '.1']) {
      expect(parseCachePath(`/v1/cache/${bad}`), bad).toEqual({ kind: 'bad-hash' });
    }
  });

  it('is not found outside /v1/cache/', () => {
    expect(parseCachePath('/')).toEqual({ kind: 'not-found' });
    expect(parseCachePath('/v1/cache')).toEqual({ kind: 'not-found' });
    expect(parseCachePath('/v2/cache/1')).toEqual({ kind: 'not-found' });
    expect(parseCachePath('//v1/cache/1')).toEqual({ kind: 'not-found' });
  });
});
