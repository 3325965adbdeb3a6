import { describe, expect, it } from 'vitest';
import type { ComponentGraph } from './graph';
import { explainAffected, unexplained } from './plan';

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

  it('names the input that took a component nothing else explains, and the top-level files of a workspace-wide change', () => {
    const all = new Set(graph.components);
    const changed = ['tools/ship/nx-plugin/src/executors/cargo/run-cargo.ts'];
    expect(unexplained(graph, all, changed, {})).toEqual(['muhash', 'consensus']);
    const inputs = { consensus: [{ input: 'cargoExecutor', files: changed }] };
    expect(explainAffected(graph, all, changed, {}, inputs)).toEqual([
      { component: 'muhash', build: true, reason: 'workspace-wide change (nx.json, package.json or shared config)' },
      { component: 'consensus', build: true, reason: 'input cargoExecutor (tools/ship/nx-plugin/src/executors/cargo/run-cargo.ts) changed' },
      { component: 'protocol', build: true, reason: 'depends on consensus' },
    ]);
    expect(explainAffected(graph, all, ['package-lock.json', 'libs/x/y.ts'], {})[0]!.reason).toBe('workspace-wide change (package-lock.json)');
    // A component with its own change, or an affected upstream, is explained without its inputs.
    expect(unexplained(graph, all, ['apps/muhash/pin.toml'], { muhash: { from: 'a'.repeat(40), to: 'b'.repeat(40) } })).toEqual(['consensus']);
  });
});
