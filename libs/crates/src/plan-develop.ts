import { tableHeader } from './cargo-manifest';
import { type PlanInput, type PlannedVersion, type PublishedVersion, type RequirementChange, type VersionPlan, planVersions } from './plan-versions';
import { requirementAction } from './requirement-action';
import { type Version, formatVersion, parseVersion } from './semver';
import { VersionPlanError } from './version-plan-error';

/** The pre-release identifier of the develop channel: `X.Y.Z-dev.N`. */
export const DEVELOP_PRE = 'dev';

/** One crate of a set to release: what the release commits and the upload need. */
export interface CrateVersion {
  component: string;
  crate: string;
  version: string;
}

export interface DevelopVersion extends PlannedVersion {
  /** X.Y.Z: the stable version the official plan gives now; `to` is X.Y.Z-dev.N. */
  release: string;
  /** N: one past the highest dev.N of X.Y.Z the registry ever had, yanked ones included. */
  dev: number;
}

export interface DevelopPlan extends VersionPlan {
  components: DevelopVersion[];
}

/**
 * The develop set a nightly publishes: each component at `X.Y.Z-dev.N`, where X.Y.Z is the next
 * stable version planVersions gives (so the develop line leads to the next official release) and N
 * one past the highest `X.Y.Z-dev.N` its crate ever had on the registry (yanked too: a version is
 * never published twice), so N rises with every nightly. Every internal requirement that does not
 * admit its upstream's dev version is rewritten to one that does (cargo matches a pre-release only
 * through a comparator naming a pre-release of the same X.Y.Z). Pure; throws a VersionPlanError
 * when the inputs cannot give a plan.
 */
export function planDevelop(input: PlanInput): DevelopPlan {
  const official = planVersions(input);
  const next = new Map<string, Version>();
  const components = official.components.map((row): DevelopVersion => {
    const release = parseVersion(row.to)!;
    const highest = highestDev(row.crate, release, input.used[row.crate] ?? []);
    const dev = highest.n + 1;
    const v: Version = { ...release, pre: [DEVELOP_PRE, String(dev)] };
    next.set(row.component, v);
    const after = dev === 1 ? `the first ${DEVELOP_PRE} of ${row.to}` : `after ${row.to}-${DEVELOP_PRE}.${highest.n} (the highest on the registry${highest.yanked ? ', yanked' : ''})`;
    return { ...row, to: formatVersion(v), release: row.to, dev, why: `${after}; ${row.to} is the next release: ${row.why}` };
  });
  const requirements = official.requirements.map((r) => developRequirement(r, next.get(r.upstream)!, input));
  return { components, requirements };
}

/** The highest N of `release`-dev.N among the crate's registry versions; 0 when there is none. */
function highestDev(crate: string, release: Version, used: PlanInput['used'][string]): { n: number; yanked: boolean } {
  let highest = 0;
  let yanked = false;
  for (const p of used) {
    const v = parseVersion(p.version);
    if (!v) throw new VersionPlanError(`the registry lists version "${p.version.slice(0, 80)}" of ${crate}, which is not a version`);
    if (v.major !== release.major || v.minor !== release.minor || v.patch !== release.patch) continue;
    const [id, n, ...rest] = v.pre;
    if (id !== DEVELOP_PRE || n === undefined || rest.length || !/^\d+$/.test(n)) continue;
    if (Number(n) > highest) [highest, yanked] = [Number(n), p.yanked];
  }
  if (!Number.isSafeInteger(highest + 1)) throw new VersionPlanError(`${crate}: the registry's highest ${DEVELOP_PRE} number of ${formatVersion(release)} is too large to follow`);
  return { n: highest, yanked };
}

/** The official plan's decision about one requirement, made again for the upstream's dev version. */
function developRequirement(r: RequirementChange, v: Version, input: PlanInput): RequirementChange {
  const site = input.crates[r.component]!.requirements.find((s) => s.path.join('\0') === r.path.join('\0'))!;
  const { action: _a, from: _f, to: _t, why: _w, ...base } = r;
  const decided = requirementAction(site, v);
  if (decided.action === 'invalid') throw new VersionPlanError(`${r.component}: ${r.file}: ${tableHeader(r.table)} ${r.key}: ${decided.why}`);
  return { ...base, ...decided } as RequirementChange;
}

/** The set to tag and upload, in chain order: what the release commits and the publish job take. */
export function crateVersions(plan: Pick<VersionPlan, 'components'>): CrateVersion[] {
  return plan.components.map((r) => ({ component: r.component, crate: r.crate, version: r.to }));
}

/**
 * The versions a crate counts as used for the develop set: the registry's, and every `vX.Y.Z-dev.N`
 * tag in its repository. A nightly that tagged its set but stopped before the upload left tags the
 * registry never saw; the next set, of other trees, must not take those versions (a tag is never
 * moved). Tags that are no dev version are left out. Pure.
 */
export function developUsed(registry: readonly PublishedVersion[], tags: readonly string[]): PublishedVersion[] {
  const seen = new Set(registry.map((p) => p.version));
  const tagged = tags.flatMap((t) => {
    const v = t.startsWith('v') ? parseVersion(t.slice(1)) : undefined;
    return v && v.pre.length === 2 && v.pre[0] === DEVELOP_PRE && /^\d+$/.test(v.pre[1]!) && !seen.has(t.slice(1)) ? [{ version: t.slice(1), yanked: false }] : [];
  });
  return [...registry, ...new Map(tagged.map((p) => [p.version, p])).values()];
}
