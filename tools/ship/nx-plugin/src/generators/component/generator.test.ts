import { readProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { parsePin, parseVersions } from '@bllvm/manifest';
import { addComponent, insertIntoVersions } from './generator';

const SHA = 'a'.repeat(40);
let tree: Tree;

beforeEach(() => {
  tree = createTreeWithEmptyWorkspace();
  tree.write('apps/bllvm-node/project.json', JSON.stringify({ name: 'bllvm-node', root: 'apps/bllvm-node', tags: ['component', 'kind:library'], implicitDependencies: [] }));
  tree.write('apps/release-set/project.json', JSON.stringify({ name: 'release-set', root: 'apps/release-set', tags: ['release-set'], implicitDependencies: ['bllvm-node'] }));
  tree.write('versions.toml', '# the set\n[versions]\nbllvm-node = { version = "0.2.0", git_tag = "v0.2.0" }\n\n[metadata]\nupdated_by = "x"\n');
});

describe('the component generator', () => {
  it('wires a new component like the others', () => {
    addComponent(tree, { name: 'bllvm-wallet', commit: SHA, dependsOn: 'bllvm-node', kind: 'binary' });
    const p = readProjectConfiguration(tree, 'bllvm-wallet');
    expect(p).toMatchObject({ root: 'apps/bllvm-wallet', tags: ['component', 'kind:binary'], implicitDependencies: ['bllvm-node'] });
    expect(parsePin(tree.read('apps/bllvm-wallet/pin.toml', 'utf8')!, 'pin.toml')).toEqual({ repository: 'BTCDecoded/bllvm-wallet', branch: 'main', commit: SHA });
    expect(readProjectConfiguration(tree, 'release-set').implicitDependencies).toEqual(['bllvm-node', 'bllvm-wallet']);
    const versions = tree.read('versions.toml', 'utf8')!;
    expect(parseVersions(versions, 'versions.toml').entries['bllvm-wallet']).toMatchObject({ version: '0.1.0', requires: { 'bllvm-node': '0.2.0' } });
    expect(versions.startsWith('# the set\n[versions]\nbllvm-node')).toBe(true);
    expect(versions).toContain('[metadata]\nupdated_by = "x"');
  });

  it('refuses an unknown dependency, a bad commit and an existing name, writing nothing', () => {
    expect(() => addComponent(tree, { name: 'x', commit: SHA, dependsOn: 'bllvm-ghost' })).toThrow(/"bllvm-ghost" is not a component/);
    expect(() => addComponent(tree, { name: 'x', commit: 'abc' })).toThrow(/not a 40-character/);
    expect(() => addComponent(tree, { name: 'bllvm-node', commit: SHA })).toThrow(/already exists/);
    expect(tree.exists('apps/x/pin.toml')).toBe(false);
  });

  it('inserts after the last entry of [versions]', () => {
    expect(insertIntoVersions('[versions]\na = 1\n\n[metadata]\n', 'b = 2')).toBe('[versions]\na = 1\nb = 2\n\n[metadata]\n');
    expect(() => insertIntoVersions('[metadata]\n', 'b = 2')).toThrow(/no \[versions\]/);
  });
});
