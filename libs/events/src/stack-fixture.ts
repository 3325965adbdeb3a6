import { type Component, type ComponentGraph, toComponent, topologicalOrder } from '@bllvm/manifest';

/** Tests only: a stack of components as readStack would give it, from id → repository, dependencies and names. */
export interface FixtureComponent {
  repo: string;
  deps: string[];
  crate?: string;
  former?: string[];
}

export function fixtureStack(spec: Record<string, FixtureComponent>, commit = '0'.repeat(40)): Component[] {
  const dependencies = Object.fromEntries(Object.entries(spec).map(([id, s]) => [id, [...s.deps].sort()]));
  const graph: ComponentGraph = {
    components: topologicalOrder(dependencies),
    dependencies,
    roots: Object.fromEntries(Object.keys(spec).map((id) => [id, `apps/${id}`])),
    tags: {},
  };
  return graph.components.map((id) => {
    const s = spec[id]!;
    return toComponent('/ws', graph, id, {
      repository: s.repo.includes('/') ? s.repo : `BTCDecoded/${s.repo}`,
      branch: 'main',
      commit,
      ...(s.crate ? { crate: s.crate } : {}),
      ...(s.former ? { formerNames: s.former } : {}),
    });
  });
}
