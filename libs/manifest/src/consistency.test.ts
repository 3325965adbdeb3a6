import { describe, expect, it } from 'vitest';
import { type Component, toComponent } from './component';
import { checkVersionsAgainstGraph } from './consistency';
import { type ComponentGraph, topologicalOrder } from './graph';
import { parseVersions } from './versions';

const deps = {
  'bllvm-consensus': [],
  'bllvm-protocol': ['bllvm-consensus'],
  'bllvm-node': ['bllvm-protocol'],
  bllvm: ['bllvm-node'],
  'bllvm-sdk': ['bllvm-node'],
  'governance-app': ['bllvm-protocol', 'bllvm-sdk'],
};
const graph: ComponentGraph = {
  components: topologicalOrder(deps),
  dependencies: deps,
  roots: Object.fromEntries(Object.keys(deps).map((c) => [c, `apps/${c}`])),
  tags: {},
};

describe('versions.toml against the graph', () => {
  const entry = (name: string, requires: string[]) =>
    `${name} = { version = "0.1.0", git_tag = "v0.1.0"${requires.length ? `, requires = [${requires.map((r) => `"${r}=0.1.0"`).join(', ')}]` : ''} }`;
  const file = (overrides: Record<string, string[]> = {}, drop: string[] = []) =>
    parseVersions(
      ['[versions]', ...Object.entries({ ...deps, ...overrides }).filter(([n]) => !drop.includes(n)).map(([n, r]) => entry(n, r))].join('\n'),
      'versions.toml',
    );

  it('agrees when requires equal the declared edges', () => {
    expect(checkVersionsAgainstGraph(graph, file())).toEqual([]);
  });

  it('lists every disagreement, one per line with its file and line: the real org\'s drift', () => {
    // The org's own file: sdk requiring nothing, governance-app only the sdk.
    const problems = checkVersionsAgainstGraph(graph, file({ 'bllvm-sdk': [], 'governance-app': ['bllvm-sdk'] }, ['bllvm']));
    expect([...problems].sort()).toEqual([
      'versions.toml: component "bllvm" has no [versions] entry',
      'versions.toml:5: versions.bllvm-sdk.requires is missing "bllvm-node", a direct dependency (declared in apps/bllvm-sdk/project.json)',
      'versions.toml:6: versions.governance-app.requires is missing "bllvm-protocol", a direct dependency (declared in apps/governance-app/project.json)',
    ]);
  });

  it('accepts a transitive upstream in requires, as the real files list the whole chain', () => {
    // governance-app → sdk → node → protocol → consensus: all upstream of the app.
    const chain = file({ 'governance-app': ['bllvm-protocol', 'bllvm-sdk', 'bllvm-node', 'bllvm-consensus'], bllvm: ['bllvm-node', 'bllvm-consensus'] });
    expect(checkVersionsAgainstGraph(graph, chain)).toEqual([]);
  });

  it('flags a requires edge that is not an upstream at all, and an entry that is not a component', () => {
    const v = parseVersions(['[versions]', ...Object.entries(deps).map(([n, r]) => entry(n, n === 'bllvm' ? [...r, 'bllvm-sdk'] : r)), entry('bllvm-wallet', [])].join('\n'), 'versions.toml');
    expect(checkVersionsAgainstGraph(graph, v)).toEqual([
      'versions.toml:5: versions.bllvm.requires lists "bllvm-sdk", which is not an upstream of bllvm (apps/bllvm/project.json does not depend on it, directly or not)',
      'versions.toml:8: versions.bllvm-wallet is not a component of this workspace',
    ]);
  });

  it('says only the direct dependency is missing when a transitive one stands in for it', () => {
    // governance-app lists consensus (upstream, fine) but not its direct dependency protocol.
    expect(checkVersionsAgainstGraph(graph, file({ 'governance-app': ['bllvm-consensus', 'bllvm-sdk'] }))).toEqual([
      'versions.toml:7: versions.governance-app.requires is missing "bllvm-protocol", a direct dependency (declared in apps/governance-app/project.json)',
    ]);
  });
});

describe('versions.toml written with the real stack\'s names', () => {
  const SHA = '0'.repeat(40);
  // The seed's ids pointed at the renamed repositories; the app's crate and former names differ again.
  const REPOS: Record<string, [string, string[], string?]> = {
    'bllvm-consensus': ['blvm-consensus', ['bllvm-consensus']],
    'bllvm-protocol': ['blvm-protocol', ['bllvm-protocol']],
    'bllvm-node': ['blvm-node', ['bllvm-node']],
    bllvm: ['blvm', ['bllvm']],
    'bllvm-sdk': ['blvm-sdk', ['bllvm-sdk']],
    'governance-app': ['blvm-commons', ['bllvm-commons', 'bllvm-governance'], 'blvm-commons'],
  };
  const components: Component[] = graph.components.map((id) => {
    const [repo, former, crate] = REPOS[id]!;
    return toComponent('/ws', graph, id, { repository: `BTCDecoded/${repo}`, branch: 'main', commit: SHA, formerNames: former, ...(crate ? { crate } : {}) });
  });
  const REAL = `[versions]
blvm-consensus = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "" }
blvm-protocol = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "", requires = ["blvm-consensus=0.1.0"] }
blvm-node = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "", requires = ["blvm-protocol=0.1.0", "blvm-consensus=0.1.0"] }
blvm = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "", requires = ["blvm-node=0.1.0"], binaries = ["blvm"] }
blvm-sdk = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "", requires = ["blvm-node=0.1.0"] }
bllvm-commons = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "", requires = ["blvm-protocol=0.1.0", "bllvm-sdk=0.1.0"] }
`;

  it('reads repository and crate names as the components\' ids, a former name with one warning naming the current one', () => {
    const v = parseVersions(REAL, 'versions.toml', { components });
    expect(Object.keys(v.entries).sort()).toEqual([...graph.components].sort());
    expect(v.entries['governance-app']).toMatchObject({ name: 'governance-app', requires: { 'bllvm-protocol': '0.1.0', 'bllvm-sdk': '0.1.0' } });
    expect(v.locations['governance-app']).toEqual({ written: 'bllvm-commons', line: 7 });
    expect(v.warnings).toEqual(['versions.toml:7: versions.bllvm-commons: "bllvm-commons" is a former name of governance-app (BTCDecoded/blvm-commons); use "governance-app"']);
    expect(v.buildOrder).toEqual(graph.components);
    expect(checkVersionsAgainstGraph(graph, v)).toEqual([]);
  });

  it('names drift by the name the file uses, with its line', () => {
    const v = parseVersions(REAL.replace('requires = ["blvm-node=0.1.0"] }', 'requires = [] }'), 'versions.toml', { components });
    expect(checkVersionsAgainstGraph(graph, v)).toEqual([
      'versions.toml:6: versions.blvm-sdk.requires (component bllvm-sdk) is missing "bllvm-node", a direct dependency (declared in apps/bllvm-sdk/project.json)',
    ]);
  });

  it('refuses two entries for one component, and a requires listing one twice under two names', () => {
    expect(() => parseVersions(`${REAL}bllvm-node = { version = "0.1.0", git_tag = "v0.1.0" }\n`, 'versions.toml', { components })).toThrow(
      /versions\.toml:8: versions\.bllvm-node: names the same component as versions\.blvm-node \(bllvm-node\); keep one entry/,
    );
    expect(() => parseVersions(REAL.replace('["blvm-node=0.1.0"], binaries', '["blvm-node=0.1.0", "bllvm-node=0.1.0"], binaries'), 'versions.toml', { components })).toThrow(
      /versions\.blvm\.requires: "bllvm-node" names bllvm-node, which is already listed/,
    );
  });

  it('refuses a name two components answer to, naming both', () => {
    const clash = components.map((c) => (c.id === 'bllvm-sdk' ? { ...c, formerNames: [...c.formerNames, 'bllvm-commons'] } : c));
    expect(() => parseVersions(REAL, 'versions.toml', { components: clash })).toThrow(
      'versions.toml:7: versions.bllvm-commons: "bllvm-commons" is ambiguous: it names bllvm-sdk (BTCDecoded/blvm-sdk) and governance-app (BTCDecoded/blvm-commons)',
    );
  });

  it('without the stack, reads names as written (what the release tag and the generator need)', () => {
    expect(() => parseVersions(REAL, 'versions.toml')).toThrow(/requires undefined component "bllvm-sdk"/);
  });
});
