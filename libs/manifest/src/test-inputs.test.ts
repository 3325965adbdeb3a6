import { describe, expect, it } from 'vitest';
import { devUpstreamsOf, testDependents, withDevUpstreams } from './test-inputs';

const DEFAULTS = ['pin', '^pin', 'cargoExecutor', 'toolchain'];

describe('test inputs for dev upstreams', () => {
  it('adds the dev upstreams pin input beside the defaults, and reads it back', () => {
    const inputs = withDevUpstreams(undefined, DEFAULTS, ['muhash', 'bllvm-sdk']);
    expect(inputs).toEqual([...DEFAULTS, { input: 'pin', projects: ['bllvm-sdk', 'muhash'] }]);
    expect(devUpstreamsOf(inputs)).toEqual(['bllvm-sdk', 'muhash']);
  });
  it('replaces a stale list and drops it (back to the defaults) when no dev upstream is left', () => {
    const stale = [...DEFAULTS, { input: 'pin', projects: ['old'] }];
    expect(withDevUpstreams(stale, DEFAULTS, ['new'])).toEqual([...DEFAULTS, { input: 'pin', projects: ['new'] }]);
    expect(withDevUpstreams(stale, DEFAULTS, [])).toBeUndefined();
    expect(withDevUpstreams(undefined, DEFAULTS, [])).toBeUndefined();
  });
  it('keeps inputs a project set itself', () => {
    const own = ['pin', 'toolchain', { input: 'pin', projects: ['x'] }];
    expect(withDevUpstreams(own, DEFAULTS, [])).toEqual(['pin', 'toolchain']);
    expect(devUpstreamsOf(['pin', { input: 'pin', projects: ['x'], extra: 1 }])).toEqual([]);
  });
});

describe('testDependents', () => {
  it('adds the components whose tests use an affected component, and only those', () => {
    const testUpstreams = { consensus: ['muhash'], protocol: [], node: ['sdk', 'muhash'] };
    expect(testDependents(testUpstreams, new Set(['muhash']))).toEqual(['consensus', 'node']);
    expect(testDependents(testUpstreams, new Set(['muhash', 'consensus']))).toEqual(['node']);
    expect(testDependents(testUpstreams, new Set(['protocol']))).toEqual([]);
  });
});
