import { type Bump, compatible, parseVersion } from '../semver';
import type { ApiComparison, ApiClassification } from './compare-api';

/**
 * The smallest bump from `version` that fits an API change, by cargo's compatibility rule (the
 * one downstream requirements resolve with): a breaking change needs a version outside the
 * current one's compatible range, so a major bump from 1.x, a minor one under 0.x (0.1.3 → 0.2.0),
 * and under 0.0.x a patch is already outside it; additions take a minor bump from 1.x (semver) and
 * a patch under 0.x; a release with no API change a patch. Pure.
 */
export function bumpNeeded(version: string, classification: ApiClassification): Bump {
  const v = parseVersion(version);
  if (!v) throw new Error(`"${version}" is not a semantic version (expected MAJOR.MINOR.PATCH)`);
  if (classification === 'breaking') return v.major > 0 ? 'major' : v.minor > 0 ? 'minor' : 'patch';
  if (classification === 'additive') return v.major > 0 ? 'minor' : 'patch';
  return 'patch';
}

/** How many breaking changes a refusal lists before it only counts the rest. */
const LISTED = 30;

/**
 * Refuses a planned release whose version downstream crates would still take as compatible
 * although the API broke: the message (one header line, then one line per breaking change) for
 * `version`'s plan to stop on, or undefined when the planned version is far enough. Additions
 * alone never refuse a release: they break no downstream build. Pure.
 */
export function refuseTooSmallBump(input: { crate: string; from: string; to: string; comparison: ApiComparison }): string | undefined {
  const { crate, from, to, comparison } = input;
  if (comparison.classification !== 'breaking') return undefined;
  const a = parseVersion(from);
  const b = parseVersion(to);
  if (!a) throw new Error(`${crate}: "${from}" is not a semantic version`);
  if (!b) throw new Error(`${crate}: "${to}" is not a semantic version`);
  if (!compatible(b, a)) return undefined;
  const needed = bumpNeeded(from, 'breaking');
  const n = comparison.breaking.length;
  const lines = comparison.breaking.slice(0, LISTED).map((c) => `  - ${c.line}`);
  if (n > LISTED) lines.push(`  … and ${n - LISTED} more`);
  return [`${crate} ${from} → ${to} keeps cargo-compatible versions, but its public API has ${n} breaking change${n === 1 ? '' : 's'}: it needs at least a ${needed} bump`, ...lines].join('\n');
}
