import { describe, expect, it } from 'vitest';
import { RELEASE_SET_PROJECT, VERSIONS_FILE, insertIntoVersions, planAddComponents } from './add-component';
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
});
