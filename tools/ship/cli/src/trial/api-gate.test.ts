import { describe, expect, it } from 'vitest';
import type { ApiChange, PublicApi } from '@bllvm/crates';
import { apiVerdict, gateVerdict } from './api-gate';

const change = (path: string, line: string): ApiChange => ({ path, kind: 'function', change: 'removed', line });
const empty = { items: [] } as unknown as PublicApi;

describe('the trial\'s compatibility gate', () => {
  it('carries the classification and every change, breaking first, each line bounded', () => {
    const long = `fn x::f(${'u8, '.repeat(400)})`;
    const v = apiVerdict({ classification: 'breaking', breaking: [change('x::gone', 'removed fn x::gone'), change('x::f', long)], additive: [change('x::new', 'added fn x::new')] });
    expect(v.classification).toBe('breaking');
    expect(v.items.map((i) => i.slice(0, 20))).toEqual(['removed fn x::gone', long.slice(0, 20), 'added fn x::new']);
    expect(v.items[1]).toHaveLength(500);
  });

  it('keeps at most 200 changes', () => {
    const many = Array.from({ length: 250 }, (_, i) => change(`x::f${i}`, `added fn x::f${i}`));
    expect(apiVerdict({ classification: 'additive', breaking: [], additive: many }).items).toHaveLength(200);
  });

  it('says which side had no API instead of guessing a verdict', () => {
    expect(gateVerdict({ problem: 'bllvm-consensus:api failed' }, { api: empty })).toEqual({ problem: 'no API at the pin: bllvm-consensus:api failed' });
    expect(gateVerdict({ api: empty }, { problem: 'bllvm-consensus:api skipped' })).toEqual({ problem: 'no API at the head: bllvm-consensus:api skipped' });
  });
});
