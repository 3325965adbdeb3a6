import { describe, expect, it } from 'vitest';
import { checkContentLength, planRoom } from './limits';

describe('checkContentLength', () => {
  it('needs a decimal Content-Length (400 otherwise)', () => {
    for (const h of [undefined, '', 'abc', '-1', '1e6', '12 34', '0x10']) expect(checkContentLength(h, 100), String(h)).toMatchObject({ ok: false, status: 400, reason: 'no-length' });
  });
  it('refuses a body over the entry limit with 413 before reading it', () => {
    expect(checkContentLength('101', 100)).toMatchObject({ ok: false, status: 413, reason: 'too-large' });
    expect(checkContentLength('100', 100)).toEqual({ ok: true, length: 100 });
    expect(checkContentLength('0', 100)).toEqual({ ok: true, length: 0 });
  });
});

describe('planRoom', () => {
  const e = (hash: string, size: number, lastUsed: number, readers = 0) => ({ hash, size, lastUsed, readers });

  it('evicts nothing while it fits', () => {
    expect(planRoom([e('a', 10, 1)], 10, 90, 100)).toEqual({ ok: true, evict: [] });
  });

  it('evicts least recently used first, only as many as needed', () => {
    const entries = [e('new', 30, 30), e('old', 30, 10), e('mid', 30, 20)];
    expect(planRoom(entries, 90, 20, 100)).toEqual({ ok: true, evict: ['old'] });
    expect(planRoom(entries, 90, 50, 100)).toEqual({ ok: true, evict: ['old', 'mid'] });
  });

  it('never evicts an entry being read', () => {
    const entries = [e('old', 30, 10, 1), e('mid', 30, 20), e('new', 30, 30)];
    expect(planRoom(entries, 90, 20, 100)).toEqual({ ok: true, evict: ['mid'] });
    expect(planRoom(entries, 90, 60, 100)).toEqual({ ok: true, evict: ['mid', 'new'] });
    expect(planRoom(entries, 90, 71, 100)).toEqual({ ok: false, reason: 'busy' });
  });

  it('refuses an entry larger than the whole store', () => {
    expect(planRoom([], 0, 101, 100)).toEqual({ ok: false, reason: 'larger-than-store' });
  });
});
