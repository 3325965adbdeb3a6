import { describe, expect, it } from 'vitest';
import type { ApiChange, ApiComparison } from '@bllvm/crates';
import type { ComponentGraph } from '@bllvm/manifest';
import { apiRefusals, describeChecks, librariesToCompare } from './api-check';

const graph: ComponentGraph = {
  components: ['cons', 'proto', 'app'],
  dependencies: { cons: [], proto: ['cons'], app: ['proto'] },
  roots: { cons: 'apps/cons', proto: 'apps/proto', app: 'apps/app' },
  tags: { cons: ['component', 'kind:library'], proto: ['component', 'kind:library'], app: ['component', 'kind:binary'] },
};
const change = (line: string): ApiChange => ({ path: 'cons::f', kind: 'function', change: 'removed', line });
const breaking: ApiComparison = { classification: 'breaking', breaking: [change('removed fn cons::check'), change('changed fn cons::f: fn f(u8) → fn f(u16)')], additive: [] };
const additive: ApiComparison = { classification: 'additive', breaking: [], additive: [change('added fn cons::g')] };

describe('version --check-api', () => {
  it('compares only libraries whose pin moved since the base', () => {
    expect(librariesToCompare(graph, { cons: 'a', proto: 'b', app: 'c' }, { cons: 'a2', proto: 'b', app: 'c2' })).toEqual(['cons']);
    expect(librariesToCompare(graph, { cons: undefined, proto: 'b' }, { cons: 'a', proto: 'b2' })).toEqual(['proto']);
  });

  it('refuses a patch under 0.x of a breaking change, naming each item; a minor bump or an additive change passes', () => {
    const [refusal, ...more] = apiRefusals([{ component: 'cons', crate: 'bllvm-consensus', from: '0.1.0', to: '0.1.1' }], [{ component: 'cons', comparison: breaking }]);
    expect(more).toEqual([]);
    expect(refusal!.split('\n')).toEqual([
      'bllvm-consensus 0.1.0 → 0.1.1 keeps cargo-compatible versions, but its public API has 2 breaking changes: it needs at least a minor bump',
      '  - removed fn cons::check',
      '  - changed fn cons::f: fn f(u8) → fn f(u16)',
    ]);
    expect(apiRefusals([{ component: 'cons', crate: 'bllvm-consensus', from: '0.1.0', to: '0.2.0' }], [{ component: 'cons', comparison: breaking }])).toEqual([]);
    expect(apiRefusals([{ component: 'cons', crate: 'bllvm-consensus', from: '0.1.0', to: '0.1.1' }], [{ component: 'cons', comparison: additive }])).toEqual([]);
    expect(apiRefusals([{ component: 'cons', crate: 'bllvm-consensus', from: '0.1.0', to: '0.1.1' }], [{ component: 'cons', problem: 'cons:api failed' }])).toEqual([]);
  });

  it('says what it compared, and what it could not', () => {
    expect(describeChecks([], 'last-release')).toEqual(['public API: no library\'s pin moved since last-release']);
    expect(describeChecks([{ component: 'cons', comparison: breaking }, { component: 'proto', problem: 'now: proto:api failed' }], 'HEAD~1')).toEqual([
      'public API of cons since HEAD~1: breaking (2 breaking, 0 additive)',
      'public API of proto: not compared (now: proto:api failed)',
    ]);
  });
});
