import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CacheServer, startCacheServer } from '@bllvm/cache-server/testing';
import { probeCacheToken } from './remote-cache';

// The real cache server the fleet runs: a trial's probe tells its read token from its write token
// and stores nothing either way.

const READ = 'pull-request-read-token';
const WRITE = 'protected-branch-write-token';
let store: string;
let server: CacheServer;

beforeAll(async () => {
  store = await mkdtemp(join(tmpdir(), 'bllvm-trial-cache-'));
  server = await startCacheServer({ storeDir: store, readTokens: [READ], writeTokens: [WRITE], log: () => {} });
});
afterAll(async () => {
  await server?.stop();
  await rm(store, { recursive: true, force: true });
});

describe('probing the cache token', () => {
  it('a read token is read-only, a write token can write, an unknown one is refused; nothing is stored', async () => {
    expect(await probeCacheToken(server.url, READ)).toBe('read-only');
    expect(await probeCacheToken(server.url, WRITE)).toBe('can-write');
    expect(await probeCacheToken(`${server.url}/`, 'who-knows')).toBe('refused');
    expect(server.stats().writes).toBe(0);
    expect(await readdir(join(store, 'entries')).catch(() => [])).toEqual([]);
  });

  it('a server that does not answer, or no URL, is unreachable', async () => {
    expect(await probeCacheToken('http://127.0.0.1:9', READ, 2_000)).toBe('unreachable');
    expect(await probeCacheToken('not a url', READ)).toBe('unreachable');
  });
});
