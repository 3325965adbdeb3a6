import { describe, expect, it } from 'vitest';
import { RELEASE_SET_PROJECT, VERSIONS_FILE, insertIntoVersions, namedInVersions, planAddComponents, planRequires } from './add-component';
import { toComponent } from './component';
import type { ComponentGraph } from './graph';
import { parsePin } from './pins';
import { parseVersions } from './versions';

const SHA = 'a'.repeat(40);
const files = {
  releaseSet: JSON.stringify({ name: 'release-set', implicitDependencies: ['node'] }),
  versions: '# the set\n[versions]\nnode = { version = "0.2.0", git_tag = "v0.2.0" }\n\n[metadata]\nupdated_by = "x"\n',
};
const pin = (repository: string) => ({ repository, branch: 'main', commit: SHA });
const byPath = (w: { path: string; text: string }[]) => Object.fromEntries(w.map((x) => [x.path, x.text]));

describe('planAddComponents', () => {
  it('writes the folder, the release set and a versions.toml entry with the upstreams at their versions', () => {
    const w = byPath(planAddComponents(files, ['node'], [{ id: 'wallet', pin: pin('O/wallet'), kind: 'image', dependsOn: ['node'] }]));
    expect(JSON.parse(w['apps/wallet/project.json']!)).toMatchObject({ name: 'wallet', projectType: 'application', tags: ['component', 'kind:binary', 'kind:image'], implicitDependencies: ['node'] });
    expect(JSON.parse(w['apps/wallet/project.json']!).targets).toBeUndefined();
    expect(parsePin(w['apps/wallet/pin.toml']!, 'pin.toml')).toEqual(pin('O/wallet'));
    expect(JSON.parse(w[RELEASE_SET_PROJECT]!).implicitDependencies).toEqual(['node', 'wallet']);
    expect(parseVersions(w[VERSIONS_FILE]!, VERSIONS_FILE).entries['wallet']).toMatchObject({ version: '0.1.0', requires: { node: '0.2.0' } });
    expect(w[VERSIONS_FILE]!).toContain('[metadata]\nupdated_by = "x"');
  });

  it('leaves versions.toml alone where it names the component already, under any of its names', () => {
    const w = byPath(planAddComponents(files, [], [{ id: 'core', pin: { ...pin('O/blvm-node'), crate: 'node' }, kind: 'library' }]));
    expect(w[VERSIONS_FILE]).toBeUndefined();
    expect(Object.keys(w)).toEqual(['apps/core/project.json', 'apps/core/pin.toml', RELEASE_SET_PROJECT]);
    expect(namedInVersions(files.versions, { id: 'core', pin: { ...pin('O/blvm-node'), crate: 'node' } })).toBe(true);
    expect(namedInVersions(files.versions, { id: 'core', pin: { ...pin('O/x'), formerNames: ['node'] } })).toBe(true);
    expect(namedInVersions(files.versions, { id: 'core', pin: pin('O/x') })).toBe(false);
  });

  it('writes only the folder where the workspace has no release set or versions.toml', () => {
    expect(planAddComponents({}, [], [{ id: 'x', pin: pin('O/x'), kind: 'library' }]).map((w) => [w.path, w.create])).toEqual([
      ['apps/x/project.json', true],
      ['apps/x/pin.toml', true],
    ]);
  });

  it('refuses a bad commit, a bad branch and an unknown upstream before writing anything', () => {
    expect(() => planAddComponents(files, ['node'], [{ id: 'x', pin: { ...pin('O/x'), commit: 'abc' }, kind: 'library' }])).toThrow(/not a 40-character/);
    expect(() => planAddComponents(files, ['node'], [{ id: 'x', pin: { ...pin('O/x'), branch: 'a..b' }, kind: 'library' }])).toThrow(/^branch /);
    expect(() => planAddComponents(files, ['node'], [{ id: 'x', pin: pin('O/x'), kind: 'library', dependsOn: ['ghost'] }])).toThrow(/"ghost" is not a component/);
  });

  it('inserts after the last entry of [versions]', () => {
    expect(insertIntoVersions('[versions]\na = 1\n\n[metadata]\n', 'b = 2')).toBe('[versions]\na = 1\nb = 2\n\n[metadata]\n');
    expect(() => insertIntoVersions('[metadata]\n', 'b = 2')).toThrow(/no \[versions\]/);
  });

  it('takes the version it is given (import reads it from the crate\'s Cargo.toml) for the entry and its tag', () => {
    const w = byPath(planAddComponents(files, ['node'], [{ id: 'wallet', pin: pin('O/wallet'), kind: 'library', version: '0.3.54' }]));
    expect(w[VERSIONS_FILE]).toContain('wallet = { version = "0.3.54", git_tag = "v0.3.54", git_commit = "" }');
  });
});

describe('planRequires: the requires of entries added before the graph was derived', () => {
  const graph: ComponentGraph = {
    components: ['consensus', 'protocol', 'app', 'wallet'],
    dependencies: { consensus: [], protocol: ['consensus'], app: ['protocol'], wallet: ['app', 'protocol'] },
    roots: { consensus: 'apps/consensus', protocol: 'apps/protocol', app: 'apps/app', wallet: 'apps/wallet' },
    tags: {},
  };
  const stack = [
    toComponent('/ws', graph, 'consensus', { repository: 'O/blvm-consensus', branch: 'main', commit: SHA }),
    toComponent('/ws', graph, 'protocol', { repository: 'O/blvm-protocol', branch: 'main', commit: SHA }),
    toComponent('/ws', graph, 'app', { repository: 'O/blvm-commons', branch: 'main', commit: SHA }),
    toComponent('/ws', graph, 'wallet', { repository: 'O/wallet', branch: 'main', commit: SHA }),
  ];
  // The app is named by its repository, as the real files do; wallet was just added without requires.
  const text = [
    '[versions]',
    'consensus = { version = "0.1.9", git_tag = "v0.1.9", git_commit = "" }',
    'protocol = { version = "0.2.0", git_tag = "v0.2.0", git_commit = "", requires = ["consensus=0.1.9"] }',
    'blvm-commons = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "", requires = ["protocol=0.2.0"], binaries = ["blvm-commons"] }',
    'wallet = { version = "0.4.0", git_tag = "v0.4.0", git_commit = "" }',
    '',
    '[metadata]',
    'updated_by = "x"',
    '',
  ].join('\n');

  it('lists each upstream as the file names it, at its version there, and changes no other line', () => {
    const out = planRequires(text, { wallet: ['app', 'protocol'] }, stack);
    expect(out.split('\n')[4]).toBe('wallet = { version = "0.4.0", git_tag = "v0.4.0", git_commit = "", requires = ["blvm-commons=0.1.0", "protocol=0.2.0"] }');
    expect(out.split('\n').filter((l, i) => l !== text.split('\n')[i])).toHaveLength(1);
    expect(parseVersions(out, VERSIONS_FILE, { components: stack }).entries['wallet']!.requires).toEqual({ app: '0.1.0', protocol: '0.2.0' });
  });

  it('leaves alone an entry that lists requires already, one with no upstreams, and upstreams the file has no entry for', () => {
    expect(planRequires(text, { protocol: ['consensus', 'app'], consensus: [] }, stack)).toBe(text);
    const partial = text.replace(/^consensus = .*\n/m, '').replace(', requires = ["consensus=0.1.9"]', '');
    expect(planRequires(partial, { protocol: ['consensus'] }, stack)).toBe(partial);
  });

  it('keeps binaries, and leaves an entry written over several lines as it is', () => {
    const bins = text.replace('wallet = { version = "0.4.0", git_tag = "v0.4.0", git_commit = "" }', 'wallet = { version = "0.4.0", git_tag = "v0.4.0", git_commit = "", binaries = ["w"] }');
    expect(planRequires(bins, { wallet: ['protocol'] }, stack)).toContain('wallet = { version = "0.4.0", git_tag = "v0.4.0", git_commit = "", requires = ["protocol=0.2.0"], binaries = ["w"] }');
    const multi = text.replace('wallet = { version = "0.4.0", git_tag = "v0.4.0", git_commit = "" }', '[versions.wallet]\nversion = "0.4.0"\ngit_tag = "v0.4.0"');
    expect(planRequires(multi.replace('\n\n[metadata]', '\n[metadata]'), { wallet: ['protocol'] }, stack)).toBe(multi.replace('\n\n[metadata]', '\n[metadata]'));
  });
});
