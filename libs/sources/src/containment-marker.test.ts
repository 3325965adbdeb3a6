import { describe, expect, it } from 'vitest';
import { checkoutPassHolds, containmentKey, parseCheckoutPass } from './containment-marker';

const c = (folder: string, commit = 'a'.repeat(40), crateDir = '.') => ({ component: folder, dir: `/w/sources/${folder}`, crateDir, commit });

describe('containmentKey', () => {
  it('is the set: the order of the checkouts does not matter', () => {
    expect(containmentKey([c('x'), c('y')])).toBe(containmentKey([c('y'), c('x')]));
  });
  it('changes with any commit, crate folder, checkout folder, or a checkout added', () => {
    const base = containmentKey([c('x'), c('y')]);
    for (const other of [[c('x', 'b'.repeat(40)), c('y')], [c('x', undefined, 'sub'), c('y')], [c('x'), c('z')], [c('x'), c('y'), c('z')], [c('x')]])
      expect(containmentKey(other)).not.toBe(base);
  });
});

describe('a checkout pass kept on its own', () => {
  const A = 'a'.repeat(40);
  const B = 'b'.repeat(40);
  const pass = { mounted: { node: A, protocol: B } };
  const current = (rows: Record<string, string>) => new Map(Object.entries(rows));

  it('holds in a larger set holding what its probe mounted at the same commits', () => {
    expect(checkoutPassHolds(pass, current({ node: A, protocol: B, sdk: A }), ['node', 'protocol'])).toBe(true);
  });
  it('does not hold when a mounted checkout is at another commit or missing', () => {
    expect(checkoutPassHolds(pass, current({ node: A, protocol: A }), ['node', 'protocol'])).toBe(false);
    expect(checkoutPassHolds(pass, current({ node: A }), ['node'])).toBe(false);
  });
  it('does not hold when its manifests now reach a sibling the probe did not mount (it would be read now)', () => {
    expect(checkoutPassHolds(pass, current({ node: A, protocol: B, leaf: A }), ['node', 'protocol', 'leaf'])).toBe(false);
  });
  it('does not hold without a recorded pass', () => {
    expect(checkoutPassHolds(undefined, current({ node: A }), ['node'])).toBe(false);
  });
  it('reads a recorded pass field by field: anything torn, empty or odd is no pass', () => {
    expect(parseCheckoutPass(JSON.stringify(pass))).toEqual(pass);
    for (const text of ['', '{', 'null', '[]', '{"mounted":{}}', '{"mounted":[]}', `{"mounted":{"node":"${A.slice(1)}"}}`, `{"mounted":{"../x":"${A}"}}`, `{"mounted":{"..":"${A}"}}`, `{"mounted":{"node":7}}`])
      expect(parseCheckoutPass(text), text).toBeUndefined();
  });
});
