import { describe, expect, it } from 'vitest';
import type { VersionPlan } from '@bllvm/crates';
import { describePlan } from './describe-plan';

const plan: VersionPlan = {
  components: [
    { component: 'blvm-primitives', crate: 'blvm-primitives', from: '0.1.0', to: '0.1.3', bump: 'patch', breaking: false, why: 'patch after 0.1.2 (the highest on the registry)' },
    { component: 'node', crate: 'blvm-node', from: '0.1.0', to: '0.2.0', bump: 'minor', breaking: true, why: 'minor (breaking under 0.x) after 0.1.0 (versions.toml)' },
  ],
  requirements: [
    { component: 'node', crate: 'blvm-node', file: 'f', upstream: 'blvm-primitives', dependency: 'blvm-primitives', key: 'blvm-primitives', table: ['dependencies'], path: [], action: 'keep', from: '0.1', why: '' },
    { component: 'node', crate: 'blvm-node', file: 'f', upstream: 'blvm-primitives', dependency: 'blvm-primitives', key: 'blvm-primitives', table: ['dev-dependencies'], path: [], action: 'rewrite', from: '=0.1.0', to: '=0.1.3', why: '' },
  ],
};

describe('describePlan', () => {
  it('lines up the table, lists each manifest\'s changes and what stays, and counts the requirements kept', () => {
    const lines = describePlan(plan, {
      'blvm-primitives': { file: 'O/blvm-primitives@abc1234:Cargo.toml', changed: ['[package] version: "0.1.0" → "0.1.3"'], leftAlone: [] },
      node: { file: 'O/blvm-node@def5678:Cargo.toml', changed: ['[dev-dependencies] blvm-primitives: "=0.1.0" → "=0.1.3"'], leftAlone: ['[dependencies] x: inherited'] },
    }, 'sparse+https://index.crates.io/');
    expect(lines).toEqual([
      'versions after every version sparse+https://index.crates.io/ has had (yanked ones too):',
      'component        crate            from   to     why',
      'blvm-primitives  blvm-primitives  0.1.0  0.1.3  patch after 0.1.2 (the highest on the registry)',
      'node             blvm-node        0.1.0  0.2.0  minor (breaking under 0.x) after 0.1.0 (versions.toml)',
      '',
      'Cargo.toml changes for the release commits (not made by this command):',
      '  blvm-primitives (O/blvm-primitives@abc1234:Cargo.toml):',
      '    [package] version: "0.1.0" → "0.1.3"',
      '  node (O/blvm-node@def5678:Cargo.toml):',
      '    [dev-dependencies] blvm-primitives: "=0.1.0" → "=0.1.3"',
      '    left alone: [dependencies] x: inherited',
      '1 internal requirement already admits the new version and stays as written',
    ]);
  });

  it('says when no manifest changes', () => {
    expect(describePlan({ components: [], requirements: [] }, {}, 'r')).toContain('  none');
  });
});
