import { describe, expect, it } from 'vitest';
import { officialTagOf } from './official-tag';

const entry = (version: string) => ({ version });

describe('officialTagOf', () => {
  it('is vX.Y.Z of the highest version in versions.toml', () => {
    expect(officialTagOf({ entries: { a: entry('0.1.0'), b: entry('0.10.0'), c: entry('0.9.9') } })).toBe('v0.10.0');
  });
});
