import { describe, expect, it } from 'vitest';
import { type Component, type Pin, componentDist } from '@bllvm/manifest';
import type { DiscoveredRepository } from '@bllvm/sources';
import { parseImportTarget, planImport } from './plan-import';

const OLD = 'a'.repeat(40);
const NEW = 'b'.repeat(40);

function component(id: string, pin: Pin): Component {
  return {
    id, projectRoot: `apps/${id}`, pinFile: `/w/apps/${id}/pin.toml`, pin, repository: pin.repository,
    checkoutFolder: pin.repository.split('/')[1]!, crate: { dir: pin.crateDir ?? '.', name: pin.crate }, formerNames: pin.formerNames ?? [],
    dependencies: [], kinds: ['library'], dist: componentDist('/w/dist', id),
  };
}
const found = (repository: string, name: string, dir = '.', kind: 'library' | 'binary' = 'library'): DiscoveredRepository =>
  ({ repository, branch: 'main', head: NEW, crate: { dir, name, kind, others: [] } });

const seedApp = component('governance-app', { repository: 'BTCDecoded/bllvm-commons', branch: 'main', commit: OLD, crateDir: 'bllvm-commons' });
const seedNode = component('bllvm-node', { repository: 'BTCDecoded/bllvm-node', branch: 'main', commit: OLD });

describe('planImport', () => {
  it('adds a repository no component has, named after the repository unless told otherwise', () => {
    expect(planImport([seedNode], { repository: 'BTCDecoded/blvm-muhash' }, found('BTCDecoded/blvm-muhash', 'blvm-muhash'))).toEqual({
      kind: 'add', id: 'blvm-muhash', crateKind: 'library',
      pin: { repository: 'BTCDecoded/blvm-muhash', branch: 'main', commit: NEW, crate: 'blvm-muhash' },
    });
    expect(planImport([], { repository: 'BTCDecoded/blvm', id: 'bllvm' }, found('BTCDecoded/blvm', 'blvm', '.', 'binary'))).toMatchObject({ kind: 'add', id: 'bllvm', crateKind: 'binary' });
  });

  it('moves a component across a rename: new repository, crate and folder in one pin, the old names kept as former names', () => {
    const a = planImport([seedApp, seedNode], { repository: 'BTCDecoded/blvm-commons', id: 'governance-app' }, found('BTCDecoded/blvm-commons', 'blvm-commons'));
    expect(a).toEqual({
      kind: 'move', id: 'governance-app', from: seedApp.pin,
      pin: { repository: 'BTCDecoded/blvm-commons', branch: 'main', commit: NEW, crate: 'blvm-commons', formerNames: ['bllvm-commons'] },
    });
  });

  it('finds the component by its former name when the new repository is named without =component', () => {
    const renamed = component('node', { repository: 'BTCDecoded/blvm-node', branch: 'main', commit: OLD, crate: 'blvm-node', formerNames: ['bllvm-node'] });
    expect(planImport([renamed], { repository: 'BTCDecoded/bllvm-node' }, found('BTCDecoded/bllvm-node', 'bllvm-node'))).toMatchObject({ kind: 'move', id: 'node' });
  });

  it('leaves an up-to-date component unchanged, so importing twice changes nothing', () => {
    const current = component('blvm-muhash', { repository: 'BTCDecoded/blvm-muhash', branch: 'main', commit: NEW, crate: 'blvm-muhash' });
    expect(planImport([current], { repository: 'BTCDecoded/blvm-muhash' }, found('BTCDecoded/blvm-muhash', 'blvm-muhash')).kind).toBe('unchanged');
  });
});

describe('parseImportTarget', () => {
  it.each([
    ['BTCDecoded/blvm-node', { repository: 'BTCDecoded/blvm-node' }],
    ['BTCDecoded/blvm-commons=governance-app', { repository: 'BTCDecoded/blvm-commons', id: 'governance-app' }],
  ])('reads %s', (arg, target) => expect(parseImportTarget(arg)).toEqual(target));

  it.each(['blvm-node', 'BTCDecoded/..', 'a/b=Upper', 'a/b; rm -rf /', '-x/y', 'a/b=c=d'])('refuses %s', (arg) => {
    expect(parseImportTarget(arg)).toMatch(/is not owner\/name or owner\/name=<component>/);
  });
});
