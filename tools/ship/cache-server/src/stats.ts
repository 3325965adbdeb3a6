/** What the server counts; `stats()` returns a copy. Reasons are the `reason` of each refusal. */
export interface CacheStats {
  /** GETs that passed authentication and named a valid hash. */
  reads: number;
  hits: number;
  misses: number;
  /** PUTs stored. */
  writes: number;
  /** Requests refused, by reason: no-token, unknown-token, read-only-token, bad-hash, no-length, too-large, exists, incomplete, store-full, not-found, method. */
  refused: Record<string, number>;
  evictions: number;
  quarantined: number;
}

export function emptyStats(): CacheStats {
  return { reads: 0, hits: 0, misses: 0, writes: 0, refused: {}, evictions: 0, quarantined: 0 };
}

export function countRefusal(stats: CacheStats, reason: string): void {
  stats.refused[reason] = (stats.refused[reason] ?? 0) + 1;
}

export function copyStats(stats: CacheStats): CacheStats {
  return { ...stats, refused: { ...stats.refused } };
}
