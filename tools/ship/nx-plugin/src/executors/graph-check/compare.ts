import { type GraphComparison, type StackEdge, compareGraph } from '@bllvm/manifest';

export interface DeclaredComponent {
  id: string;
  projectJson: string;
  /** implicitDependencies. */
  dependencies: readonly string[];
  /** The dev upstreams its test target's inputs name. */
  testUpstreams: readonly string[];
}

export interface GraphCheckFindings {
  comparison: GraphComparison;
  /** One line per finding, errors first. */
  lines: string[];
  ok: boolean;
}

/**
 * The declared graph against the derived edges, every component at once. A manifest edge the
 * declared graph does not cover (even transitively) would under-build: an error. So is a dev
 * upstream the tests would not be re-run for. Extra declared edges over-build: a warning. Pure.
 */
export function checkDeclaredGraph(declared: readonly DeclaredComponent[], edges: readonly StackEdge[], problems: readonly string[]): GraphCheckFindings {
  const deps = Object.fromEntries(declared.map((d) => [d.id, d.dependencies]));
  const actual = Object.fromEntries(
    declared.map((d) => [
      d.id,
      [...new Set(edges.filter((e) => e.from === d.id && e.kind !== 'dev').map((e) => e.to))].map((to) => ({ crate: to, kind: 'normal' as const, optional: false, enabledByDefault: true })),
    ]),
  );
  const via = (from: string, to: string, kinds: readonly string[]) => edges.filter((e) => e.from === from && e.to === to && kinds.includes(e.kind)).map((e) => e.via).join(', ');
  const raw = compareGraph(deps, actual);
  const comparison: GraphComparison = {
    missing: raw.missing.map((e) => ({ ...e, via: via(e.from, e.to, ['normal', 'build']) })),
    transitive: raw.transitive.map((e) => ({ ...e, via: via(e.from, e.to, ['normal', 'build']) })),
    extra: raw.extra,
  };
  const reach = (from: string, seen = new Set<string>()): Set<string> => {
    for (const d of deps[from] ?? []) if (!seen.has(d)) reach(d, seen.add(d));
    return seen;
  };
  const projectJson = (id: string) => declared.find((d) => d.id === id)?.projectJson ?? id;
  const untested = declared.flatMap((d) =>
    [...new Set(edges.filter((e) => e.from === d.id && e.kind === 'dev').map((e) => e.to))]
      .filter((to) => !d.testUpstreams.includes(to) && !reach(d.id).has(to))
      .map((to) => `error: ${d.id}'s tests depend on ${to} in its Cargo.toml (${via(d.id, to, ['dev'])}) but the test target in ${d.projectJson} does not name ${to}'s pin in its inputs: a change to ${to} would not re-run ${d.id}'s tests (run nx sync)`),
  );
  const lines = [
    ...problems.map((p) => `error: ${p}`),
    ...comparison.missing.map((e) => `error: ${e.from} depends on ${e.to} in its Cargo.toml (${e.via}) but ${projectJson(e.from)} does not list it in implicitDependencies: a change to ${e.to} would not rebuild ${e.from}`),
    ...untested,
    ...comparison.extra.map((e) => `warning: ${projectJson(e.from)} lists ${e.to}, but ${e.from}'s Cargo.toml does not depend on it (extra rebuilds)`),
    ...comparison.transitive.map((e) => `note: ${e.from} depends on ${e.to} directly (${e.via}); covered through the declared graph`),
  ];
  return { comparison, lines, ok: !lines.some((l) => l.startsWith('error')) };
}
