import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Component, type Pin, componentDist, readStack } from '@bllvm/manifest';
import type { DiscoveredRepository } from '@bllvm/sources';
import { describeConflict, fromTargets, idCollisions, matchComponent, newComponentIds, parseImportTarget, planImport } from './plan-import';

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

describe('lineage: the names a component had', () => {
  // As the committed pins have them: the seed's ids on the renamed repositories, the earlier names kept.
  const consensus = component('bllvm-consensus', { repository: 'BTCDecoded/blvm-consensus', branch: 'main', commit: OLD, crate: 'blvm-consensus', formerNames: ['consensus-proof'] });
  const node = component('bllvm-node', { repository: 'BTCDecoded/blvm-node', branch: 'main', commit: OLD, crate: 'blvm-node', formerNames: ['reference-node'] });
  const app = component('governance-app', { repository: 'BTCDecoded/blvm-commons', branch: 'main', commit: OLD, crate: 'blvm-commons', formerNames: ['bllvm-commons', 'bllvm-governance'] });
  const stack = [consensus, node, app];

  it.each([
    ['BTCDecoded/consensus-proof', 'bllvm-consensus'],
    ['BTCDecoded/Reference-Node', 'bllvm-node'],
    ['BTCDecoded/bllvm-consensus', 'bllvm-consensus'],
    ['BTCDecoded/blvm-commons', 'governance-app'],
    ['BTCDecoded/bllvm-governance', 'governance-app'],
    ['BTCDecoded/blvm-mempool', undefined],
  ])('matches %s to %s', (repository, id) => {
    expect(matchComponent(stack, { repository })?.id).toBe(id);
  });

  it('moves, not adds, the component whose earlier name is imported', () => {
    expect(planImport(stack, { repository: 'BTCDecoded/consensus-proof' }, found('BTCDecoded/consensus-proof', 'consensus-proof'))).toMatchObject({ kind: 'move', id: 'bllvm-consensus' });
    expect(newComponentIds(stack, [{ repository: 'BTCDecoded/consensus-proof' }, { repository: 'BTCDecoded/protocol-engine' }])).toEqual([
      { repository: 'BTCDecoded/protocol-engine', id: 'protocol-engine' },
    ]);
  });

  describe('--from: a key whose component follows another repository now', () => {
    const keyed = (...names: string[]) => names.map((key) => ({ key, target: { repository: `BTCDecoded/${key}` } }));

    it('is a conflict showing both repositories; keys that name what their component follows, and new ones, pass', () => {
      const r = fromTargets(stack, [], keyed('consensus-proof', 'blvm-node', 'governance-app', 'blvm-mempool'));
      expect(r.targets).toEqual([{ repository: 'BTCDecoded/blvm-node' }, { repository: 'BTCDecoded/blvm-mempool' }]);
      expect(r.conflicts).toEqual([
        { key: 'consensus-proof', repository: 'BTCDecoded/consensus-proof', component: 'bllvm-consensus', follows: 'BTCDecoded/blvm-consensus' },
        { key: 'governance-app', repository: 'BTCDecoded/governance-app', component: 'governance-app', follows: 'BTCDecoded/blvm-commons' },
      ]);
      expect(describeConflict('/old/versions.toml', r.conflicts[1]!)).toBe(
        '/old/versions.toml: "governance-app" is BTCDecoded/governance-app, but component governance-app follows BTCDecoded/blvm-commons; ' +
          'name the one it should follow: BTCDecoded/blvm-commons=governance-app (keep it) or BTCDecoded/governance-app=governance-app (re-point it)',
      );
    });

    it('is settled by an explicit mapping of the component, either way, which replaces the key', () => {
      const keep = fromTargets(stack, [{ repository: 'BTCDecoded/blvm-commons', id: 'governance-app' }], keyed('governance-app', 'consensus-proof'));
      expect(keep.targets).toEqual([]);
      expect(keep.conflicts.map((c) => c.key)).toEqual(['consensus-proof']);
      const repoint = fromTargets(stack, [{ repository: 'BTCDecoded/consensus-proof', id: 'bllvm-consensus' }], keyed('consensus-proof'));
      expect(repoint).toEqual({ targets: [], conflicts: [] });
    });
  });
});

describe('the committed stack\'s lineage', () => {
  it('knows the names of the old orchestrator\'s first versions.toml: each is a component following another repository now, none is new', async () => {
    const { components } = await readStack(resolve(import.meta.dirname, '../../../../..'));
    const keyed = ['consensus-proof', 'protocol-engine', 'reference-node', 'developer-sdk', 'governance-app'].map((key) => ({ key, target: { repository: `BTCDecoded/${key}` } }));
    const r = fromTargets(components, [], keyed);
    expect(r.targets).toEqual([]);
    expect(r.conflicts.map((c) => [c.key, c.component, c.follows])).toEqual([
      ['consensus-proof', 'bllvm-consensus', 'BTCDecoded/blvm-consensus'],
      ['protocol-engine', 'bllvm-protocol', 'BTCDecoded/blvm-protocol'],
      ['reference-node', 'bllvm-node', 'BTCDecoded/blvm-node'],
      ['developer-sdk', 'bllvm-sdk', 'BTCDecoded/blvm-sdk'],
      ['governance-app', 'governance-app', 'BTCDecoded/blvm-commons'],
    ]);
    expect(newComponentIds(components, keyed.map((k) => k.target))).toEqual([]);
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

describe('ids of new components against the workspace\'s Nx projects', () => {
  // What `nx graph` reports for this workspace, in part: a component id is its Nx project's name,
  // so any project (the release set, the tools, a lib) blocks it, not only another component.
  const projects = [
    { name: 'bllvm-node', root: 'apps/bllvm-node' },
    { name: 'release-set', root: 'apps/release-set' },
    { name: 'cli', root: 'tools/ship/cli' },
    { name: 'nx-plugin', root: 'tools/ship/nx-plugin/src' },
    { name: 'manifest', root: 'libs/manifest' },
    { name: 'legacy', root: 'apps/old-folder' },
  ];

  it('are the repositories no component takes, by their =id or their name; a moved component keeps its own', () => {
    const targets = [{ repository: 'BTCDecoded/bllvm-node' }, { repository: 'BTCDecoded/cli' }, { repository: 'BTCDecoded/blvm-x', id: 'nx-plugin' }, { repository: 'BTCDecoded/blvm-y', id: 'bllvm-node' }];
    expect(newComponentIds([seedNode], targets)).toEqual([
      { repository: 'BTCDecoded/cli', id: 'cli' },
      { repository: 'BTCDecoded/blvm-x', id: 'nx-plugin' },
    ]);
  });

  it('refuse an id any Nx project has, naming it and its folder, and show the =<other-id> form', () => {
    const added = [
      { repository: 'BTCDecoded/release-set', id: 'release-set' },
      { repository: 'BTCDecoded/cli', id: 'cli' },
      { repository: 'BTCDecoded/blvm-x', id: 'nx-plugin' },
      { repository: 'BTCDecoded/manifest', id: 'manifest' },
      { repository: 'BTCDecoded/blvm-wallet', id: 'blvm-wallet' },
    ];
    expect(idCollisions(added, projects, [])).toEqual([
      'BTCDecoded/release-set would be component "release-set", the name of the Nx project release-set (apps/release-set); give it another id: BTCDecoded/release-set=<other-id>',
      'BTCDecoded/cli would be component "cli", the name of the Nx project cli (tools/ship/cli); give it another id: BTCDecoded/cli=<other-id>',
      'BTCDecoded/blvm-x would be component "nx-plugin", the name of the Nx project nx-plugin (tools/ship/nx-plugin/src); give it another id: BTCDecoded/blvm-x=<other-id>',
      'BTCDecoded/manifest would be component "manifest", the name of the Nx project manifest (libs/manifest); give it another id: BTCDecoded/manifest=<other-id>',
    ]);
  });

  it('refuse an id that differs from a project\'s only in case, and a folder apps/<id> that is taken', () => {
    expect(idCollisions([{ repository: 'BTCDecoded/CLI', id: 'CLI' }], projects, [])).toEqual([
      'BTCDecoded/CLI would be component "CLI", the name of the Nx project cli (tools/ship/cli) but for case; give it another id: BTCDecoded/CLI=<other-id>',
    ]);
    expect(idCollisions([{ repository: 'BTCDecoded/old-folder', id: 'old-folder' }], projects, ['apps/old-folder'])).toEqual([
      'BTCDecoded/old-folder would be component "old-folder" in apps/old-folder, the folder of the Nx project legacy; give it another id: BTCDecoded/old-folder=<other-id>',
    ]);
    expect(idCollisions([{ repository: 'BTCDecoded/notes', id: 'notes' }], projects, ['apps/notes'])).toEqual([
      'BTCDecoded/notes would be component "notes" in apps/notes, a folder that already exists (not an Nx project); move it away or give it another id: BTCDecoded/notes=<other-id>',
    ]);
    expect(idCollisions([{ repository: 'BTCDecoded/blvm-wallet', id: 'blvm-wallet' }], projects, [])).toEqual([]);
  });
});
