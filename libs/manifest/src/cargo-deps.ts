/**
 * The declared graph against the edges the pinned manifests have (derived from `cargo metadata`
 * in stack-edges.ts): what would under-build, what is covered through other components, what over-builds.
 */

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
