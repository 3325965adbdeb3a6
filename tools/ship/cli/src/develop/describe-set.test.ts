import { describe, expect, it } from 'vitest';
import { describeSet } from './run-develop';

const crate = (i: number) => ({ component: `c${i}`, crate: `blvm-c${i}`, version: `0.1.${i}-dev.2` });

describe('the develop set as a commit subject names it', () => {
  it('lists up to four crates, then says how many more', () => {
    expect(describeSet({ crates: [crate(1), crate(2)] })).toBe('blvm-c1 0.1.1-dev.2, blvm-c2 0.1.2-dev.2');
    expect(describeSet({ crates: [1, 2, 3, 4].map(crate) })).toBe('blvm-c1 0.1.1-dev.2, blvm-c2 0.1.2-dev.2, blvm-c3 0.1.3-dev.2, blvm-c4 0.1.4-dev.2');
    expect(describeSet({ crates: [1, 2, 3, 4, 5, 6].map(crate) })).toBe('blvm-c1 0.1.1-dev.2, blvm-c2 0.1.2-dev.2, blvm-c3 0.1.3-dev.2 and 3 more');
  });
});
