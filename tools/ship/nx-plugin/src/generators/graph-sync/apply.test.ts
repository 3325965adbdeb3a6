import { readJson, writeJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { describe, expect, it } from 'vitest';
import { TEST_INPUTS } from '@bllvm/manifest';
import { applyDerivedGraph } from './apply';

const comps = [{ id: 'a', projectRoot: 'apps/a' }];

describe('applyDerivedGraph', () => {
  it('names a dev upstream in the inferred test target, writing the target into a project.json that had none, and drops it again', () => {
    const tree = createTreeWithEmptyWorkspace();
    writeJson(tree, 'apps/a/project.json', { name: 'a', tags: ['component', 'kind:library'], implicitDependencies: [] });
    const lines = applyDerivedGraph(tree, comps, { build: {}, test: { a: ['m'] }, edges: [{ from: 'a', to: 'm', via: 'dev-dependencies.m', kind: 'dev' }] });
    expect(lines).toEqual(['apps/a/project.json: test inputs name dev upstreams none → m (dev-dependencies.m)']);
    expect(readJson(tree, 'apps/a/project.json').targets).toEqual({ test: { inputs: [...TEST_INPUTS, { input: 'pin', projects: ['m'] }] } });
    expect(applyDerivedGraph(tree, comps, { build: {}, test: {}, edges: [] })).toHaveLength(1);
    expect(readJson(tree, 'apps/a/project.json').targets).toBeUndefined();
    expect(applyDerivedGraph(tree, comps, { build: {}, test: {}, edges: [] })).toEqual([]);
  });
});
