import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ComponentFacts, type CrateFacts, defaultEnabledDependencies, deriveStackGraph } from './stack-edges';

/** Real `cargo metadata --no-deps` of the crates in test/fixtures/stack-metadata (capture.ts). */
const FACTS = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/stack-metadata.json'), 'utf8')) as Record<string, CrateFacts>;
const SHA = 'a'.repeat(40);
const component = (id: string, folder: string, crate: ComponentFacts['crate'] = { dir: '.' }, facts = FACTS[folder]!): ComponentFacts => ({
  id,
  repository: `Org/${folder}`,
  checkoutFolder: folder,
  crate,
  commit: SHA,
  facts,
});
const STACK = [
  component('primitives', 'prim'),
  component('secp', 'sec'),
  component('muhash', 'mu'),
  component('consensus', 'cons', { dir: 'crate' }),
  component('protocol', 'proto'),
];

describe('deriveStackGraph over real cargo metadata', () => {
  const g = deriveStackGraph(STACK);

  it('finds renamed path dependencies, build-dependencies and default-enabled optional ones; not the off-by-default ones', () => {
    expect(g.build).toEqual({
      primitives: [],
      secp: [],
      muhash: [],
      // prim under the key "primitives"; sec-lib is optional behind the non-default "secp"
      consensus: ['primitives'],
      // cons (registry range, patched), mu (optional, enabled by default "mu/std"), prim (build); sec-lib only via weak "sec-lib?/asm"
      protocol: ['consensus', 'muhash', 'primitives'],
    });
    expect(g.edges).toContainEqual({ from: 'consensus', to: 'primitives', kind: 'normal', via: 'dependencies.primitives (package prim)' });
    expect(g.edges).toContainEqual({ from: 'protocol', to: 'primitives', kind: 'build', via: 'build-dependencies.prim' });
    expect(g.edges).toContainEqual({ from: 'protocol', to: 'muhash', kind: 'normal', via: 'dependencies.mu (optional, on by default)' });
  });

  it('makes dev-dependencies (inherited from the workspace) test-only edges', () => {
    expect(g.test).toEqual({ primitives: [], secp: [], muhash: [], consensus: ['muhash'], protocol: [] });
    expect(g.edges).toContainEqual({ from: 'consensus', to: 'muhash', kind: 'dev', via: 'dev-dependencies.mu' });
  });

  it('maps every package of a repository to its component: a workspace of two packages, the pin crate name', () => {
    const usesDerive: CrateFacts = JSON.parse(JSON.stringify(FACTS.mu));
    usesDerive.meta.packages[0]!.dependencies.push({ name: 'prim-derive', rename: null, kind: null, optional: false, target: null, path: '/src/prim/derive' });
    const h = deriveStackGraph([component('primitives', 'prim'), component('muhash', 'mu', { dir: '.' }, usesDerive)]);
    expect(h.build.muhash).toEqual(['primitives']);
    expect(h.problems).toEqual([]);
  });

  it('reports a patch path to a folder that is no component, naming the repository and the import command; patch-only entries are no edges', () => {
    expect(g.problems).toEqual([
      'protocol@aaaaaaa: patch.crates-io.muhash points at the sibling folder "unknown-repo", which is no component\'s checkout; add Org/unknown-repo with `npm run cli -- import Org/unknown-repo`',
    ]);
    // proto patches sec-lib, which it depends on only optionally and off: still no edge
    expect(g.build.protocol).not.toContain('secp');
  });

  it('reports a path dependency on a missing component, and every problem of every component in one run', () => {
    const h = deriveStackGraph(STACK.filter((c) => c.id !== 'muhash' && c.id !== 'primitives'));
    expect(h.problems).toEqual([
      expect.stringMatching(/^consensus@aaaaaaa: cons's dependencies\.primitives \(package prim\) points at the sibling folder "prim".*`npm run cli -- import Org\/prim`$/),
      expect.stringMatching(/^consensus@aaaaaaa: cons's dev-dependencies\.mu points at the sibling folder "mu"/),
      expect.stringMatching(/^protocol@aaaaaaa: patch\.crates-io\.mu points at the sibling folder "mu"/),
      expect.stringMatching(/^protocol@aaaaaaa: patch\.crates-io\.prim points at the sibling folder "prim"/),
      expect.stringMatching(/^protocol@aaaaaaa: patch\.crates-io\.muhash points at the sibling folder "unknown-repo"/),
    ]);
  });

  it('advises mapping the repository onto the component whose lineage has the folder\'s name, not adding a second one', () => {
    // primitives is pinned to a renamed repository; an old manifest still reaches it as ../prim.
    const renamed = { ...component('primitives', 'prim'), repository: 'Org/primitives-core', checkoutFolder: 'primitives-core', formerNames: ['prim'] };
    const h = deriveStackGraph([renamed, ...STACK.filter((c) => c.id !== 'primitives')]);
    expect(h.problems).toContain(
      'consensus@aaaaaaa: cons\'s dependencies.primitives (package prim) points at the sibling folder "prim", which is no component\'s checkout; ' +
        '"prim" is a name of component primitives: pin it to Org/prim with `npm run cli -- import Org/prim=primitives`, or move consensus\'s pin to a commit that uses the current folder',
    );
    expect(h.problems.join('\n')).not.toMatch(/import Org\/prim`/);
  });

  it('finds the crate in its subfolder, and says so when the pin points at no package', () => {
    const h = deriveStackGraph([component('consensus', 'cons', { dir: 'elsewhere' }), ...STACK.filter((c) => c.id !== 'consensus')]);
    expect(h.problems).toContain(
      'consensus@aaaaaaa: cons/elsewhere/Cargo.toml: package.name: not a crate manifest: cargo finds no package in "elsewhere" of Org/cons; set crate / crate-dir in its pin.toml to the crate\'s folder at this commit',
    );
    const byName = deriveStackGraph([component('consensus', 'cons', { dir: 'elsewhere', name: 'cons' }), ...STACK.filter((c) => c.id !== 'consensus')]);
    expect(byName.build.consensus).toEqual(['primitives']);
  });

  it('follows a dependency on another package of the same checkout to the upstream it pulls in', () => {
    const facts: CrateFacts = JSON.parse(JSON.stringify(FACTS.prim));
    facts.meta.packages.find((p) => p.name === 'prim-derive')!.dependencies.push({ name: 'mu', rename: null, kind: null, optional: false, target: null, path: '/src/mu' });
    const h = deriveStackGraph([component('primitives', 'prim', { dir: '.' }, facts), component('muhash', 'mu')]);
    expect(h.build.primitives).toEqual(['muhash']);
    expect(h.edges[0]!.via).toBe('dependencies.prim-derive → dependencies.mu');
  });
});

describe('defaultEnabledDependencies', () => {
  it('follows default through dep:x, x/f and feature-to-feature, not x?/f', () => {
    expect([...defaultEnabledDependencies({ default: ['a', 'b/f', 'c?/f'], a: ['dep:x', 'a2'], a2: ['y/g'] })].sort()).toEqual(['b', 'x', 'y']);
    expect([...defaultEnabledDependencies({ default: ['mu/std', 'fast'], fast: ['sec-lib?/asm'], mu: ['dep:mu'], 'sec-lib': ['dep:sec-lib'] })].sort()).toEqual(['mu']);
    expect(defaultEnabledDependencies({}).size).toBe(0);
  });
});

describe('test-only upstreams', () => {
  it("include a dev upstream's own upstreams, less what the build already reaches", () => {
    // muhash's tests use protocol (dev), which builds on consensus and primitives, muhash and itself
    const facts: CrateFacts = JSON.parse(JSON.stringify(FACTS.mu));
    facts.meta.packages[0]!.dependencies.push({ name: 'proto', rename: null, kind: 'dev', optional: false, target: null });
    const withMu = STACK.map((c) => (c.id === 'muhash' ? component('muhash', 'mu', { dir: '.' }, facts) : c));
    expect(deriveStackGraph(withMu).test.muhash).toEqual(['consensus', 'primitives', 'protocol']);
    // consensus builds on primitives already: only muhash is test-only
    expect(deriveStackGraph(STACK).test.consensus).toEqual(['muhash']);
  });
});
