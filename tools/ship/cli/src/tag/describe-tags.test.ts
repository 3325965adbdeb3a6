import { describe, expect, it } from 'vitest';
import { type TagRow, describeTags } from './describe-tags';

const ROW: TagRow = {
  component: 'consensus',
  crate: 'bllvm-consensus',
  from: '0.1.0',
  version: '0.1.1',
  tag: 'v0.1.1',
  base: 'a'.repeat(40),
  commit: 'b'.repeat(40),
  files: [
    { path: 'Cargo.toml', changed: ['[package] version: "0.1.0" → "0.1.1"'] },
    { path: 'Cargo.lock', changed: ['[[package]] bllvm-consensus: "0.1.0" → "0.1.1"'] },
  ],
  leftAlone: [],
  tagState: 'new',
};

describe('describeTags', () => {
  it('prints the table, each commit\'s changes and what is left out', () => {
    const lines = describeTags([ROW, { ...ROW, component: 'p', crate: 'p', files: [ROW.files[0]!], tagState: 'existing', leftAlone: ['x'] }], [], [{ component: 'q', version: '1.0.0' }], { pushed: false, branch: false });
    expect(lines.slice(0, 3)).toEqual([
      'component  crate            version  builds on  files                   tag',
      'consensus  bllvm-consensus  0.1.1    aaaaaaa    Cargo.toml, Cargo.lock  v0.1.1 bbbbbbb to push',
      'p          p                0.1.1    aaaaaaa    Cargo.toml              v0.1.1 bbbbbbb already there',
    ]);
    expect(lines).toContain(`consensus: "Release bllvm-consensus 0.1.1" on ${'a'.repeat(40)}`);
    expect(lines).toContain('  Cargo.lock: [[package]] bllvm-consensus: "0.1.0" → "0.1.1"');
    expect(lines).toContain('  left alone: x');
    expect(lines.at(-1)).toBe('already at their versions (no release commit): q 1.0.0');
  });

  it('adds the branch column with --push-branch, lists refusals, and says when there is nothing to tag', () => {
    const lines = describeTags([{ ...ROW, tagState: 'refused', branchState: 'refused' }], ['consensus: tag v0.1.1 of O/r is on …'], [], { pushed: false, branch: true });
    expect(lines[0]).toMatch(/ tag +branch$/);
    expect(lines[1]).toMatch(/v0\.1\.1 bbbbbbb REFUSED +REFUSED$/);
    expect(lines.slice(-2)).toEqual(['refused (nothing was pushed):', '  consensus: tag v0.1.1 of O/r is on …']);
    expect(describeTags([], [], [], { pushed: true, branch: false })).toEqual(['nothing to tag: every component\'s Cargo.toml at its pin says its version already']);
  });
});
