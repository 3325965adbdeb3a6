import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { componentDist, findComponent, readComponents, readStack, toComponent } from './component';
import { type ComponentGraph, readComponentGraph } from './graph';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const WORKSPACE = resolve(import.meta.dirname, '../../..');

describe('a component as one value', () => {
  const graph: ComponentGraph = {
    components: ['bllvm-sdk', 'governance-app'],
    dependencies: { 'bllvm-sdk': [], 'governance-app': ['bllvm-sdk'] },
    roots: { 'bllvm-sdk': 'apps/bllvm-sdk', 'governance-app': 'apps/gov' },
    tags: { 'bllvm-sdk': ['component', 'kind:library'], 'governance-app': ['component', 'kind:binary', 'kind:image', 'owner:x'] },
  };
  const pin = { repository: 'BTCDecoded/governance-app', branch: 'main', commit: SHA };

  it('gathers the project, the pin, the kinds and the dist paths of one component', () => {
    expect(toComponent('/ws', graph, 'governance-app', pin)).toEqual({
      id: 'governance-app',
      projectRoot: 'apps/gov',
      pinFile: '/ws/apps/gov/pin.toml',
      pin,
      repository: 'BTCDecoded/governance-app',
      checkoutFolder: 'governance-app',
      crate: { dir: '.' },
      formerNames: [],
      dependencies: ['bllvm-sdk'],
      kinds: ['binary', 'image'],
      dist: componentDist('/ws/dist', 'governance-app'),
    });
    expect(toComponent('/ws', graph, 'bllvm-sdk', pin).kinds).toEqual(['library']);
  });

  it('takes the repository, crate and former names from the pin, whatever the id', () => {
    const moved = { ...pin, repository: 'BTCDecoded/blvm-commons', crate: 'blvm-commons', crateDir: 'blvm-commons', formerNames: ['bllvm-commons'] };
    const c = toComponent('/ws', graph, 'governance-app', moved);
    expect([c.id, c.repository, c.checkoutFolder, c.crate, c.formerNames]).toEqual([
      'governance-app', 'BTCDecoded/blvm-commons', 'blvm-commons', { dir: 'blvm-commons', name: 'blvm-commons' }, ['bllvm-commons'],
    ]);
  });

  it('spells the dist layout the records document', () => {
    expect(componentDist('/ws/dist', 'bllvm-node')).toEqual({
      dir: '/ws/dist/bllvm-node',
      build: { dir: '/ws/dist/bllvm-node/build', record: '/ws/dist/bllvm-node/build/build.json' },
      test: { dir: '/ws/dist/bllvm-node/test', record: '/ws/dist/bllvm-node/test/test.json' },
      verify: { dir: '/ws/dist/bllvm-node/verify', record: '/ws/dist/bllvm-node/verify/verify.json' },
      image: { record: '/ws/dist/bllvm-node/image.json' },
      crate: { dir: '/ws/dist/bllvm-node/crate', record: '/ws/dist/bllvm-node/crate/crate.json', notPublished: '/ws/dist/bllvm-node/crate/not-published.json' },
    });
  });
});

describe('reading the stack', () => {
  it('returns every component of this workspace in graph order, with its pin', async () => {
    const { graph, components } = await readStack(WORKSPACE);
    expect(components.map((c) => c.id)).toEqual(graph.components);
    expect(components.map((c) => c.id)).toEqual(['blvm-primitives', 'blvm-spec-lock', 'bllvm-consensus', 'blvm-secp256k1', 'bllvm-protocol', 'blvm-muhash', 'bllvm-node', 'bllvm', 'bllvm-sdk', 'governance-app']);
    const gov = findComponent(components, 'governance-app');
    expect(gov).toMatchObject({ projectRoot: 'apps/governance-app', kinds: ['binary', 'image'], dependencies: ['bllvm-protocol', 'bllvm-sdk'] });
    // The app is built from a repository named otherwise, whose crate was renamed: all from its pin.
    expect(gov).toMatchObject({ repository: 'BTCDecoded/blvm-commons', checkoutFolder: 'blvm-commons', crate: { dir: '.', name: 'blvm-commons' } });
    expect(gov.formerNames).toContain('bllvm-commons');
    expect(gov.pin.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(gov.repository).toBe(gov.pin.repository);
    expect(findComponent(components, 'bllvm-consensus').kinds).toEqual(['library']);
    expect(() => findComponent(components, 'ghost')).toThrow(/no component "ghost"/);
  });

  it('reads only the pins asked for, so a broken pin elsewhere fails nothing else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stack-'));
    try {
      await cp(join(WORKSPACE, 'apps'), join(dir, 'apps'), { recursive: true });
      await writeFile(join(dir, 'apps/governance-app/pin.toml'), 'commit = "nope"\n');
      const graph = await readComponentGraph(dir);
      const some = await readComponents(dir, graph, ['bllvm-node', 'bllvm-consensus']);
      expect(some.map((c) => c.id)).toEqual(['bllvm-consensus', 'bllvm-node']);
      await expect(readStack(dir)).rejects.toThrow(/apps\/governance-app\/pin\.toml/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
