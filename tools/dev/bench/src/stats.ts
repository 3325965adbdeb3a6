/** Medians and ranges of repeated measurements. Pure. */
export interface Stat {
  median: number;
  min: number;
  max: number;
  n: number;
  samples: number[];
}

export function stat(samples: readonly number[]): Stat {
  const s = samples.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0, samples: [] };
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, n: s.length, samples: [...samples] };
}

export function median(samples: readonly number[]): number {
  return stat(samples).median;
}

/** "12.3 s (11.9–13.0)" or "12.3 s" for one sample. */
export function fmtSeconds(st: Stat | number, digits = 1): string {
  if (typeof st === 'number') return Number.isFinite(st) ? `${(st / 1000).toFixed(digits)} s` : 'n/a';
  if (!st.n) return 'n/a';
  const m = `${(st.median / 1000).toFixed(digits)} s`;
  return st.n > 1 ? `${m} (${(st.min / 1000).toFixed(digits)}–${(st.max / 1000).toFixed(digits)})` : m;
}

export function fmtMs(st: Stat | number): string {
  if (typeof st === 'number') return Number.isFinite(st) ? `${Math.round(st)} ms` : 'n/a';
  if (!st.n) return 'n/a';
  const m = `${Math.round(st.median)} ms`;
  return st.n > 1 ? `${m} (${Math.round(st.min)}–${Math.round(st.max)})` : m;
}

export function fmtRatio(x: number): string {
  return Number.isFinite(x) ? x.toFixed(2) : 'n/a';
}
