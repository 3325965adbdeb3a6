/**
 * The crates of one release as the uploader takes them: packaged, in graph order (every crate after
 * the crates of this release it depends on), each with its `.crate` file and that file's sha256.
 * Checked before anything is uploaded. Pure.
 */
import { OrchestratorError } from '@bllvm/manifest';
import { canonicalCrateName, isCrateName, SEMVER } from './publish-index-line';

export interface ReleaseCrate {
  name: string;
  version: string;
  /** The packaged `.crate` (what `cargo package` wrote). */
  crateFile: string;
  /** Lowercase hex sha256 of that file: what the registry's index must end up saying. */
  sha256: string;
  /**
   * The crates this one depends on (normal, build or dev). Those in this release must come
   * earlier in the list; others are taken to be published already and are not waited for.
   */
  dependsOn: readonly string[];
}

/** A release list that cannot be published as given: wrong order, a bad field, a duplicate. */
export class ReleaseCratesError extends OrchestratorError {
  override readonly name = 'ReleaseCratesError';
  constructor(message: string) {
    super(message, { exitCode: 2 });
  }
}

/** Throws ReleaseCratesError naming the crate and what is wrong; returns the list unchanged. */
export function checkReleaseCrates(crates: readonly ReleaseCrate[]): readonly ReleaseCrate[] {
  const seen = new Map<string, number>();
  const at = (i: number, c: ReleaseCrate) => `crates[${i}] (${typeof c.name === 'string' ? c.name : '?'})`;
  crates.forEach((c, i) => {
    if (typeof c.name !== 'string' || !isCrateName(c.name)) throw new ReleaseCratesError(`${at(i, c)}: \`name\` must be a crate name`);
    if (typeof c.version !== 'string' || !SEMVER.test(c.version)) throw new ReleaseCratesError(`${at(i, c)}: \`version\` ${JSON.stringify(c.version)} is not a semantic version`);
    if (typeof c.crateFile !== 'string' || c.crateFile === '') throw new ReleaseCratesError(`${at(i, c)}: \`crateFile\` must be a path`);
    if (typeof c.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(c.sha256)) throw new ReleaseCratesError(`${at(i, c)}: \`sha256\` must be 64 lowercase hex digits`);
    if (!Array.isArray(c.dependsOn) || !c.dependsOn.every((d) => typeof d === 'string')) throw new ReleaseCratesError(`${at(i, c)}: \`dependsOn\` must be a list of crate names`);
    const key = canonicalCrateName(c.name);
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new ReleaseCratesError(`${at(i, c)}: the release lists ${c.name} twice (also crates[${earlier}])`);
    seen.set(key, i);
  });
  crates.forEach((c, i) => {
    for (const dep of c.dependsOn) {
      const j = seen.get(canonicalCrateName(dep));
      if (j === undefined) continue;
      if (j === i) throw new ReleaseCratesError(`${at(i, c)}: depends on itself`);
      if (j > i) throw new ReleaseCratesError(`${at(i, c)}: depends on ${dep}, which comes later (crates[${j}]); list the crates in graph order`);
    }
  });
  return crates;
}

/** The crates of this release that `crate` depends on, by their listed names. */
export function internalDependencies(crates: readonly ReleaseCrate[], crate: ReleaseCrate): string[] {
  const names = new Map(crates.map((c) => [canonicalCrateName(c.name), c.name]));
  return [...new Set(crate.dependsOn.map((d) => names.get(canonicalCrateName(d))).filter((d): d is string => d !== undefined))];
}
