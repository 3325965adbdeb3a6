import { posix } from 'node:path';

/**
 * What `cargo metadata --no-deps --format-version 1` says about the packages of one checkout, the
 * fields the graph is derived from. Cargo has already applied workspace inheritance, `package =`
 * renames and the implicit features of optional dependencies; paths are the sandbox's (/src/<folder>/…).
 */
export interface MetadataDependency {
  /** The package depended on (after `package =`). */
  name: string;
  /** The key in the manifest when it differs from the package name. */
  rename?: string | null;
  kind: 'dev' | 'build' | null;
  optional: boolean;
  target?: string | null;
  /** Set for a path dependency: where cargo resolved it. */
  path?: string;
}
export interface MetadataPackage {
  name: string;
  manifest_path: string;
  features: Record<string, string[]>;
  targets: { name: string; kind: string[] }[];
  dependencies: MetadataDependency[];
}
export interface PackageMetadata {
  packages: MetadataPackage[];
  workspace_root: string;
}

/** One checkout's facts at one commit: cargo's view of its packages, and the [patch] paths of its workspace root manifest (which cargo metadata does not report). */
export interface CrateFacts {
  meta: PackageMetadata;
  /** Each `[patch.<registry>]` entry with a path, resolved to a sandbox path. */
  patches: { key: string; path: string }[];
}

export interface ComponentFacts {
  id: string;
  repository: string;
  /** The checkout's folder: the sandbox mounts it at /src/<folder>. */
  checkoutFolder: string;
  crate: { dir: string; name?: string };
  commit: string;
  facts: CrateFacts;
  /** The names its pin says it had (former-names): a sibling folder of such a name is this component's, at another commit. */
  formerNames?: readonly string[];
}

export type EdgeKind = 'normal' | 'build' | 'dev';
export interface StackEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** The manifest entry behind it, for people: `dependencies.primitives (package blvm-primitives)`. */
  via: string;
}

export interface DerivedGraph {
  /** component → upstreams it builds against (normal and build dependencies, default-enabled optional ones): implicitDependencies. */
  build: Record<string, string[]>;
  /** component → upstreams only its tests use: dev-dependencies and their own upstreams, less what `build` reaches. */
  test: Record<string, string[]>;
  edges: StackEdge[];
  /** Every problem of every component, one line each; the graph is not to be trusted while there are any. */
  problems: string[];
}

export const SANDBOX_SOURCES = '/src';

/**
 * The command that adds a repository (`owner/name`) to the stack, as a person runs it from a
 * checkout (`npm run cli -- …`). When a component's lineage already has the name (an id, a
 * repository, a crate or a former name of it), the command maps the repository onto that
 * component: a plain `import owner/name` could otherwise add a second component for one crate.
 */
export const importCommand = (repository: string, component?: string) => `npm run cli -- import ${repository}${component ? `=${component}` : ''}`;

/** The component whose lineage has `name` (case ignored), among components by their names. Pure. */
export function componentOfLineage(components: readonly Pick<ComponentFacts, 'id' | 'repository' | 'checkoutFolder' | 'crate' | 'formerNames'>[], name: string): string | undefined {
  const want = name.toLowerCase();
  const names = (c: (typeof components)[number]) =>
    [c.id, c.repository.slice(c.repository.indexOf('/') + 1), c.checkoutFolder, ...(c.crate.name ? [c.crate.name] : []), ...(c.formerNames ?? [])].map((n) => n.toLowerCase());
  return components.find((c) => names(c).includes(want))?.id;
}

/**
 * The dependency keys that the `default` feature enables: `dep:x` and `x/f` enable x, `x?/f` does
 * not, a feature enables what its features enable. Cargo lists an optional dependency's implicit
 * feature (`x = ["dep:x"]`) in metadata, so following features reaches it. Pure.
 */
export function defaultEnabledDependencies(features: Readonly<Record<string, readonly string[]>>): Set<string> {
  const enabled = new Set<string>();
  const seen = new Set<string>();
  const visit = (feature: string) => {
    if (seen.has(feature) || !Object.hasOwn(features, feature)) return;
    seen.add(feature);
    for (const item of features[feature]!) {
      if (item.startsWith('dep:')) enabled.add(item.slice(4));
      else if (item.includes('/')) {
        const head = item.slice(0, item.indexOf('/'));
        if (head.endsWith('?')) continue; // weak: enables the feature only if something else enables the dependency
        enabled.add(head);
        visit(head);
      } else visit(item);
    }
  };
  visit('default');
  return enabled;
}

/** The package a component builds: the one whose manifest is in its crate folder (or, failing that, the pin's crate name). */
export function ownPackage(c: ComponentFacts): MetadataPackage | undefined {
  const manifest = posix.join(SANDBOX_SOURCES, c.checkoutFolder, c.crate.dir, 'Cargo.toml');
  return c.facts.meta.packages.find((p) => p.manifest_path === manifest) ?? c.facts.meta.packages.find((p) => p.name === c.crate.name);
}

/** The checkout folder a sandbox path lies in, or undefined when it is outside /src. */
function folderOf(path: string): string | undefined {
  const parts = posix.normalize(path).split('/');
  return parts[1] === SANDBOX_SOURCES.slice(1) && parts[2] ? parts[2] : undefined;
}

const describe = (d: MetadataDependency) => {
  const table = d.kind === null ? 'dependencies' : `${d.kind}-dependencies`;
  const key = d.rename ?? d.name;
  return `${d.target ? `target.'${d.target}'.` : ''}${table}.${key}${d.rename ? ` (package ${d.name})` : ''}${d.optional ? ' (optional, on by default)' : ''}`;
};

/**
 * The stack's edges from every component's pinned manifests, and every problem found on the way,
 * for all components at once. A package name is a component's when it is any package of that
 * component's checkout, or the crate name its pin gives. Dependencies on other packages of the
 * component's own checkout are followed (a workspace's internal crate may pull in an upstream).
 * `[patch]` entries make no edge, but every path a manifest names must be a component's checkout. Pure.
 */
export function deriveStackGraph(components: readonly ComponentFacts[], unreadFolders: readonly string[] = []): DerivedGraph {
  const problems: string[] = [];
  const owner = new Map<string, string>();
  for (const c of components) {
    const names = new Set([...c.facts.meta.packages.map((p) => p.name), ...(c.crate.name ? [c.crate.name] : [])]);
    for (const name of names) {
      const other = owner.get(name);
      if (other !== undefined && other !== c.id) problems.push(`${c.id}@${c.commit.slice(0, 7)}: package "${name}" is also a package of ${other}; a package name must belong to one component`);
      else owner.set(name, c.id);
    }
  }
  // Components whose manifests could not be read still own their folder (their own problem is reported).
  const folders = new Set([...components.map((c) => c.checkoutFolder), ...unreadFolders]);
  const edges: StackEdge[] = [];
  for (const c of components) {
    const at = `${c.id}@${c.commit.slice(0, 7)}`;
    const own = ownPackage(c);
    if (!own) {
      problems.push(
        `${at}: ${posix.join(c.checkoutFolder, c.crate.dir, 'Cargo.toml')}: package.name: not a crate manifest: cargo finds no package in ${c.crate.dir === '.' ? 'the root' : `"${c.crate.dir}"`} of ${c.repository}${c.crate.name ? ` and none named "${c.crate.name}"` : ''}; set crate / crate-dir in its pin.toml to the crate's folder at this commit`,
      );
      continue;
    }
    // A sibling folder is named after its repository, most likely of the same owner.
    const org = c.repository.split('/')[0]!;
    const checkPath = (where: string, path: string) => {
      const folder = folderOf(path);
      if (folder === undefined) problems.push(`${at}: ${where} points outside the stack's checkouts (${path})`);
      else if (!folders.has(folder)) {
        const existing = componentOfLineage(components, folder);
        problems.push(
          `${at}: ${where} points at the sibling folder "${folder}", which is no component's checkout; ` +
            (existing
              ? `"${folder}" is a name of component ${existing}: pin it to ${org}/${folder} with \`${importCommand(`${org}/${folder}`, existing)}\`, or move ${c.id}'s pin to a commit that uses the current folder`
              : `add ${org}/${folder} with \`${importCommand(`${org}/${folder}`)}\``),
        );
      }
    };
    for (const p of c.facts.meta.packages) for (const d of p.dependencies) if (d.path !== undefined) checkPath(`${p.name}'s ${describe(d)}`, d.path);
    for (const p of c.facts.patches) checkPath(p.key, p.path);
    // Walk from the component's package through the enabled dependencies on its own checkout's packages.
    const byName = new Map(c.facts.meta.packages.map((p) => [p.name, p]));
    const queue: { pkg: MetadataPackage; kind: EdgeKind; through: string }[] = [{ pkg: own, kind: 'normal', through: '' }];
    const visited = new Set<string>();
    while (queue.length) {
      const { pkg, kind, through } = queue.shift()!;
      const key = `${pkg.name}:${kind}`;
      if (visited.has(key)) continue;
      visited.add(key);
      const enabled = defaultEnabledDependencies(pkg.features);
      for (const d of pkg.dependencies) {
        if (d.kind === 'dev' && pkg !== own) continue; // an internal crate's tests are not ours
        if (d.optional && !enabled.has(d.rename ?? d.name)) continue;
        // Reached through a dev-dependency: for tests only; through a build-dependency: for the build script.
        const edgeKind: EdgeKind = kind === 'dev' || d.kind === 'dev' ? 'dev' : kind === 'build' || d.kind === 'build' ? 'build' : 'normal';
        const to = owner.get(d.name);
        if (to === c.id) {
          const inner = byName.get(d.name);
          if (inner && inner !== own) queue.push({ pkg: inner, kind: edgeKind, through: `${through}${pkg === own ? '' : `${pkg.name} → `}${describe(d)} → ` });
        } else if (to !== undefined) edges.push({ from: c.id, to, kind: edgeKind, via: `${through}${describe(d)}` });
      }
    }
  }
  const build: Record<string, string[]> = {};
  for (const c of components) build[c.id] = [...new Set(edges.filter((e) => e.from === c.id && e.kind !== 'dev').map((e) => e.to))].sort();
  const upstream = (ids: Iterable<string>): Set<string> => {
    const seen = new Set<string>();
    const visit = (id: string) => {
      for (const d of build[id] ?? []) if (!seen.has(d)) visit(seen.add(d) && d);
    };
    for (const id of ids) visit(id);
    return seen;
  };
  // A test compiles its dev upstreams at their pins, with their own upstreams: all of those
  // pins are test inputs, except what the build's own (transitive) upstreams already cover.
  const test: Record<string, string[]> = {};
  for (const c of components) {
    const dev = new Set(edges.filter((e) => e.from === c.id && e.kind === 'dev').map((e) => e.to));
    const covered = upstream([c.id]);
    test[c.id] = [...new Set([...dev, ...upstream(dev)])].filter((d) => d !== c.id && !covered.has(d)).sort();
  }
  return { build, test, edges, problems: [...new Set(problems)] };
}
