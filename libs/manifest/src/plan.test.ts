import { describe, expect, it } from 'vitest';
import type { ComponentGraph } from './graph';
import { explainAffected } from './plan';

const graph: ComponentGraph = {
  components: ['muhash', 'consensus', 'protocol'],
  dependencies: { muhash: [], consensus: [], protocol: ['consensus'] },
  roots: { muhash: 'apps/muhash', consensus: 'apps/consensus', protocol: 'apps/protocol' },
  tags: {},
  testUpstreams: { muhash: [], consensus: ['muhash'], protocol: [] },
};

describe('explainAffected', () => {
  it('says which unchanged components re-run their tests because a dev upstream moved', () => {
    const plan = explainAffected(graph, new Set(['muhash']), ['apps/muhash/pin.toml'], { muhash: { from: 'a'.repeat(40), to: 'b'.repeat(40) } });
    expect(plan).toEqual([
      { component: 'muhash', build: true, reason: 'pin moved aaaaaaa -> bbbbbbb' },
      { component: 'consensus', build: false, reason: 'unchanged; its tests re-run: they use muhash' },
      { component: 'protocol', build: false, reason: 'unchanged' },
    ]);
  });
});
