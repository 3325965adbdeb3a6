import { describe, expect, it } from 'vitest';
import { type ComponentGraph, topologicalOrder, upstreamOf, withDependents } from './graph';

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
