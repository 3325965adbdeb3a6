import { describe, expect, it } from 'vitest';
import type { BuildRecord } from '@bllvm/manifest';
import { planInput } from './stage';

describe('dry-run plan', () => {
  it('lists the components in graph order at their pinned commits and built versions, and the staged files', () => {
    const record = (version: string) => ({ version }) as BuildRecord;
    const components = [
      { name: 'a', commit: 'a'.repeat(40), buildRecord: record('1.0.0') },
      { name: 'b', commit: 'b'.repeat(40), buildRecord: record('2.0.0') },
    ] as never;
    expect(planInput({ tag: 'v2.0.0', components, previous: { commit: 'c'.repeat(40), tag: 'v1.0.0' } }, [{ name: 'SHA256SUMS' }])).toEqual({
      tag: 'v2.0.0',
      previousTag: 'v1.0.0',
      components: [
        { component: 'a', commit: 'a'.repeat(40), version: '1.0.0' },
        { component: 'b', commit: 'b'.repeat(40), version: '2.0.0' },
      ],
      files: ['SHA256SUMS'],
    });
    expect(planInput({ tag: 'v2.0.0', components }, []).previousTag).toBeUndefined();
  });
});
