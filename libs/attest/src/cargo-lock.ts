import { parse } from 'smol-toml';

export interface LockedPackage {
  name: string;
  version: string;
  /** `registry+https://…` or `git+…`; none for a path package (a component of the stack, or the crate itself). */
  source?: string;
  checksum?: string;
  dependencies: LockedPackage[];
}

interface RawPackage {
  name: string;
  version: string;
  source?: string;
  checksum?: string;
  dependencies?: string[];
}

/**
 * The packages Cargo.lock resolves for `root` (the crate a component builds), following its
 * dependency lists. That is a superset of what one build compiles (a lock lists dev-dependencies
 * and every optional dependency), never less. Pure; throws on a lock it cannot follow.
 */
export function lockedTree(lockText: string, root: string): LockedPackage {
  const doc = parse(lockText) as { package?: RawPackage[] };
  const raw = doc.package ?? [];
  const nodes = raw.map((p): LockedPackage => {
    if (typeof p.name !== 'string' || typeof p.version !== 'string') throw new Error('Cargo.lock: a [[package]] without name or version');
    return { name: p.name, version: p.version, source: p.source, checksum: p.checksum, dependencies: [] };
  });
  // A dependency is "name", "name version" or "name version (source)": whatever makes it unique.
  const resolve = (spec: string, from: string): LockedPackage => {
    const [name, version, source] = /^(\S+)(?: (\S+))?(?: \((.+)\))?$/.exec(spec)?.slice(1) ?? [];
    const found = nodes.filter((n) => n.name === name && (version === undefined || n.version === version) && (source === undefined || n.source === source));
    if (found.length !== 1) throw new Error(`Cargo.lock: ${from} depends on "${spec}", which names ${found.length} packages`);
    return found[0]!;
  };
  raw.forEach((p, i) => {
    nodes[i]!.dependencies = (p.dependencies ?? []).map((d) => resolve(d, p.name));
  });
  const roots = nodes.filter((n) => n.name === root && n.source === undefined);
  if (roots.length !== 1) throw new Error(`Cargo.lock: no local package ${root}`);
  return roots[0]!;
}

/** Every package reachable from the root, itself excluded, each once. Pure. */
export function reachablePackages(root: LockedPackage): LockedPackage[] {
  const seen = new Set<LockedPackage>([root]);
  const out: LockedPackage[] = [];
  const stack = [...root.dependencies];
  while (stack.length) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    out.push(p);
    stack.push(...p.dependencies);
  }
  return out;
}
