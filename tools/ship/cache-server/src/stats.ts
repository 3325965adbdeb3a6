/** What the server counts; `stats()` returns a copy. Reasons are the `reason` of each refusal. */
export interface CacheStats {
  /** GETs that passed authentication and named a valid hash. */
  reads: number;
  hits: number;
  misses: number;
  /** PUTs stored. */
  writes: number;
  /** Requests refused, by reason: no-token, unknown-token, read-only-token, bad-hash, no-length, too-large, exists, incomplete, store-full, not-found, method, busy. */
  refused: Record<string, number>;
  /**
   * Connections the server closed before they presented a valid token, by reason: idle (silent
   * past the first-byte timeout), header-timeout (no whole request head in time), crowded-out
   * (the oldest unauthenticated connection, closed to let a new one in). Never logged one by one:
   * a flood of them would flood the log.
   */
  dropped: Record<string, number>;
  evictions: number;
  quarantined: number;
}

export function emptyStats(): CacheStats {
  return { reads: 0, hits: 0, misses: 0, writes: 0, refused: {}, dropped: {}, evictions: 0, quarantined: 0 };
}

export function countRefusal(stats: CacheStats, reason: string): void {
  stats.refused[reason] = (stats.refused[reason] ?? 0) + 1;
}

export function countDrop(stats: CacheStats, reason: string): void {
  stats.dropped[reason] = (stats.dropped[reason] ?? 0) + 1;
}

export function copyStats(stats: CacheStats): CacheStats {
  return { ...stats, refused: { ...stats.refused }, dropped: { ...stats.dropped } };
}
