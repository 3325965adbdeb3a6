import { ManifestError } from './errors';
import { isTable, parseToml } from './toml';

export type DependencyKind = 'normal' | 'dev' | 'build';

export interface SiblingDependency {
  /** The sibling crate depended on. */
  crate: string;
  kind: DependencyKind;
  /** e.g. cfg(unix) for a target-specific table. */
  target?: string;
  optional: boolean;
  /** Whether the default features turn an optional dependency on. */
  enabledByDefault: boolean;
}

const TABLES: [string, DependencyKind][] = [
  ['dependencies', 'normal'],
  ['dev-dependencies', 'dev'],
  ['dev_dependencies', 'dev'],
  ['build-dependencies', 'build'],
  ['build_dependencies', 'build'],
];

/**
 * The dependencies of a Cargo.toml on sibling crates, from every table that can pull one in:
 * normal, dev and build dependencies, target-specific ones, renamed ones (`package = "..."`),
 * and optional ones with whether default features enable them.
 */
export function siblingDependencies(text: string, file: string, siblings: readonly string[]): SiblingDependency[] {
  const doc = parseToml(text, file);
  if (!isTable(doc.package) || typeof doc.package.name !== 'string') throw new ManifestError(file, 'not a crate manifest: [package] name is missing', { field: 'package.name' });
  const defaults = defaultEnabledDeps(doc.features);
  const found: SiblingDependency[] = [];
  const scan = (table: unknown, kind: DependencyKind, target?: string) => {
    if (!isTable(table)) return;
    for (const [key, spec] of Object.entries(table)) {
      const crate = isTable(spec) && typeof spec.package === 'string' ? spec.package : key;
      if (!siblings.includes(crate)) continue;
      const optional = isTable(spec) && spec.optional === true;
      found.push({ crate, kind, target, optional, enabledByDefault: !optional || defaults.has(key) });
    }
  };
  for (const [name, kind] of TABLES) scan(doc[name], kind);
  if (isTable(doc.target))
    for (const [target, tables] of Object.entries(doc.target))
      if (isTable(tables)) for (const [name, kind] of TABLES) scan(tables[name], kind, target);
  return found;
}

/** Dependency names that the `default` feature turns on, following feature-to-feature references. */
function defaultEnabledDeps(features: unknown): Set<string> {
  const enabled = new Set<string>();
  if (!isTable(features)) return enabled;
  const seen = new Set<string>();
  const visit = (feature: string) => {
    if (seen.has(feature)) return;
    seen.add(feature);
    const items = Object.hasOwn(features, feature) ? features[feature] : undefined;
    if (!Array.isArray(items)) return;
    for (const item of items) {
      if (typeof item !== 'string') continue;
      if (item.startsWith('dep:')) enabled.add(item.slice(4));
      else if (item.includes('/')) enabled.add(item.split('/')[0]!.replace(/\?$/, ''));
      else if (Object.hasOwn(features, item)) visit(item);
      else enabled.add(item); // an optional dependency used as an implicit feature
    }
  };
  visit('default');
  return enabled;
}

export interface GraphComparison {
  /** Edges in the Cargo manifests that the declared graph lacks and does not cover transitively: it would under-build. */
  missing: { from: string; to: string; via: string }[];
  /** Direct manifest edges the declared graph covers only through other components: fine, reported for information. */
  transitive: { from: string; to: string; via: string }[];
  /** Declared edges with no manifest behind them: over-builds, a warning. */
  extra: { from: string; to: string }[];
}

export function compareGraph(
  declared: Record<string, readonly string[]>,
  actual: Record<string, SiblingDependency[]>,
): GraphComparison {
  const reach = (from: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [...(declared[from] ?? [])];
    while (stack.length) {
      const n = stack.pop()!;
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(...(declared[n] ?? []));
      }
    }
    return seen;
  };
  const result: GraphComparison = { missing: [], transitive: [], extra: [] };
  for (const [from, deps] of Object.entries(actual)) {
    const reachable = reach(from);
    const direct = new Set(declared[from] ?? []);
    const byCrate = new Map<string, SiblingDependency[]>();
    for (const d of deps) if (d.enabledByDefault || !d.optional) byCrate.set(d.crate, [...(byCrate.get(d.crate) ?? []), d]);
    for (const [to, ds] of byCrate) {
      const via = ds.map(describe).join(', ');
      if (direct.has(to)) continue;
      if (reachable.has(to)) result.transitive.push({ from, to, via });
      else result.missing.push({ from, to, via });
    }
    for (const to of direct) if (!byCrate.has(to)) result.extra.push({ from, to });
  }
  return result;
}

function describe(d: SiblingDependency): string {
  const table = d.kind === 'normal' ? 'dependencies' : `${d.kind}-dependencies`;
  return `${d.target ? `target.'${d.target}'.` : ''}${table}${d.optional ? ' (optional, on by default)' : ''}`;
}

export interface PathDependency {
  /** Key in the manifest (may be a rename). */
  name: string;
  path: string;
  /** Where it is declared, e.g. dependencies, target.'cfg(unix)'.dependencies, patch.crates-io. */
  table: string;
}

/** Every `path = "..."` a manifest points at: dependency tables of all kinds, and [patch.*]. */
export function pathDependencies(text: string, file: string): PathDependency[] {
  const doc = parseToml(text, file);
  const found: PathDependency[] = [];
  const scan = (table: unknown, where: string) => {
    if (!isTable(table)) return;
    for (const [name, spec] of Object.entries(table))
      if (isTable(spec) && typeof spec.path === 'string') found.push({ name, path: spec.path, table: where });
  };
  for (const [name] of TABLES) scan(doc[name], name);
  if (isTable(doc.target))
    for (const [target, tables] of Object.entries(doc.target))
      if (isTable(tables)) for (const [name] of TABLES) scan(tables[name], `target.'${target}'.${name}`);
  if (isTable(doc.patch)) for (const [registry, table] of Object.entries(doc.patch)) scan(table, `patch.${registry}`);
  return found;
}
