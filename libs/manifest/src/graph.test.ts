import { describe, expect, it } from 'vitest';
import { checkVersionsAgainstGraph } from './consistency';
import { type ComponentGraph, topologicalOrder, upstreamOf, withDependents } from './graph';
import { parseVersions } from './versions';

const deps = {
  'bllvm-consensus': [],
  'bllvm-protocol': ['bllvm-consensus'],
  'bllvm-node': ['bllvm-protocol'],
  bllvm: ['bllvm-node'],
  'bllvm-sdk': ['bllvm-node'],
  'governance-app': ['bllvm-protocol', 'bllvm-sdk'],
};
const graph: ComponentGraph = {
  components: topologicalOrder(deps),
  dependencies: deps,
  roots: Object.fromEntries(Object.keys(deps).map((c) => [c, `apps/${c}`])),
  tags: {},
};

describe('the component graph', () => {
  it('orders dependencies first', () => {
    expect(graph.components).toEqual(['bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm', 'bllvm-sdk', 'governance-app']);
  });

  it('selects a component with its transitive dependents', () => {
    expect(withDependents(graph, ['bllvm-protocol'])).toEqual(['bllvm-protocol', 'bllvm-node', 'bllvm', 'bllvm-sdk', 'governance-app']);
    expect(withDependents(graph, ['governance-app'])).toEqual(['governance-app']);
    expect(withDependents(graph, [])).toEqual([]);
  });

  it('lists transitive upstreams', () => {
    expect(upstreamOf(graph, 'governance-app')).toEqual(['bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm-sdk']);
    expect(upstreamOf(graph, 'bllvm-consensus')).toEqual([]);
  });

  it('names a cycle and an undefined dependency', () => {
    expect(() => topologicalOrder({ a: ['b'], b: ['c'], c: ['a'] })).toThrow(/dependency cycle: a -> b -> c -> a/);
    expect(() => topologicalOrder({ a: ['ghost'] })).toThrow(/"a" depends on undefined component "ghost"/);
  });
});

describe('versions.toml against the graph', () => {
  const entry = (name: string, requires: string[]) =>
    `${name} = { version = "0.1.0", git_tag = "v0.1.0"${requires.length ? `, requires = [${requires.map((r) => `"${r}=0.1.0"`).join(', ')}]` : ''} }`;
  const file = (overrides: Record<string, string[]> = {}, drop: string[] = []) =>
    parseVersions(
      ['[versions]', ...Object.entries({ ...deps, ...overrides }).filter(([n]) => !drop.includes(n)).map(([n, r]) => entry(n, r))].join('\n'),
      'versions.toml',
    );

  it('agrees when requires equal the declared edges', () => {
    expect(checkVersionsAgainstGraph(graph, file())).toEqual([]);
  });

  it('lists every disagreement, one per line: the real org\'s drift', () => {
    // The org's own file: sdk requiring nothing, governance-app only the sdk.
    const problems = checkVersionsAgainstGraph(graph, file({ 'bllvm-sdk': [], 'governance-app': ['bllvm-sdk'] }, ['bllvm']));
    expect([...problems].sort()).toEqual([
      'versions.toml: component "bllvm" has no [versions] entry',
      'versions.toml: versions.bllvm-sdk.requires is missing "bllvm-node" (declared in apps/bllvm-sdk/project.json)',
      'versions.toml: versions.governance-app.requires is missing "bllvm-protocol" (declared in apps/governance-app/project.json)',
    ]);
  });

  it('flags a requires edge the graph does not have, and an entry that is not a component', () => {
    const v = parseVersions(['[versions]', ...Object.entries(deps).map(([n, r]) => entry(n, n === 'bllvm' ? [...r, 'bllvm-consensus'] : r)), entry('bllvm-wallet', [])].join('\n'), 'versions.toml');
    expect(checkVersionsAgainstGraph(graph, v)).toEqual([
      'versions.toml: versions.bllvm.requires lists "bllvm-consensus", which apps/bllvm/project.json does not depend on',
      'versions.toml: versions.bllvm-wallet is not a component of this workspace',
    ]);
  });
});
