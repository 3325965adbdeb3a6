import { describe, expect, it } from 'vitest';
import { containmentKey } from './containment-marker';

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
