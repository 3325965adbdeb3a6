import { describe, expect, it } from 'vitest';
import { type Component, parseVersions } from '@bllvm/manifest';
import { planVersionsFile } from './versions-file';

const SHA = 'a'.repeat(40);
const FILE = [
  '# The official release set.',
  '[versions]',
  'blvm-primitives = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "" } # first',
  `bllvm-consensus = { version = "0.1.3", git_tag = "consensus-0.1.3", git_commit = "${SHA}", requires = ["blvm-primitives=0.1.0"] }`,
  '',
  '[versions.bllvm-node]',
  'version = "0.1.0"',
  'git_tag = "release"',
  'requires = [',
  '  "bllvm-consensus=0.1.3", # the engine',
  '  "blvm-primitives=0.1.0",',
  ']',
  '',
  '[metadata]',
  'last_updated = "2026-11-30"',
  '',
].join('\r\n');

describe('planVersionsFile', () => {
  it('writes versions, tags, emptied commits and requires, and nothing else', () => {
    const r = planVersionsFile(FILE, 'versions.toml', [
      { component: 'blvm-primitives', to: '0.1.3' },
      { component: 'bllvm-consensus', to: '0.2.0' },
      { component: 'bllvm-node', to: '0.1.1' },
    ]);
    expect(r.text).toBe(
      FILE.replace('{ version = "0.1.0", git_tag = "v0.1.0", git_commit = "" } # first', '{ version = "0.1.3", git_tag = "v0.1.3", git_commit = "" } # first')
        .replace(
          `{ version = "0.1.3", git_tag = "consensus-0.1.3", git_commit = "${SHA}", requires = ["blvm-primitives=0.1.0"] }`,
          '{ version = "0.2.0", git_tag = "consensus-0.2.0", git_commit = "", requires = ["blvm-primitives=0.1.3"] }',
        )
        .replace('version = "0.1.0"\r\ngit_tag = "release"', 'version = "0.1.1"\r\ngit_tag = "v0.1.1"')
        .replace('"bllvm-consensus=0.1.3", # the engine\r\n  "blvm-primitives=0.1.0",', '"bllvm-consensus=0.2.0", # the engine\r\n  "blvm-primitives=0.1.3",'),
    );
    expect(r.changed).toEqual([
      'blvm-primitives: version 0.1.0 → 0.1.3',
      'bllvm-consensus: version 0.1.3 → 0.2.0, git_commit emptied (set when the new tag exists), requires blvm-primitives=0.1.3',
      'bllvm-node: version 0.1.0 → 0.1.1, requires bllvm-consensus=0.2.0, requires blvm-primitives=0.1.3',
    ]);
    expect(parseVersions(r.text, 'versions.toml').entries['bllvm-node']).toMatchObject({ version: '0.1.1', requires: { 'bllvm-consensus': '0.2.0', 'blvm-primitives': '0.1.3' } });
  });

  it('refuses a plan for a component the file does not list, and a file it cannot read', () => {
    expect(() => planVersionsFile(FILE, 'versions.toml', [{ component: 'blvm-sdk', to: '0.1.1' }])).toThrow('versions.toml: has no entry for blvm-sdk');
    expect(() => planVersionsFile('[versions]\nx = 1\n', 'versions.toml', [])).toThrow(/^versions\.toml:2: versions\.x: must be a table/);
  });

  it('brings the requires of entries outside a partial plan along, so the file still reads', () => {
    const r = planVersionsFile(FILE, 'versions.toml', [{ component: 'bllvm-consensus', to: '0.2.0' }]);
    expect(parseVersions(r.text, 'versions.toml').entries['bllvm-node']).toMatchObject({ version: '0.1.0', requires: { 'bllvm-consensus': '0.2.0', 'blvm-primitives': '0.1.0' } });
    expect(r.changed).toEqual(['bllvm-consensus: version 0.1.3 → 0.2.0, git_commit emptied (set when the new tag exists)', 'bllvm-node: requires bllvm-consensus=0.2.0']);
  });

  it('reads names the way parseVersions does: a former name in requires is followed and kept as written', () => {
    const text = '[versions]\na = { version = "0.1.0", git_tag = "v0.1.0" }\nb = { version = "0.1.0", git_tag = "v0.1.0", requires = ["old-a=0.1.0"] }\n';
    const component = (id: string, formerNames: string[] = []) => ({ id, repository: `O/${id}`, checkoutFolder: id, crate: { dir: '.' }, formerNames, pin: { repository: `O/${id}`, branch: 'main', commit: SHA } });
    const components = [component('a', ['old-a']), component('b')] as unknown as Component[];
    const r = planVersionsFile(text, 'versions.toml', [{ component: 'a', to: '0.1.1' }], { components });
    expect(r.text).toBe(text.replace('a = { version = "0.1.0", git_tag = "v0.1.0" }', 'a = { version = "0.1.1", git_tag = "v0.1.1" }').replace('old-a=0.1.0', 'old-a=0.1.1'));
  });
});
