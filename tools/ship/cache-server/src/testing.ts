// The cache server's testing entry (`@bllvm/cache-server/testing`): it ships as a command
// (cli.ts); a test starts it in-process instead and writes entries in its on-disk format.

/** The server in this process, on a port of its choosing. */
export { startCacheServer } from './server';
export type { CacheServer, CacheServerOptions } from './server';
/** The size of an entry's header, so a test can write a truncated or corrupt entry. */
export { HEADER_BYTES } from './entry-format';
