import { describe, expect, it } from 'vitest';
import type { DevelopSet } from '@bllvm/crates';
import type { ReleasePlan } from '@bllvm/release';
import { notesCrates } from './notes-crates';

const develop: DevelopSet = {
  schema: 1,
  kind: 'develop',
  registry: 'sparse+http://127.0.0.1:1/index/',
  crates: [
    { component: 'consensus', crate: 'blvm-consensus', version: '0.1.5-dev.3' },
    { component: 'retired', crate: 'blvm-retired', version: '0.1.0-dev.1' },
    { component: 'node', crate: 'blvm-node', version: '0.1.1-dev.1' },
  ],
};

const plan = (kind: ReleasePlan['kind'], packaged: boolean) =>
  ({
    kind,
    components: ['consensus', 'node'].map((name) => ({ name, ...(packaged ? { crate: { record: { crate: `blvm-${name}`, version: '0.2.0' }, path: '' } } : {}) })),
  }) as unknown as Pick<ReleasePlan, 'kind' | 'components'>;

describe('notesCrates', () => {
  it('names the packaged crates first: they are what is uploaded', () => {
    expect(notesCrates(plan('nightly', true), develop)).toEqual([
      { component: 'consensus', crate: 'blvm-consensus', version: '0.2.0' },
      { component: 'node', crate: 'blvm-node', version: '0.2.0' },
    ]);
  });

  it('else a nightly names the develop set, for the components it ships', () => {
    expect(notesCrates(plan('nightly', false), develop)).toEqual([develop.crates[0], develop.crates[2]]);
  });

  it('names none for an official release without packaged crates, or a nightly without a develop set', () => {
    expect(notesCrates(plan('release', false), develop)).toBeUndefined();
    expect(notesCrates(plan('nightly', false), undefined)).toBeUndefined();
  });
});
