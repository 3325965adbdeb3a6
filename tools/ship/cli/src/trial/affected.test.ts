import { describe, expect, it } from 'vitest';
import { affectedGraph } from './affected';

const graph = {
  components: ['consensus', 'protocol', 'node', 'bllvm', 'sdk', 'app', 'other'],
  dependencies: { consensus: [], protocol: ['consensus'], node: ['protocol'], bllvm: ['node'], sdk: ['node'], app: ['protocol', 'sdk'], other: [] },
};

describe('the part of the stack a trial builds', () => {
  it('the component and everything downstream, with the edges between them', () => {
    expect(affectedGraph(graph, 'node')).toEqual({ nodes: ['node', 'bllvm', 'sdk', 'app'], edges: [['node', 'bllvm'], ['node', 'sdk'], ['sdk', 'app']] });
    expect(affectedGraph(graph, 'protocol').edges).toEqual([['protocol', 'node'], ['node', 'bllvm'], ['node', 'sdk'], ['protocol', 'app'], ['sdk', 'app']]);
  });

  it('a leaf alone', () => {
    expect(affectedGraph(graph, 'bllvm')).toEqual({ nodes: ['bllvm'], edges: [] });
    expect(affectedGraph(graph, 'other')).toEqual({ nodes: ['other'], edges: [] });
  });

  it('a component whose tests use it is downstream too, wherever it is in graph order', () => {
    const g = { ...graph, testUpstreams: { consensus: ['bllvm'] } };
    expect(affectedGraph(g, 'bllvm')).toEqual({ nodes: ['consensus', 'protocol', 'node', 'bllvm', 'sdk', 'app'], edges: expect.arrayContaining([['bllvm', 'consensus'], ['consensus', 'protocol']]) });
  });
});
