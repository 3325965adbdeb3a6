import { describe, expect, it } from 'vitest';
import { parseBytes, parseCount, parseListen, parseSeconds } from './args';

describe('command-line values', () => {
  it('parses sizes with binary units', () => {
    expect(parseBytes('--x', '52428800')).toBe(52428800);
    expect(parseBytes('--x', '512M')).toBe(512 * 1024 ** 2);
    expect(parseBytes('--x', '20GiB')).toBe(20 * 1024 ** 3);
    for (const bad of ['', '0', '-5', '1.5G', 'lots', '5X']) expect(() => parseBytes('--max-store-bytes', bad), bad).toThrow(/--max-store-bytes takes a positive size/);
  });

  it('parses where to listen, loopback by default', () => {
    expect(parseListen('127.0.0.1:8090')).toEqual({ host: '127.0.0.1', port: 8090 });
    expect(parseListen('0.0.0.0:80')).toEqual({ host: '0.0.0.0', port: 80 });
    expect(parseListen('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(parseListen(':9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(parseListen('cache.internal:0')).toEqual({ host: 'cache.internal', port: 0 });
    for (const bad of ['8090', 'host', 'h:99999', '[::1]', 'a:b']) expect(() => parseListen(bad), bad).toThrow(/--listen takes HOST:PORT/);
  });

  it('parses seconds into milliseconds, and counts', () => {
    expect(parseSeconds('--x', undefined)).toBeUndefined();
    expect(parseSeconds('--x', '30')).toBe(30_000);
    expect(parseSeconds('--x', '2.5')).toBe(2500);
    for (const bad of ['', '0', '-1', '1e3', 'soon', '5s']) expect(() => parseSeconds('--header-timeout', bad), bad).toThrow(/--header-timeout takes a positive number of seconds/);
    expect(parseCount('--x', undefined)).toBeUndefined();
    expect(parseCount('--x', '64')).toBe(64);
    for (const bad of ['', '0', '-1', '1.5', 'many']) expect(() => parseCount('--max-unauthenticated', bad), bad).toThrow(/--max-unauthenticated takes a positive whole number/);
  });
});
