// Tag names are the keys under which releases are published, so they are generated and parsed in
// exactly one place. Anything that does not match is rejected rather than "cleaned up": a tag that
// was guessed at could collide with, or overwrite, a release that is not ours.

export type ParsedTag =
  | { kind: 'nightly'; /** UTC calendar day, YYYY-MM-DD. */ date: string; /** 7 hex. */ sha: string }
  | { kind: 'release'; version: string };

const SHA = /^[0-9a-f]{7,40}$/;
// No leading zeros except a lone 0: "01.2.3" and "1.02.3" would sort and compare ambiguously.
const VERSION = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;
const NIGHTLY = /^nightly-([0-9]{4})([0-9]{2})([0-9]{2})-([0-9a-f]{7})$/;
const RELEASE = /^v(.+)$/;

/** `nightly-YYYYMMDD-<7 hex>`; the day is the UTC day so every runner names the same night alike. */
export function nightlyTag(date: Date, orchestratorSha: string): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new Error('nightlyTag: invalid date');
  if (typeof orchestratorSha !== 'string' || !SHA.test(orchestratorSha)) {
    throw new Error(`nightlyTag: orchestrator sha must be 7 to 40 lowercase hex characters, got ${JSON.stringify(orchestratorSha)}`);
  }
  const year = date.getUTCFullYear();
  if (year < 1000 || year > 9999) throw new Error(`nightlyTag: year ${year} does not fit YYYY`);
  const day = `${year}${pad2(date.getUTCMonth() + 1)}${pad2(date.getUTCDate())}`;
  return `nightly-${day}-${orchestratorSha.slice(0, 7)}`;
}

/** `vX.Y.Z` from a strict numeric `X.Y.Z` (the shape versions.toml allows). */
export function releaseTag(version: string): string {
  if (!isReleaseVersion(version)) {
    throw new Error(`releaseTag: version must be X.Y.Z (numeric, no leading zeros, no "v"), got ${JSON.stringify(version)}`);
  }
  return `v${version}`;
}

export function isReleaseVersion(version: unknown): version is string {
  return typeof version === 'string' && VERSION.test(version);
}

export function parseTag(tag: string): ParsedTag | null {
  if (typeof tag !== 'string') return null;
  const n = NIGHTLY.exec(tag);
  if (n) {
    const [, y, m, d, sha] = n as unknown as [string, string, string, string, string];
    // Reject impossible days (20260231) so a parsed tag always names a real night.
    const at = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    if (at.getUTCFullYear() !== Number(y) || at.getUTCMonth() !== Number(m) - 1 || at.getUTCDate() !== Number(d)) return null;
    return { kind: 'nightly', date: `${y}-${m}-${d}`, sha };
  }
  const r = RELEASE.exec(tag);
  if (r && isReleaseVersion(r[1])) return { kind: 'release', version: r[1] };
  return null;
}

export function isNightlyTag(tag: string): boolean {
  return parseTag(tag)?.kind === 'nightly';
}

export function isReleaseTag(tag: string): boolean {
  return parseTag(tag)?.kind === 'release';
}

/** parseTag for callers that have nothing sensible to do with a bad tag. */
export function requireTag(tag: string): ParsedTag {
  const parsed = parseTag(tag);
  if (!parsed) throw new Error(`not a release tag (expected vX.Y.Z or nightly-YYYYMMDD-<7 hex>): ${JSON.stringify(tag)}`);
  return parsed;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * The tag of an official release of the whole set: the highest component version, so bumping any
 * one component in versions.toml gives the set a new tag and never reuses an old one.
 */
export function releaseSetTag(versions: readonly string[]): string {
  if (!versions.length) throw new Error('releaseSetTag: no versions');
  for (const v of versions) if (!isReleaseVersion(v)) throw new Error(`releaseSetTag: ${JSON.stringify(v)} is not X.Y.Z`);
  const key = (v: string) => v.split('.').map(Number) as [number, number, number];
  const highest = [...versions].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  }).at(-1)!;
  return releaseTag(highest);
}
