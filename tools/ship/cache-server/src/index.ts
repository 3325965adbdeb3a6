/** The shared Nx remote cache server: public entry (`@bllvm/cache-server`). */
export { startCacheServer, DEFAULT_MAX_ENTRY_BYTES, DEFAULT_MAX_STORE_BYTES } from './server';
export type { CacheServer, CacheServerOptions } from './server';
export type { CacheStats } from './stats';
export { hashToken, parseTokensFile } from './tokens';
export type { Access, TokenDigests } from './tokens';
export { HEADER_BYTES } from './entry-format';
