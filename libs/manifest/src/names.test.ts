import { describe, expect, it } from 'vitest';
import { type Component, toComponent } from './component';
import { type ComponentGraph, topologicalOrder } from './graph';
import { NameError, componentOfWord, resolveComponent } from './names';

const SHA = '0123456789abcdef0123456789abcdef01234567';

/** The stack of late 2026: the seed's ids, pointed at the renamed repositories, and the four new libraries. */
const REAL: Record<string, { repo: string; deps: string[]; crate?: string; crateDir?: string; former?: string[] }> = {
  'blvm-primitives': { repo: 'blvm-primitives', deps: [] },
  'blvm-spec-lock': { repo: 'blvm-spec-lock', deps: [] },
  'blvm-secp256k1': { repo: 'blvm-secp256k1', deps: [] },
  'blvm-muhash': { repo: 'blvm-muhash', deps: [] },
  'bllvm-consensus': { repo: 'blvm-consensus', deps: ['blvm-primitives', 'blvm-spec-lock', 'blvm-secp256k1'], former: ['bllvm-consensus'] },
  'bllvm-protocol': { repo: 'blvm-protocol', deps: ['bllvm-consensus', 'blvm-secp256k1'], former: ['bllvm-protocol'] },
  'bllvm-node': { repo: 'blvm-node', deps: ['bllvm-protocol', 'blvm-muhash', 'blvm-secp256k1'], former: ['bllvm-node'] },
  bllvm: { repo: 'blvm', deps: ['bllvm-node'], former: ['bllvm'] },
  'bllvm-sdk': { repo: 'blvm-sdk', deps: ['bllvm-node'], former: ['bllvm-sdk'] },
  'governance-app': { repo: 'blvm-commons', deps: ['bllvm-protocol', 'bllvm-sdk'], crate: 'blvm-commons', former: ['bllvm-commons', 'bllvm-governance'] },
};

function stack(spec: typeof REAL): Component[] {
  const dependencies = Object.fromEntries(Object.entries(spec).map(([id, s]) => [id, [...s.deps].sort()]));
  const graph: ComponentGraph = {
    components: topologicalOrder(dependencies),
    dependencies,
    roots: Object.fromEntries(Object.keys(spec).map((id) => [id, `apps/${id}`])),
    tags: {},
  };
  return graph.components.map((id) => {
    const s = spec[id]!;
    return toComponent('/ws', graph, id, {
      repository: `BTCDecoded/${s.repo}`, branch: 'main', commit: SHA,
      ...(s.crate ? { crate: s.crate } : {}), ...(s.crateDir ? { crateDir: s.crateDir } : {}), ...(s.former ? { formerNames: s.former } : {}),
    });
  });
}

const real = stack(REAL);
const id = (name: string) => resolveComponent(real, name).component.id;
const failure = (f: () => unknown): NameError => {
  try {
    f();
  } catch (e) {
    if (e instanceof NameError) return e;
    throw e;
  }
  throw new Error('expected a NameError');
};

describe('resolveComponent', () => {
  it('accepts the id, the repository with or without owner, and the crate name, without a warning', () => {
    for (const name of ['governance-app', 'BTCDecoded/blvm-commons', 'blvm-commons'])
      expect(resolveComponent(real, name)).toEqual({ component: real.find((c) => c.id === 'governance-app') });
    expect(id('blvm-node')).toBe('bllvm-node');
    expect(id('BTCDecoded/blvm')).toBe('bllvm');
    expect(id('blvm-muhash')).toBe('blvm-muhash');
  });

  it('accepts a former name (alone or with the owner) with a warning naming the current one', () => {
    expect(resolveComponent(real, 'bllvm-governance')).toEqual({
      component: real.find((c) => c.id === 'governance-app'),
      warning: '"bllvm-governance" is a former name of governance-app (BTCDecoded/blvm-commons); use "governance-app"',
    });
    expect(resolveComponent(real, 'BTCDecoded/bllvm-commons').warning).toMatch(/^"BTCDecoded\/bllvm-commons" is a former name of governance-app/);
  });

  it('prefers the id to a former name of the same component (the seed\'s ids are the old names)', () => {
    expect(resolveComponent(real, 'bllvm-node')).toEqual({ component: real.find((c) => c.id === 'bllvm-node') });
  });

  it('refuses an unknown name, listing the valid ones, with exit code 1 unless asked otherwise', () => {
    const e = failure(() => resolveComponent(real, 'blvm-wallet'));
    expect(e.message).toMatch(/^unknown component "blvm-wallet" \(known: blvm-primitives, .*governance-app; or a repository, crate or former name: .*blvm-commons.*bllvm-governance/);
    expect(e.exitCode).toBe(1);
    expect(failure(() => resolveComponent(real, 'x', { exitCode: 2 })).exitCode).toBe(2);
  });

  it('is exact: no case folding, no look-alikes, no paths', () => {
    for (const name of ['BLVM-NODE', 'blvm-n\u043ede', '../blvm-node', 'blvm-node/', 'BTCDecoded/../blvm-node', 'Other/blvm-node', ''])
      expect(() => resolveComponent(real, name), name).toThrow(NameError);
    expect(failure(() => resolveComponent(real, 'blvm-n\u043ede')).message).toContain('"blvm-n\\u{43e}de"');
  });

  it('refuses a name two components answer to, listing both', () => {
    const clash = stack({ ...REAL, 'bllvm-sdk': { ...REAL['bllvm-sdk']!, former: ['bllvm-sdk', 'bllvm-governance'] } });
    expect(failure(() => resolveComponent(clash, 'bllvm-governance')).message).toBe(
      '"bllvm-governance" is ambiguous: it names bllvm-sdk (BTCDecoded/blvm-sdk) and governance-app (BTCDecoded/blvm-commons); use one of their ids (bllvm-sdk, governance-app)',
    );
    const crateClash = stack({ ...REAL, 'bllvm-sdk': { ...REAL['bllvm-sdk']!, crate: 'blvm-commons' } });
    expect(failure(() => resolveComponent(crateClash, 'blvm-commons')).message).toMatch(/is ambiguous: it names bllvm-sdk .* and governance-app/);
  });
});

describe('componentOfWord (the <x> of a legacy build_<x>)', () => {
  it.each([
    ['node', 'bllvm-node'],
    ['governance', 'governance-app'],
    ['commons', 'governance-app'],
    ['consensus', 'bllvm-consensus'],
    ['protocol', 'bllvm-protocol'],
    ['sdk', 'bllvm-sdk'],
    ['primitives', 'blvm-primitives'],
    ['blvm', 'bllvm'],
    ['bllvm', 'bllvm'],
  ])('reads %s as %s', (word, component) => {
    expect(componentOfWord(real, word)?.component.id).toBe(component);
  });

  it('reads the seed\'s five types in the seed\'s stack', () => {
    const seed = stack(Object.fromEntries(Object.entries(REAL).filter(([k]) => !k.startsWith('blvm-')).map(([k, v]) => [k, { repo: k, deps: v.deps.filter((d) => !d.startsWith('blvm-')) }])));
    expect(['consensus', 'protocol', 'node', 'sdk', 'governance'].map((w) => componentOfWord(seed, w)?.component.id)).toEqual([
      'bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm-sdk', 'governance-app',
    ]);
  });

  it('refuses a word of several components, and a word of none', () => {
    const twoLocks = stack({ ...REAL, 'blvm-lock': { repo: 'blvm-lock', deps: [] } });
    expect(componentOfWord(twoLocks, 'spec')?.component.id).toBe('blvm-spec-lock');
    expect(componentOfWord(twoLocks, 'lock')).toBeUndefined(); // both blvm-lock and blvm-spec-lock have the word
    expect(componentOfWord(real, 'secp')).toBeUndefined();
    expect(componentOfWord(real, 'wallet')).toBeUndefined();
    expect(componentOfWord(real, '')).toBeUndefined();
  });

  it('warns when the word only fits a former name', () => {
    const r = componentOfWord(real, 'bllvm-governance');
    expect(r?.warning).toMatch(/former name/);
    const onlyOld = stack({ ...REAL, 'governance-app': { ...REAL['governance-app']!, former: ['bllvm-commons', 'governance-bot'] } });
    expect(componentOfWord(onlyOld, 'bot')).toEqual({ component: onlyOld.find((c) => c.id === 'governance-app'), warning: expect.stringMatching(/only through a former name; use "governance-app"/) });
  });
});
