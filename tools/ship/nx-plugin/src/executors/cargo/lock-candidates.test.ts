import { describe, expect, it } from 'vitest';
import { lockCandidates } from './lock-candidates';

describe('lockCandidates', () => {
  it('looks from the crate folder up to the repository root, as cargo finds a workspace lock', () => {
    expect(lockCandidates('.')).toEqual(['Cargo.lock']);
    expect(lockCandidates('crates/app')).toEqual(['crates/app/Cargo.lock', 'crates/Cargo.lock', 'Cargo.lock']);
  });
});
