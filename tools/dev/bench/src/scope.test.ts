import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ComponentGraph, readComponentGraph } from '@bllvm/manifest';
import { criticalPath, normaliseDeps, serialSum } from './critical-path';
import { decompose } from './decompose';
import { BASELINE_TABLE, baselinePipelineScope, baselineTableScope, baselineTasks, builtComponents, cargoSubcommand, checkoutFolderOf, compareScope, idealScope, sameSet } from './scope';
import { stat } from './stats';

// The scope comparison of the benchmark, without building anything: the old pipeline's table
// (REFERENCE.md §5) against the ideal computed from the real graph in apps/*/project.json.
const ROOT = resolve(import.meta.dirname, '..', '..', '..', '..');
let graph: ComponentGraph;
beforeAll(async () => {
  graph = await readComponentGraph(ROOT);
});

describe('scope of a one-component change', () => {
  it('the ideal is the component plus its transitive dependents in the real graph', () => {
    expect(idealScope(graph, 'bllvm-protocol')).toEqual(['bllvm-protocol', 'bllvm-node', 'bllvm', 'bllvm-sdk', 'governance-app']);
    expect(idealScope(graph, 'bllvm-consensus')).toHaveLength(6);
    expect(idealScope(graph, 'bllvm-sdk')).toEqual(['bllvm-sdk', 'governance-app']);
    expect(idealScope(graph, 'bllvm')).toEqual(['bllvm']);
  });

  it('the old table misses bllvm for a protocol change, and ours (the ideal) includes it', () => {
    const row = compareScope(graph, 'bllvm-protocol', idealScope(graph, 'bllvm-protocol'));
    expect(row.baselineTable).not.toContain('bllvm');
    expect(row.ideal).toContain('bllvm');
    expect(row.ours).toContain('bllvm');
    expect(row.oursEqualsIdeal).toBe(true);
    expect(row.baselineMissed).toEqual(['bllvm']);
  });

  it('the old table misses bllvm whenever an upstream of it changes, and has no event at all for bllvm', () => {
    for (const c of ['bllvm-consensus', 'bllvm-protocol', 'bllvm-node']) expect(compareScope(graph, c).baselineMissed, c).toEqual(['bllvm']);
    expect(baselineTableScope('bllvm')).toEqual([]);
    expect(compareScope(graph, 'bllvm').baselineMissed).toEqual(['bllvm']);
  });

  it('the old pipeline rebuilt bllvm after sdk and governance-app changes that cannot affect it', () => {
    expect(compareScope(graph, 'bllvm-sdk').baselineExtra).toEqual(['bllvm']);
    expect(compareScope(graph, 'governance-app').baselineExtra).toEqual(['bllvm']);
    expect(compareScope(graph, 'bllvm-sdk').baselineMissed).toEqual([]);
  });

  it('build_all and build_consensus rebuild the same five; every table row is closed under the serial order', () => {
    expect(BASELINE_TABLE.build_all).toEqual(BASELINE_TABLE.build_consensus);
    for (const c of graph.components) {
      const pipeline = baselinePipelineScope(c);
      expect(pipeline.at(-1), c).toBe('bllvm');
      expect(new Set(pipeline).size).toBe(pipeline.length);
    }
  });

  it('the baseline tasks run consensus as verify, governance-app as binaries then image, bllvm last', () => {
    expect(baselineTasks('bllvm-consensus').map((t) => `${t.project}:${t.target}`)).toEqual([
      'bllvm-consensus:verify', 'bllvm-protocol:build', 'bllvm-node:build', 'bllvm-sdk:build',
      'governance-app:compile', 'governance-app:build', 'bllvm:build',
    ]);
    expect(baselineTasks('bllvm').map((t) => `${t.project}:${t.target}`)).toEqual(['bllvm:build']);
  });

  it('reads the components a run built from the shims log', () => {
    const calls = [
      { tool: 'cargo', cwd: '/w/.bllvm/sources/bllvm-sdk', args: 'build --release' },
      { tool: 'cargo', cwd: '/w/.bllvm/sources/governance-app', args: 'build --release --target x' },
      { tool: 'docker', cwd: '/w', args: 'build --network none -t img ctx' },
      { tool: 'docker', cwd: '/w', args: 'image inspect img' },
      { tool: 'cargo', cwd: '/w/elsewhere', args: 'metadata' },
    ];
    expect(builtComponents(calls, graph.components)).toEqual(['bllvm-sdk', 'governance-app']);
    expect(sameSet(builtComponents(calls, graph.components), idealScope(graph, 'bllvm-sdk'))).toBe(true);
  });

  it('counts compilations only: the containment and option checks read upstream checkouts without building them', () => {
    const calls = [
      // A node change: the containment probe's metadata runs in every checkout of the set.
      { tool: 'cargo', cwd: '/src/bllvm-consensus', args: '--config patch.crates-io.x.path="/src/y" metadata --format-version 1' },
      { tool: 'cargo', cwd: '/src/bllvm-protocol', args: 'metadata --no-deps --format-version 1' },
      { tool: 'cargo', cwd: '/src/bllvm-protocol', args: '--config a=b fetch --locked' },
      { tool: 'cargo', cwd: '/src/bllvm-protocol', args: 'generate-lockfile' },
      { tool: 'cargo', cwd: '/src/bllvm-node', args: '--config registries.x.index="sparse+http://127.0.0.1:1/" --config patch.crates-io.p.path="/src/bllvm-protocol" build --message-format=json-render-diagnostics --release --locked' },
      { tool: 'cargo', cwd: '/src/bllvm/.', args: '-Z unstable-options build --release' },
      { tool: 'cargo', cwd: '/src/bllvm-sdk', args: '+stable test --release' },
    ];
    expect(builtComponents(calls, graph.components)).toEqual(['bllvm-node', 'bllvm', 'bllvm-sdk']);
  });

  it('maps a checkout folder to its component when they differ, the crate in a subfolder', () => {
    const calls = [
      { tool: 'cargo', cwd: '/src/blvm-commons/governance-app', args: 'build --release' },
      { tool: 'cargo', cwd: '/src/blvm-consensus', args: 'test --features verify --release' },
      { tool: 'cargo', cwd: '/src/blvm-primitives', args: 'package --no-verify' },
      { tool: 'cargo', cwd: '/src/blvm-node', args: 'metadata' },
    ];
    const folders = { 'blvm-commons': 'governance-app', 'blvm-consensus': 'bllvm-consensus', 'blvm-primitives': 'blvm-primitives', 'blvm-node': 'bllvm-node' };
    expect(builtComponents(calls, ['blvm-primitives', 'bllvm-consensus', 'bllvm-node', 'governance-app'], folders)).toEqual(['blvm-primitives', 'bllvm-consensus', 'governance-app']);
    expect(cargoSubcommand('--config a=b --config c=d rustc --release')).toBe('rustc');
    expect(cargoSubcommand('--version')).toBeUndefined();
    expect(checkoutFolderOf('/src/blvm-commons/governance-app')).toBe('blvm-commons');
    expect(checkoutFolderOf('/w/.bllvm/sources/blvm-node')).toBe('blvm-node');
    expect(checkoutFolderOf('/w/elsewhere')).toBeUndefined();
  });
});

describe('critical path', () => {
  const deps = normaliseDeps({
    'a:build': [],
    'a:verify:sandbox': [],
    'b:build': ['a:build'],
    'c:build': ['b:build'],
    'd:build': ['b:build'],
    'e:compile': ['d:build'],
    'e:build': ['e:compile'],
  });
  const w: Record<string, number> = { 'a:build': 2, 'a:verify': 5, 'b:build': 3, 'c:build': 10, 'd:build': 4, 'e:compile': 4, 'e:build': 1 };

  it('is the heaviest chain, not the sum', () => {
    const cp = criticalPath(deps, (t) => w[t]!);
    expect(cp).toEqual({ ms: 15, path: ['a:build', 'b:build', 'c:build'] });
    expect(serialSum(deps, (t) => w[t]!)).toBe(29);
  });

  it('moves to the other branch when it gets heavier', () => {
    expect(criticalPath(deps, (t) => (t === 'e:build' ? 20 : w[t]!)).path).toEqual(['a:build', 'b:build', 'd:build', 'e:compile', 'e:build']);
  });

  it('rejects a cycle', () => {
    expect(() => criticalPath({ x: ['y'], y: ['x'] }, () => 1)).toThrow(/cycle/);
  });
});

describe('stats', () => {
  it('median and range', () => {
    expect(stat([3, 1, 2])).toMatchObject({ median: 2, min: 1, max: 3, n: 3 });
    expect(stat([4, 1, 2, 3]).median).toBe(2.5);
    expect(stat([]).n).toBe(0);
  });
});

describe('decomposition of a run along a path', () => {
  it('splits the wall time into before, tools, overhead, gaps and after', () => {
    const d = decompose(
      {
        startedAtMs: 1000,
        endedAtMs: 2000,
        wallMs: 1000,
        tasks: [
          { task: 'a:build', status: 'built', toolMs: 100 },
          { task: 'b:build', status: 'built', toolMs: 300 },
        ],
        nx: [
          { task: 'a:build', startMs: 1200, endMs: 1400 },
          { task: 'b:build', startMs: 1450, endMs: 1850 },
        ],
      },
      ['a:build', 'b:build'],
      () => 150,
    )!;
    expect(d).toEqual({ beforePathMs: 200, pathToolAloneMs: 300, pathToolMs: 400, pathOverheadMs: 200, pathGapsMs: 50, afterPathMs: 150, wallMs: 1000 });
    expect(d.beforePathMs + d.pathToolMs + d.pathOverheadMs + d.pathGapsMs + d.afterPathMs).toBe(d.wallMs);
  });
});
