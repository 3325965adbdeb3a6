import { type CrateManifest, type RequirementSite, tableHeader } from './cargo-manifest';
import { requirementAction } from './requirement-action';
import { type Bump, type Version, bumpVersion, compareVersions, compatible, formatVersion, parseVersion } from './semver';
import { VersionPlanError } from './version-plan-error';

/** One version of a crate on the registry; a yanked one still counts as used: it is never published again. */
export interface PublishedVersion {
  version: string;
  yanked: boolean;
}

/** Every version of a crate the registry has ever had (yanked too); none for a crate never published. */
export type UsedVersions = (crate: string) => Promise<PublishedVersion[]>;

export interface PlanInput {
  /** The components in graph order, dependencies first. */
  order: readonly string[];
  /** versions.toml: component → its current version. */
  versions: Readonly<Record<string, { version: string }>>;
  /** component → its crate's Cargo.toml (at its pin), as read for versioning. */
  crates: Readonly<Record<string, Pick<CrateManifest, 'file' | 'name' | 'version' | 'versionFromWorkspace' | 'requirements'>>>;
  /** crate name → every version on the registry. */
  used: Readonly<Record<string, readonly PublishedVersion[]>>;
  /** component → a bump other than the default patch. */
  bumps?: Readonly<Record<string, 'minor' | 'major'>>;
}

export interface PlannedVersion {
  component: string;
  crate: string;
  /** Its version in versions.toml. */
  from: string;
  to: string;
  bump: Bump;
  /** `to` cannot stand in for the previous version under cargo's rules (a major bump; a minor one under 0.x). */
  breaking: boolean;
  why: string;
}

/** What becomes of one downstream requirement on a component whose version changes. */
export interface RequirementChange {
  /** The downstream component and its crate, whose Cargo.toml holds the requirement. */
  component: string;
  crate: string;
  file: string;
  /** The upstream component and the crate depended on. */
  upstream: string;
  dependency: string;
  /** The dependency's key and table (see RequirementSite). */
  key: string;
  table: string[];
  path: string[];
  /** rewrite: `from` no longer admits the new version, `to` does; keep: it still does; inherited or none: nothing to change here. */
  action: 'rewrite' | 'keep' | 'inherited' | 'none';
  from?: string;
  to?: string;
  why: string;
}

export interface VersionPlan {
  components: PlannedVersion[];
  requirements: RequirementChange[];
}

/**
 * The next version of every component: the highest of its versions.toml version, its Cargo.toml
 * version and every version its crate ever had on the registry (yanked included: crates.io never
 * takes a version twice), bumped (patch by default). Then every requirement a component's crate
 * has on another component's crate, rewritten where it no longer admits the new version. Pure;
 * throws a VersionPlanError when the inputs cannot give a plan.
 */
export function planVersions(input: PlanInput): VersionPlan {
  const { order, versions, crates, used, bumps = {} } = input;
  for (const c of Object.keys(versions)) if (!order.includes(c)) throw new VersionPlanError(`versions.toml lists ${c}, which is not a component of the graph`);
  for (const c of Object.keys(bumps)) if (!order.includes(c)) throw new VersionPlanError(`cannot bump ${c}: not a component (known: ${order.join(', ')})`);
  const planned = new Map<string, PlannedVersion & { next: Version }>();
  const componentOfCrate = new Map<string, string>();
  for (const component of order) {
    const entry = versions[component];
    if (!entry) throw new VersionPlanError(`${component} has no entry in versions.toml (\`check\` lists what is missing)`);
    const manifest = crates[component];
    if (!manifest) throw new VersionPlanError(`${component}: its crate's Cargo.toml was not read`);
    if (manifest.versionFromWorkspace)
      throw new VersionPlanError(`${component}: ${manifest.file}: version.workspace = true: the crate takes its version from its workspace; a version plan needs a version of its own in [package]`);
    if (!manifest.name) throw new VersionPlanError(`${component}: ${manifest.file} has no [package] name`);
    const other = componentOfCrate.get(manifest.name);
    if (other) throw new VersionPlanError(`${component} and ${other} are both crate ${manifest.name}`);
    componentOfCrate.set(manifest.name, component);
    const row = planOne(component, manifest.name, entry.version, manifest, used[manifest.name] ?? [], bumps[component] ?? 'patch');
    planned.set(component, row);
  }
  const requirements: RequirementChange[] = [];
  for (const component of order) {
    const manifest = crates[component]!;
    for (const site of manifest.requirements) {
      const upstream = componentOfCrate.get(site.crate);
      if (upstream === undefined || upstream === component) continue;
      requirements.push(requirementChange(component, manifest.name!, manifest.file, upstream, planned.get(upstream)!, site));
    }
  }
  return { components: order.map((c) => { const { next: _, ...row } = planned.get(c)!; return row; }), requirements };
}

function planOne(
  component: string,
  crate: string,
  current: string,
  manifest: Pick<CrateManifest, 'file' | 'version'>,
  published: readonly PublishedVersion[],
  bump: Bump,
): PlannedVersion & { next: Version } {
  const listed = parseVersion(current);
  if (!listed) throw new VersionPlanError(`versions.toml: ${component}: "${current}" is not a version`);
  const own = manifest.version === undefined ? undefined : parseVersion(manifest.version);
  if (manifest.version !== undefined && !own) throw new VersionPlanError(`${component}: ${manifest.file}: [package] version "${manifest.version.slice(0, 80)}" is not a version`);
  const seen = published.map((p) => {
    const v = parseVersion(p.version);
    if (!v) throw new VersionPlanError(`${component}: the registry lists version "${p.version.slice(0, 80)}" of ${crate}, which is not a version`);
    return { ...p, v };
  });
  const highest = seen.reduce<(typeof seen)[number] | undefined>((m, p) => (!m || compareVersions(p.v, m.v) > 0 ? p : m), undefined);

  // The base is the highest of the three; on a tie the registry explains it best, then Cargo.toml.
  let base = listed;
  let source = 'versions.toml';
  if (own && compareVersions(own, base) > 0) [base, source] = [own, `its Cargo.toml`];
  if (highest && compareVersions(highest.v, base) >= 0) [base, source] = [highest.v, `the highest on the registry${highest.yanked ? ', yanked' : ''}`];
  const next = bumpVersion(base, bump);
  // Never a version the registry has had: by construction next is above them all; a broken input must not slip through.
  const clash = seen.find((p) => compareVersions(p.v, next) === 0);
  if (clash) throw new Error(`${component}: planned ${formatVersion(next)}, which ${crate} already had on the registry`);

  const breaking = !compatible(next, base);
  const label = bump === 'patch' ? 'patch' : bump === 'minor' ? (base.major === 0 ? 'minor (breaking under 0.x)' : 'minor') : 'major (breaking)';
  const notes: string[] = [];
  if (seen.length === 0) notes.push('never published');
  const yanked = seen.filter((p) => p.yanked && compareVersions(p.v, listed) > 0 && p !== highest).map((p) => p.version);
  if (yanked.length) notes.push(`yanked ${yanked.slice(0, 3).join(', ')}${yanked.length > 3 ? ', …' : ''} still used`);
  if (own && manifest.version !== current && source !== `its Cargo.toml`) notes.push(`its Cargo.toml says ${manifest.version}`);
  const why = `${label} after ${formatVersion(base)} (${source})${notes.length ? `; ${notes.join('; ')}` : ''}`;
  return { component, crate, from: current, to: formatVersion(next), bump, breaking, why, next };
}

function requirementChange(
  component: string,
  crate: string,
  file: string,
  upstream: string,
  target: PlannedVersion & { next: Version },
  site: RequirementSite,
): RequirementChange {
  const base = { component, crate, file, upstream, dependency: site.crate, key: site.key, table: site.table, path: site.path };
  const decided = requirementAction(site, target.next);
  if (decided.action === 'invalid') throw new VersionPlanError(`${component}: ${file}: ${tableHeader(site.table)} ${site.key}: ${decided.why}`);
  if (decided.action === 'keep') return { ...base, ...decided };
  if (decided.action !== 'rewrite') return { ...base, action: decided.action, why: decided.why };
  return { ...base, ...decided, why: `${decided.why}${target.breaking ? ` (${target.bump}, breaking)` : ''}` };
}
