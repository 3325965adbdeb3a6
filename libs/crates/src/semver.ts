/**
 * Versions and version requirements as cargo reads them (the `semver` crate's rules): enough to
 * order a crate's versions, bump one, and tell whether a dependency's requirement admits a version.
 * Pure.
 */
export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers (`dev.3` → ['dev', '3']); empty for a release. */
  pre: string[];
}

export type Bump = 'patch' | 'minor' | 'major';

const NUM = '(0|[1-9]\\d{0,15})';
const PRE_ID = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
const BUILD_ID = '[0-9A-Za-z-]+';
const VERSION = new RegExp(`^${NUM}\\.${NUM}\\.${NUM}(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+${BUILD_ID}(?:\\.${BUILD_ID})*)?$`);

/** A full semantic version (build metadata accepted and dropped: it does not tell versions apart). */
export function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] ? m[4].split('.') : [] };
}

export function formatVersion(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}${v.pre.length ? `-${v.pre.join('.')}` : ''}`;
}

/** SemVer precedence: a pre-release sorts before its release. */
export function compareVersions(a: Version, b: Version): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  if (!a.pre.length || !b.pre.length) return (b.pre.length ? 1 : 0) - (a.pre.length ? 1 : 0);
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * The next version after `v`. A pre-release leads to its release where the bump allows
 * (0.2.0-dev.1 → patch 0.2.0, minor 0.2.0, major 1.0.0), as `0.1.(S+1)-dev.M` leads to 0.1.(S+1).
 */
export function bumpVersion(v: Version, bump: Bump): Version {
  const pre = v.pre.length > 0;
  switch (bump) {
    case 'patch':
      return { major: v.major, minor: v.minor, patch: pre ? v.patch : v.patch + 1, pre: [] };
    case 'minor':
      return pre && v.patch === 0 ? { ...v, pre: [] } : { major: v.major, minor: v.minor + 1, patch: 0, pre: [] };
    case 'major':
      return pre && v.patch === 0 && v.minor === 0 ? { ...v, pre: [] } : { major: v.major + 1, minor: 0, patch: 0, pre: [] };
  }
}

/**
 * Whether a crate at `a` can stand in for one at `b` under cargo's default (caret) rule: same
 * major, and under 0.x the same minor (a minor bump is the breaking one), under 0.0.x the same patch.
 */
export function compatible(a: Version, b: Version): boolean {
  if (a.major !== b.major) return false;
  if (a.major > 0) return true;
  if (a.minor !== b.minor) return false;
  return a.minor > 0 || a.patch === b.patch;
}

// ---- requirements ---------------------------------------------------------------------------

type Op = '=' | '>' | '>=' | '<' | '<=' | '~' | '^';

/** One comparator of a requirement: `op` and a partial version (`*` parts are absent). */
export interface Comparator {
  op: Op;
  /** 1, 2 or 3 numeric parts given (`0.1` → 2); 0 for `*`. */
  precision: number;
  major: number;
  minor: number;
  patch: number;
  pre: string[];
  /** The operator as written ('' for the implicit caret). */
  opText: string;
  /** Written as a wildcard (`0.1.*`, `1.x`, `*`). */
  wildcard: boolean;
  /** Where the comparator is in the requirement text (trimmed). */
  start: number;
  end: number;
}

const COMPARATOR = /^(=|>=|>|<=|<|~|\^)?\s*(?:([*xX])|(0|[1-9]\d{0,15})(?:\.(?:([*xX])|(0|[1-9]\d{0,15}))(?:\.(?:([*xX])|(0|[1-9]\d{0,15}))(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?)?)?)(?:\+[0-9A-Za-z.-]+)?$/;

/** A requirement's comparators (all must hold), or undefined when cargo would not read it. */
export function parseRequirement(text: string): Comparator[] | undefined {
  if (text.trim() === '' || text.length > 256) return undefined;
  const out: Comparator[] = [];
  let offset = 0;
  for (const part of text.split(',')) {
    const lead = part.length - part.trimStart().length;
    const body = part.trim();
    const m = COMPARATOR.exec(body);
    if (!m) return undefined;
    const [, opText, star, maj, minStar, min, patStar, pat, pre] = m;
    const nums = [maj, min, pat].filter((x) => x !== undefined);
    const wildcard = star !== undefined || minStar !== undefined || patStar !== undefined;
    if (wildcard && opText !== undefined && opText !== '=' && opText !== '^') return undefined;
    out.push({
      op: wildcard ? '=' : ((opText as Op | undefined) ?? '^'),
      opText: opText ?? '',
      precision: nums.length,
      major: Number(maj ?? 0),
      minor: Number(min ?? 0),
      patch: Number(pat ?? 0),
      pre: pre ? pre.split('.') : [],
      wildcard,
      start: offset + lead,
      end: offset + lead + body.length,
    });
    offset += part.length + 1;
  }
  return out;
}

/** Whether `req` admits `v`, with cargo's rule that a pre-release matches only a comparator naming its own X.Y.Z-pre. */
export function admits(req: readonly Comparator[], v: Version): boolean {
  if (!req.every((c) => matchesComparator(c, v))) return false;
  if (v.pre.length === 0) return true;
  return req.some((c) => c.pre.length > 0 && c.major === v.major && c.minor === v.minor && c.patch === v.patch);
}

function matchesComparator(c: Comparator, v: Version): boolean {
  const at = (major: number, minor: number, patch: number, pre: string[] = []): Version => ({ major, minor, patch, pre });
  const ge = (b: Version) => compareVersions(v, b) >= 0;
  const lt = (b: Version) => compareVersions(v, b) < 0;
  // The lowest pre-release of X.Y.Z, so that `<X.Y.Z` excludes X.Y.Z's own pre-releases as cargo does.
  const floor = (major: number, minor: number, patch: number) => at(major, minor, patch, ['0']);
  const { major, minor, patch, precision } = c;
  const exact = at(major, minor, patch, c.pre);
  switch (c.op) {
    case '=':
      if (precision === 0) return true;
      if (precision === 1) return v.major === major;
      if (precision === 2) return v.major === major && v.minor === minor;
      return compareVersions(v, exact) === 0;
    case '>':
      if (precision === 1) return ge(at(major + 1, 0, 0));
      if (precision === 2) return ge(at(major, minor + 1, 0));
      return compareVersions(v, exact) > 0;
    case '>=':
      return precision === 3 ? ge(exact) : ge(at(major, minor, 0));
    case '<':
      return precision === 3 ? lt(exact) : lt(floor(major, precision === 1 ? 0 : minor, 0));
    case '<=':
      if (precision === 1) return lt(floor(major + 1, 0, 0));
      if (precision === 2) return lt(floor(major, minor + 1, 0));
      return compareVersions(v, exact) <= 0;
    case '~':
      if (precision === 1) return v.major === major;
      return ge(precision === 3 ? exact : at(major, minor, 0)) && lt(floor(major, minor + 1, 0));
    case '^': {
      if (!ge(precision === 3 ? exact : at(major, minor, 0))) return false;
      if (precision === 1 || major > 0) return lt(floor(major + 1, 0, 0));
      if (precision === 2 || minor > 0) return lt(floor(0, minor + 1, 0));
      return lt(floor(0, 0, patch + 1));
    }
  }
}

/** `v` written with `precision` parts (1: `0`, 2: `0.2`, 3: `0.2.1`). */
function truncated(v: Version, precision: number): string {
  return [v.major, v.minor, v.patch].slice(0, Math.max(1, precision)).join('.');
}

/** The first version past `v`'s compatible line, written with `precision` parts. */
function breakingBound(v: Version, precision: number): string {
  if (precision <= 1 || v.major > 0) return precision <= 1 ? `${v.major + 1}` : precision === 2 ? `${v.major + 1}.0` : `${v.major + 1}.0.0`;
  if (precision === 2 || v.minor > 0) return precision === 2 ? `0.${v.minor + 1}` : `0.${v.minor + 1}.0`;
  return `0.0.${v.patch + 1}`;
}

/**
 * `req` rewritten to admit `v` (a release, or a pre-release: see rewriteComparator), keeping its shape and precision: `"0.1"` → `"0.2"`,
 * `"=0.1.2"` → `"=0.1.5"`, `"~1.2"` → `"~2.0"`, `"0.1.*"` → `"0.2.*"`; in a range the lower bounds
 * rise to `v` and a bound that excludes it moves to the next breaking version (`">=0.1, <1"` with
 * 1.0.0 → `">=1.0, <2"`), and what still holds is kept as written. Undefined when `req` already
 * admits `v` or is not a requirement.
 */
export function rewriteRequirement(req: string, v: Version): string | undefined {
  const comparators = parseRequirement(req);
  if (!comparators || admits(comparators, v)) return undefined;
  const isRange = comparators.length > 1 || comparators.some((c) => ['<', '<=', '>', '>='].includes(c.op));
  let out = '';
  let last = 0;
  for (const c of comparators) {
    out += req.slice(last, c.start) + (rewriteComparator(c, v, isRange) ?? req.slice(c.start, c.end));
    last = c.end;
  }
  out += req.slice(last);
  const check = parseRequirement(out);
  if (!check || !admits(check, v)) throw new Error(`rewriting requirement "${req}" for ${formatVersion(v)} gave "${out}", which does not admit it`);
  return out;
}

/**
 * The comparator's new text, or undefined to keep it as written. For a pre-release `v` every
 * comparator that is not an upper bound names `v` in full, since cargo matches a pre-release only
 * through a comparator naming its own X.Y.Z-pre (`"0.1"` → `"0.1.5-dev.3"`, `"0.1.*"` → `"0.1.5-dev.3"`).
 */
function rewriteComparator(c: Comparator, v: Version, isRange: boolean): string | undefined {
  const pre = v.pre.length > 0;
  const shown = pre ? formatVersion(v) : truncated(v, c.precision);
  if (c.wildcard) {
    if (pre) return isRange ? `>=${shown}` : shown;
    return matchesComparator(c, v) ? undefined : `${shown}.*`;
  }
  switch (c.op) {
    case '>':
    case '>=':
      return `>=${shown}`;
    case '<':
    case '<=':
      return matchesComparator(c, v) ? undefined : `<${breakingBound(v, c.precision)}`;
    default:
      if (isRange && !pre && matchesComparator(c, v)) return undefined;
      return `${c.opText}${shown}`;
  }
}
