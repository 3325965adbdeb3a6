/**
 * The shared Nx remote cache server: public entry (`@bllvm/cache-server`). The server itself runs
 * as a command (cli.ts); what tests use to start it in-process is in its testing entry (testing.ts).
 */
export { DEFAULT_MAX_ENTRY_BYTES, DEFAULT_MAX_STORE_BYTES } from './server';
export type { CacheStats } from './stats';
export { hashToken, parseTokensFile } from './tokens';
export type { Access, TokenDigests } from './tokens';
