import { describe, expect, it } from 'vitest';
import { readCrateManifest } from './cargo-manifest';
import { type PlanInput, type PublishedVersion, planVersions } from './plan-versions';

/** A crate's Cargo.toml as the plan reads it, from real manifest text. */
function manifest(name: string, version: string, deps: Record<string, string> = {}, extra = '') {
  const lines = [`[package]`, `name = "${name}"`, `version = "${version}"`, '', '[dependencies]', ...Object.entries(deps).map(([k, v]) => `${k} = ${v}`), extra];
  return readCrateManifest(lines.join('\n'), `${name}/Cargo.toml`);
}

const published = (...vs: string[]): PublishedVersion[] => vs.map((v) => ({ version: v.replace(/!$/, ''), yanked: v.endsWith('!') }));

/** primitives ← consensus ← node, each component named after its crate's last word. */
function input(over: Partial<PlanInput> = {}): PlanInput {
  return {
    order: ['primitives', 'consensus', 'node'],
    versions: { primitives: { version: '0.1.0' }, consensus: { version: '0.1.3' }, node: { version: '0.1.0' } },
    crates: {
      primitives: manifest('blvm-primitives', '0.1.0'),
      consensus: manifest('blvm-consensus', '0.1.3', { 'blvm-primitives': '{ version = ">=0.1, <1", path = "../blvm-primitives" }' }),
      node: manifest('blvm-node', '0.1.0', { 'blvm-consensus': '"0.1"', 'blvm-primitives': '"=0.1.2"' }),
    },
    used: {
      'blvm-primitives': published('0.1.0', '0.1.1', '0.1.2'),
      'blvm-consensus': published('0.1.0', '0.1.3', '0.1.4!'),
    },
    ...over,
  };
}

const rows = (p: ReturnType<typeof planVersions>) => p.components.map((r) => [r.component, r.crate, r.from, r.to]);
const reqs = (p: ReturnType<typeof planVersions>) => p.requirements.map((r) => [r.component, r.dependency, r.action, r.from, r.to]);

describe('planVersions', () => {
  it('bumps the highest of versions.toml and every version ever published, skipping a yanked one', () => {
    const plan = planVersions(input());
    expect(rows(plan)).toEqual([
      ['primitives', 'blvm-primitives', '0.1.0', '0.1.3'],
      ['consensus', 'blvm-consensus', '0.1.3', '0.1.5'],
      ['node', 'blvm-node', '0.1.0', '0.1.1'],
    ]);
    const [primitives, consensus, node] = plan.components;
    expect(primitives!.why).toBe('patch after 0.1.2 (the highest on the registry)');
    expect(consensus!.why).toBe('patch after 0.1.4 (the highest on the registry, yanked)');
    expect(node!.why).toBe('patch after 0.1.0 (versions.toml); never published');
    expect(plan.components.every((r) => r.bump === 'patch' && !r.breaking)).toBe(true);
  });

  it('keeps a range or caret that admits the new version, rewrites an exact pin', () => {
    const plan = planVersions(input());
    expect(reqs(plan)).toEqual([
      ['consensus', 'blvm-primitives', 'keep', '>=0.1, <1', undefined],
      ['node', 'blvm-consensus', 'keep', '0.1', undefined],
      ['node', 'blvm-primitives', 'rewrite', '=0.1.2', '=0.1.3'],
    ]);
    expect(plan.requirements[0]).toMatchObject({ why: '">=0.1, <1" admits 0.1.3', table: ['dependencies'], path: ['dependencies', 'blvm-primitives', 'version'], upstream: 'primitives' });
    expect(plan.requirements[2]).toMatchObject({ why: '"=0.1.2" pins 0.1.2', file: 'blvm-node/Cargo.toml', path: ['dependencies', 'blvm-primitives'] });
  });

  it('a minor bump under 0.x is breaking: "0.1" downstream must change, the org\'s range need not', () => {
    const plan = planVersions(input({ bumps: { consensus: 'minor' } }));
    expect(plan.components[1]).toMatchObject({ to: '0.2.0', bump: 'minor', breaking: true, why: 'minor (breaking under 0.x) after 0.1.4 (the highest on the registry, yanked)' });
    expect(plan.requirements[1]).toMatchObject({ component: 'node', action: 'rewrite', from: '0.1', to: '0.2', why: '"0.1" does not admit 0.2.0 (minor, breaking)' });
  });

  it('a major bump leaves 0.x: the range >=0.1, <1 must change', () => {
    const plan = planVersions(input({ bumps: { primitives: 'major' } }));
    expect(plan.components[0]).toMatchObject({ to: '1.0.0', breaking: true, why: 'major (breaking) after 0.1.2 (the highest on the registry)' });
    expect(reqs(plan).slice(0, 1)).toEqual([['consensus', 'blvm-primitives', 'rewrite', '>=0.1, <1', '>=1.0, <2']]);
    expect(reqs(plan)[2]).toEqual(['node', 'blvm-primitives', 'rewrite', '=0.1.2', '=1.0.0']);
  });

  it('past 1.0 a minor bump is compatible', () => {
    const plan = planVersions(
      input({ versions: { primitives: { version: '1.2.0' }, consensus: { version: '0.1.3' }, node: { version: '0.1.0' } }, used: {}, bumps: { primitives: 'minor' } }),
    );
    expect(plan.components[0]).toMatchObject({ to: '1.3.0', breaking: false, why: 'minor after 1.2.0 (versions.toml); never published; its Cargo.toml says 0.1.0' });
    expect(reqs(plan)[0]).toEqual(['consensus', 'blvm-primitives', 'rewrite', '>=0.1, <1', '>=1.3, <2']);
  });

  it('takes the registry when it is ahead of versions.toml, and Cargo.toml when it is ahead of both', () => {
    const plan = planVersions(
      input({
        crates: { ...input().crates, node: manifest('blvm-node', '0.1.13', { 'blvm-consensus': '"0.1"' }) },
        used: { 'blvm-primitives': published('0.1.0', '0.2.0'), 'blvm-node': published('0.1.9') },
      }),
    );
    expect(plan.components[0]).toMatchObject({ from: '0.1.0', to: '0.2.1', why: 'patch after 0.2.0 (the highest on the registry)' });
    expect(plan.components[2]).toMatchObject({ from: '0.1.0', to: '0.1.14', why: 'patch after 0.1.13 (its Cargo.toml)' });
  });

  it('a pre-release on the registry leads to its release', () => {
    const plan = planVersions(input({ used: { 'blvm-consensus': published('0.1.3', '0.1.4-dev.2', '0.1.4-dev.3') } }));
    expect(plan.components[1]).toMatchObject({ to: '0.1.4', why: 'patch after 0.1.4-dev.3 (the highest on the registry)' });
  });

  it('mentions yanked versions it steps over below the highest', () => {
    const plan = planVersions(input({ used: { 'blvm-consensus': published('0.1.3', '0.1.4!', '0.1.5') } }));
    expect(plan.components[1]!.why).toBe('patch after 0.1.5 (the highest on the registry); yanked 0.1.4 still used');
  });

  it('reports inherited and path-only requirements without touching them', () => {
    const crates = {
      ...input().crates,
      node: manifest('blvm-node', '0.1.0', { 'blvm-consensus': '{ workspace = true }' }, '[dev-dependencies]\nblvm-primitives = { path = "../blvm-primitives" }'),
    };
    const plan = planVersions(input({ crates }));
    expect(reqs(plan).slice(1)).toEqual([
      ['node', 'blvm-consensus', 'inherited', undefined, undefined],
      ['node', 'blvm-primitives', 'none', undefined, undefined],
    ]);
  });

  it('refuses what cannot be planned, in one line naming the component', () => {
    const inherited = readCrateManifest('[package]\nname = "blvm-node"\nversion.workspace = true\n', 'BTCDecoded/blvm-node@abc1234:Cargo.toml');
    expect(() => planVersions(input({ crates: { ...input().crates, node: inherited } }))).toThrow(
      'node: BTCDecoded/blvm-node@abc1234:Cargo.toml: version.workspace = true: the crate takes its version from its workspace; a version plan needs a version of its own in [package]',
    );
    expect(() => planVersions(input({ bumps: { nope: 'minor' } }))).toThrow('cannot bump nope: not a component (known: primitives, consensus, node)');
    expect(() => planVersions(input({ versions: { primitives: { version: '0.1.0' }, consensus: { version: '0.1.0' } } }))).toThrow('node has no entry in versions.toml');
    expect(() => planVersions(input({ versions: { ...input().versions, extra: { version: '0.1.0' } } }))).toThrow('versions.toml lists extra, which is not a component of the graph');
    expect(() => planVersions(input({ crates: { ...input().crates, node: manifest('blvm-consensus', '0.1.0') } }))).toThrow('node and consensus are both crate blvm-consensus');
    expect(() => planVersions(input({ crates: { ...input().crates, node: manifest('blvm-node', '0.1.0', { 'blvm-consensus': '"newest"' }) } }))).toThrow(
      'node: blvm-node/Cargo.toml: [dependencies] blvm-consensus: "newest" is not a requirement cargo reads',
    );
    expect(() => planVersions(input({ used: { 'blvm-node': published('zero') } }))).toThrow('node: the registry lists version "zero" of blvm-node, which is not a version');
  });
});
