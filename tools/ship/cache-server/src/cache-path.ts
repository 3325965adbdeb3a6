/**
 * Which entry a request names. Nx's task hashes are decimal or hex digits; anything else in the
 * path segment (dots, slashes, percent-escapes, letters past f) is refused before it comes near a
 * file name, so no request can address a file outside the store's entries.
 */
export const MAX_HASH_LENGTH = 128;
const HASH = new RegExp(`^[0-9a-f]{1,${MAX_HASH_LENGTH}}$`);
const PREFIX = '/v1/cache/';

export type PathDecision = { kind: 'entry'; hash: string } | { kind: 'bad-hash' } | { kind: 'not-found' };

/** Pure: the request target (path and optional query) → the entry it names, or why none. */
export function parseCachePath(target: string): PathDecision {
  const path = target.split('?', 1)[0]!;
  if (!path.startsWith(PREFIX)) return { kind: 'not-found' };
  const hash = path.slice(PREFIX.length);
  return HASH.test(hash) ? { kind: 'entry', hash } : { kind: 'bad-hash' };
}

export function isValidHash(hash: string): boolean {
  return HASH.test(hash);
}
