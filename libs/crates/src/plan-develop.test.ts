import { describe, expect, it } from 'vitest';
import { readCrateManifest } from './cargo-manifest';
import { parseDevelopSet, serializeDevelopSet } from './develop-set';
import { crateVersions, developUsed, planDevelop } from './plan-develop';
import type { PlanInput, PublishedVersion } from './plan-versions';
import { admits, parseRequirement, parseVersion } from './semver';
import { updateCrateManifest } from './update-manifest';

function manifest(name: string, version: string, deps: Record<string, string> = {}) {
  const lines = [`[package]`, `name = "${name}"`, `version = "${version}"`, '', '[dependencies]', ...Object.entries(deps).map(([k, v]) => `${k} = ${v}`)];
  return readCrateManifest(lines.join('\n'), `${name}/Cargo.toml`);
}

const published = (...vs: string[]): PublishedVersion[] => vs.map((v) => ({ version: v.replace(/!$/, ''), yanked: v.endsWith('!') }));

/** consensus ← protocol ← node, as the org's develop channel publishes them. */
function input(over: Partial<PlanInput> = {}): PlanInput {
  return {
    order: ['consensus', 'protocol', 'node'],
    versions: { consensus: { version: '0.1.4' }, protocol: { version: '0.1.2' }, node: { version: '0.1.0' } },
    crates: {
      consensus: manifest('blvm-consensus', '0.1.4'),
      protocol: manifest('blvm-protocol', '0.1.2', { 'blvm-consensus': '{ version = ">=0.1, <1", path = "../blvm-consensus" }' }),
      node: manifest('blvm-node', '0.1.0', { 'blvm-protocol': '"0.1"', 'blvm-consensus': '"=0.1.4"' }),
    },
    used: {
      'blvm-consensus': published('0.1.3', '0.1.4', '0.1.5-dev.1', '0.1.5-dev.2!', '0.1.5-rc.7'),
      'blvm-protocol': published('0.1.2'),
    },
    ...over,
  };
}

const rows = (p: ReturnType<typeof planDevelop>) => p.components.map((r) => [r.component, r.crate, r.release, r.to]);

describe('planDevelop', () => {
  it('X.Y.Z is the next official version, N one past the highest dev.N of that X.Y.Z ever published (yanked too)', () => {
    const plan = planDevelop(input());
    expect(rows(plan)).toEqual([
      ['consensus', 'blvm-consensus', '0.1.5', '0.1.5-dev.3'],
      ['protocol', 'blvm-protocol', '0.1.3', '0.1.3-dev.1'],
      ['node', 'blvm-node', '0.1.1', '0.1.1-dev.1'],
    ]);
    expect(plan.components.map((r) => r.dev)).toEqual([3, 1, 1]);
    expect(plan.components[0]!.why).toBe('after 0.1.5-dev.2 (the highest on the registry, yanked); 0.1.5 is the next release: patch after 0.1.5-rc.7 (the highest on the registry); yanked 0.1.5-dev.2 still used');
    expect(plan.components[1]!.why).toMatch(/^the first dev of 0\.1\.3; 0\.1\.3 is the next release: patch after 0\.1\.2/);
  });

  it('N rises with every nightly: the set published last time is on the registry the next time', () => {
    const first = planDevelop(input());
    const used = { ...input().used };
    for (const v of crateVersions(first)) used[v.crate] = [...(used[v.crate] ?? []), { version: v.version, yanked: false }];
    const second = planDevelop(input({ used }));
    expect(rows(second)).toEqual([
      ['consensus', 'blvm-consensus', '0.1.5', '0.1.5-dev.4'],
      ['protocol', 'blvm-protocol', '0.1.3', '0.1.3-dev.2'],
      ['node', 'blvm-node', '0.1.1', '0.1.1-dev.2'],
    ]);
  });

  it('moves to the next X.Y.Z once the release it led to is out', () => {
    const used = { ...input().used, 'blvm-consensus': [...input().used['blvm-consensus']!, ...published('0.1.5')] };
    expect(rows(planDevelop(input({ used })))[0]).toEqual(['consensus', 'blvm-consensus', '0.1.6', '0.1.6-dev.1']);
    used['blvm-consensus'] = [...used['blvm-consensus']!, ...published('0.1.6-dev.1!')];
    expect(rows(planDevelop(input({ used })))[0]).toEqual(['consensus', 'blvm-consensus', '0.1.6', '0.1.6-dev.2']);
  });

  it('a minor bump plans dev versions of the minor', () => {
    expect(rows(planDevelop(input({ bumps: { protocol: 'minor' } })))[1]).toEqual(['protocol', 'blvm-protocol', '0.2.0', '0.2.0-dev.1']);
  });

  it('rewrites every downstream requirement to admit the upstream dev version, as cargo matches pre-releases', () => {
    const plan = planDevelop(input());
    expect(plan.requirements.map((r) => [r.component, r.dependency, r.action, r.from, r.to])).toEqual([
      ['protocol', 'blvm-consensus', 'rewrite', '>=0.1, <1', '>=0.1.5-dev.3, <1'],
      ['node', 'blvm-protocol', 'rewrite', '0.1', '0.1.3-dev.1'],
      ['node', 'blvm-consensus', 'rewrite', '=0.1.4', '=0.1.5-dev.3'],
    ]);
    // A range that admits the release does not admit its pre-release: that is why "0.1" had to change.
    expect(admits(parseRequirement('>=0.1, <1')!, parseVersion('0.1.5-dev.3')!)).toBe(false);
    for (const r of plan.requirements) {
      const target = plan.components.find((c) => c.component === r.upstream)!.to;
      expect(admits(parseRequirement(r.to!)!, parseVersion(target)!), `${r.to} admits ${target}`).toBe(true);
    }
  });

  it('keeps a requirement that already names an earlier dev of the same X.Y.Z', () => {
    const crates = { ...input().crates, node: manifest('blvm-node', '0.1.0', { 'blvm-protocol': '"0.1.3-dev.1"', 'blvm-consensus': '"0.1.5-dev.1"' }) };
    const plan = planDevelop(input({ crates }));
    expect(plan.requirements.slice(1).map((r) => [r.dependency, r.action, r.from, r.to])).toEqual([
      ['blvm-protocol', 'keep', '0.1.3-dev.1', undefined],
      ['blvm-consensus', 'keep', '0.1.5-dev.1', undefined],
    ]);
  });

  it('the release commits can apply the plan: the manifest editor takes dev versions', () => {
    const plan = planDevelop(input());
    const next = Object.fromEntries(crateVersions(plan).map((v) => [v.crate, v.version]));
    const text = '[package]\nname = "blvm-node"\nversion = "0.1.0"\n\n[dependencies]\nblvm-protocol = "0.1" # the protocol\nblvm-consensus = "=0.1.4"\n';
    const updated = updateCrateManifest(text, 'blvm-node/Cargo.toml', { version: next['blvm-node'], dependencies: next });
    expect(updated.text).toBe('[package]\nname = "blvm-node"\nversion = "0.1.1-dev.1"\n\n[dependencies]\nblvm-protocol = "0.1.3-dev.1" # the protocol\nblvm-consensus = "=0.1.5-dev.3"\n');
  });

  it('lists the set in chain order as {component, crate, version}', () => {
    expect(crateVersions(planDevelop(input()))).toEqual([
      { component: 'consensus', crate: 'blvm-consensus', version: '0.1.5-dev.3' },
      { component: 'protocol', crate: 'blvm-protocol', version: '0.1.3-dev.1' },
      { component: 'node', crate: 'blvm-node', version: '0.1.1-dev.1' },
    ]);
  });

  it('refuses a registry version that is not one, naming the crate', () => {
    expect(() => planDevelop(input({ used: { 'blvm-protocol': published('0.1.x') } }))).toThrow('the registry lists version "0.1.x" of blvm-protocol, which is not a version');
  });
});

describe('the develop set file', () => {
  const set = { schema: 1 as const, kind: 'develop' as const, registry: 'sparse+http://127.0.0.1:1/index/', crates: crateVersions(planDevelop(input())) };

  it('reads back what it wrote', () => {
    expect(parseDevelopSet(JSON.parse(serializeDevelopSet(set)), 'crates.json')).toEqual(set);
  });

  it.each([
    [{ ...set, schema: 2 }, 'crates.json: schema must be 1, got 2'],
    [{ ...set, kind: 'official' }, 'crates.json: kind must be "develop", got "official"'],
    [{ ...set, crates: [{ component: 'node', crate: 'blvm-node', version: 'latest' }] }, 'crates.json: crates[0].version must be a version, got "latest"'],
    [{ ...set, crates: [{ component: '../x', crate: 'blvm-node', version: '0.1.0' }] }, 'crates.json: crates[0].component must be a name, got "../x"'],
    [{ ...set, crates: [set.crates[0], set.crates[0]] }, 'crates.json: crates[1]: consensus is listed twice'],
    [[], 'crates.json: is not a JSON object'],
  ])('refuses a bad record in one line: %#', (json, message) => {
    expect(() => parseDevelopSet(json, 'crates.json')).toThrow(message);
  });
});

describe('the versions the develop set counts as used', () => {
  it('adds every vX.Y.Z-dev.N tag the registry never saw, once, and nothing else', () => {
    const registry = [{ version: '0.1.0', yanked: false }, { version: '0.1.1-dev.1', yanked: true }];
    expect(developUsed(registry, ['v0.1.1-dev.1', 'v0.1.1-dev.2', 'v0.1.1-dev.2', 'v0.1.0', 'v0.1.1-rc.1', 'release-1', 'v0.1.1-dev.x'])).toEqual([
      ...registry,
      { version: '0.1.1-dev.2', yanked: false },
    ]);
  });
});
