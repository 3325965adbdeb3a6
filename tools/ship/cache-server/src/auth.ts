import { createHash, timingSafeEqual } from 'node:crypto';
import type { Access, TokenDigests } from './tokens';

export type AuthDecision = { ok: true } | { ok: false; status: 401 | 403; reason: 'no-token' | 'unknown-token' | 'read-only-token'; message: string };

/**
 * May the bearer of this Authorization header do `needs`? Pure. The presented token is hashed and
 * compared with every known digest in constant time, without stopping at the first match, so the
 * time taken says nothing about which digest (or how much of one) matched.
 */
export function authorize(header: string | undefined, tokens: TokenDigests, needs: Access): AuthDecision {
  const m = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return { ok: false, status: 401, reason: 'no-token', message: 'missing bearer token (set NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN)' };
  const presented = createHash('sha256').update(m[1]!, 'utf8').digest();
  const canWrite = matchesAny(presented, tokens.write);
  const canRead = matchesAny(presented, tokens.read) || canWrite;
  if (!canRead) return { ok: false, status: 401, reason: 'unknown-token', message: 'unknown token' };
  if (needs === 'write' && !canWrite) return { ok: false, status: 403, reason: 'read-only-token', message: 'this token may read the cache but not write to it' };
  return { ok: true };
}

function matchesAny(presented: Buffer, digests: readonly Buffer[]): boolean {
  let found = false;
  for (const d of digests) found = timingSafeEqual(presented, d) || found;
  return found;
}
