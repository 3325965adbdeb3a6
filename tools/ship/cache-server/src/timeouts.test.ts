import { describe, expect, it } from 'vitest';
import { MIN_UPLOAD_BYTES_PER_SECOND, checkInterval, defaultRequestTimeoutMs, resolveTimeouts } from './timeouts';

const MB = 1024 * 1024;

describe('resolveTimeouts', () => {
  it('defaults: seconds for a client without a token, minutes only for the largest upload', () => {
    const r = resolveTimeouts({}, 512 * MB);
    expect(r).toEqual({ ok: true, timeouts: { firstByteMs: 5_000, headersMs: 10_000, idleMs: 30_000, requestMs: 10_000 + 512_000, checkEveryMs: 1000 } });
  });

  it('sizes the default request timeout for the largest entry at the minimum upload rate', () => {
    expect(MIN_UPLOAD_BYTES_PER_SECOND).toBe(MB);
    expect(defaultRequestTimeoutMs(2048 * MB, 10_000)).toBe(10_000 + 2048_000);
    expect(defaultRequestTimeoutMs(1, 10_000)).toBe(10_001);
    const r = resolveTimeouts({ headersTimeoutMs: 2000 }, 64 * MB);
    expect(r.ok && r.timeouts.requestMs).toBe(2000 + 64_000);
  });

  it('keeps the first-byte timeout within the idle and header timeouts when it is not given', () => {
    const r = resolveTimeouts({ idleTimeoutMs: 500 }, MB);
    expect(r.ok && r.timeouts.firstByteMs).toBe(500);
    const h = resolveTimeouts({ headersTimeoutMs: 1500 }, MB);
    expect(h.ok && h.timeouts.firstByteMs).toBe(1500);
  });

  it('takes what it is given, rounded up to whole milliseconds', () => {
    expect(resolveTimeouts({ firstByteTimeoutMs: 700.2, headersTimeoutMs: 1500, idleTimeoutMs: 6000, requestTimeoutMs: 2000 }, MB)).toEqual({
      ok: true,
      timeouts: { firstByteMs: 701, headersMs: 1500, idleMs: 6000, requestMs: 2000, checkEveryMs: 150 },
    });
  });

  it('refuses timeouts that do not hold together, or are not positive', () => {
    expect(resolveTimeouts({ firstByteTimeoutMs: 3000, headersTimeoutMs: 2000 }, MB)).toMatchObject({ ok: false, problem: expect.stringMatching(/first-byte timeout \(3 s\) is longer than the header timeout \(2 s\)/) });
    expect(resolveTimeouts({ headersTimeoutMs: 20_000, requestTimeoutMs: 10_000 }, MB)).toMatchObject({ ok: false, problem: expect.stringMatching(/header timeout \(20 s\) is longer than the request timeout \(10 s\)/) });
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(resolveTimeouts({ idleTimeoutMs: bad }, MB), String(bad)).toMatchObject({ ok: false, problem: expect.stringMatching(/idleTimeoutMs must be a positive number/) });
    }
  });
});

describe('checkInterval', () => {
  it('checks deadlines often enough that one is passed by at most a tenth of the header timeout', () => {
    expect(checkInterval(10_000)).toBe(1000);
    expect(checkInterval(1500)).toBe(150);
    expect(checkInterval(60_000)).toBe(1000);
    expect(checkInterval(100)).toBe(50);
  });
});
