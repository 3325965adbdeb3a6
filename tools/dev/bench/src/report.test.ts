import { describe, expect, it } from 'vitest';
import { REAL_SECTION } from './pipeline-profile';
import { GENERATED_MARKER, renderMarkdown, renderRealSection } from './report';
import type { BenchResults, RunStats } from './results';
import { extractSection } from './sections';
import { stat } from './stats';

const s = (...xs: number[]) => stat(xs);
const run: RunStats = { wallMs: s(10_000), cpuMs: s(15_000), foreignLoad: s(0.2) };
const parts = ['beforePathMs', 'pathToolAloneMs', 'pathToolMs', 'pathOverheadMs', 'pathGapsMs', 'afterPathMs', 'wallMs'] as const;
const anatomy = ['nodeStartMs', 'nxStartMs', 'typescriptMs', 'transpilerMs', 'executorImportMs', 'executorMs', 'restMs', 'totalMs'] as const;

function results(profile: 'seed' | 'real' | undefined, components: string[]): BenchResults {
  return {
    schema: 1,
    generatedAt: '2026-12-07T04:00:00.000Z',
    benchWallMs: 600_000,
    machine: { cpuModel: 'cpu', cores: 2, memoryGb: 24, kernel: 'k', node: 'v20', rustc: 'rustc', cargo: 'cargo', nx: '23', git: 'git', podman: 'podman' },
    config: { ...(profile ? { profile } : {}), size: 3, sizes: { bllvm: 30 }, reps: 1, quick: true, nxParallel: 3, targets: ['build', 'verify'], configuration: 'sandbox', orchestratorCommit: 'abcdef0123456789' },
    taskGraph: {},
    perTask: {},
    criticalPath: { cold: { ms: 8000, path: ['a:build'] }, marginal: { ms: 4000, path: ['a:build'] }, serialSumMs: 9000, cpuSumMs: 12_000, capacityBoundMs: 8000 },
    coldNightly: {
      ours: { ...run, runManyMs: s(9000) },
      decomposition: Object.fromEntries(parts.map((k) => [k, s(1)])) as BenchResults['coldNightly']['decomposition'],
      loadAdjustedBoundMs: 8000,
      oursOverLoadAdjustedBound: 1.25,
      baseline: run,
      oursOverCriticalPath: 1.25,
      oursOverCapacityBound: 1.25,
      toolCpuMs: s(16_000),
      compilerBoundMs: 8000,
      oursOverCompilerBound: 1.25,
      oursOverMarginalCriticalPath: 2.5,
      oursOverBaseline: 1,
      oursOverSerialSum: 1.1,
      baselineTasks: ['a:build'],
    },
    whatIf: {},
    events: [],
    scope: components.map((c) => ({ component: c, ideal: [c], ours: [c], baselineTable: [], baselinePipeline: ['bllvm'], oursEqualsIdeal: true, baselineMissed: [], baselineExtra: [], oursConsistentAcrossReps: true })),
    noop: { build: { wallMs: s(1000), invocations: [0], hashingCalls: [0] }, nightly: { wallMs: s(500), invocations: [0], hashingCalls: [0], output: '' } },
    overhead: {
      executorPerTaskMs: s(150),
      executorPerTaskByTarget: {},
      nxPerTaskMs: s(420),
      totalPerTaskMs: s(570),
      nxRunOverheadMs: s(900),
      cliOverheadMs: s(300),
      planMs: s(700),
      affectedMs: s(800),
      startup: {},
      steps: [],
      taskAnatomyTask: `${components[0]}:build`,
      taskAnatomy: Object.fromEntries(anatomy.map((k) => [k, s(10)])) as BenchResults['overhead']['taskAnatomy'],
    },
    memory: { peakOrchestratorMb: 200, peakOrchestratorRssMb: 300, peakProcessMb: 100, peakProcess: 'nx', byRun: {} },
    contention: { foreignLoad: s(0.2), loadAvgStart: s(3) },
    targets: [],
  };
}

const real = results('real', ['blvm-primitives', 'bllvm-consensus', 'governance-app']);

describe('renderRealSection', () => {
  it('is one section from its heading to its end marker, naming the profile and its component count', () => {
    const text = renderRealSection(real);
    expect(extractSection(text, REAL_SECTION)).toBe(text);
    expect(text).toContain('real-shaped profile, 3 components');
    expect(text).toContain('#### Cold nightly (build + consensus verify of all 3, nothing cached)');
    expect(text).toContain('#### Anatomy of one Nx task process (blvm-primitives:build, warm target dir)');
    expect(text).not.toMatch(/^### /m);
  });
});

describe('renderMarkdown', () => {
  it("keeps the real profile's section when the seed's results are rendered", () => {
    const existing = `# Benchmarks\n\nhand-written\n\n${GENERATED_MARKER}\n\n## Results\n\nold\n\n${renderRealSection(real)}\n`;
    const doc = renderMarkdown(results(undefined, ['bllvm-consensus']), existing);
    expect(extractSection(doc, REAL_SECTION)).toBe(renderRealSection(real));
    expect(doc).toContain('hand-written');
    expect(doc).not.toContain('\nold\n');
    expect(doc).toContain('| sandbox | size 3, bllvm 30; 1 repetition(s) (quick) |');
  });

  it('labels Nx around the executor against the executor time, not the CLI durationMs', () => {
    const doc = renderMarkdown(results('seed', ['bllvm-consensus']));
    expect(doc).toContain('| per built task: Nx around the executor (Nx task time − executor time) | 420 ms | 1 |');
  });

  it("puts ours' own CPU beside cargo's: the floor any schedule has, and what the 1.10 target leaves ours", () => {
    // cargo 16 s and ours 15 s of CPU on 2 cores: 15.5 s, 1.94 × the 8 s bound; 2 × 1.1 × 8 s − 16 s = 1.6 s left for ours.
    const doc = renderMarkdown(results('seed', ['bllvm-consensus']));
    expect(doc).toContain("| all CPU of ours' run (cargo's + ours' own) ÷ 2 cores: the floor with ours' work in it | (16.0 s + 15.0 s) ÷ 2 = 15.5 s = 1.94 × the compiler bound |");
    expect(doc).toContain("| ours' own CPU that 1.10 × the compiler bound leaves (2 cores × 1.10 × bound − cargo's CPU) | 1.6 s (ours used 15.0 s) |");
  });

  it("shows the task process's CPU before the executor and in all, only where the results have them", () => {
    const r = results('seed', ['bllvm-consensus']);
    expect(renderMarkdown(r)).not.toContain('its CPU until the executor was imported');
    r.overhead.taskAnatomy = { ...r.overhead.taskAnatomy, cpuBeforeExecutorMs: s(180), cpuMs: s(240) };
    const doc = renderMarkdown(r);
    expect(doc).toContain("| its CPU until the executor was imported (Nx's own, per task) | 180 ms |");
    expect(doc).toContain('| its CPU in all (cargo runs in processes of its own) | 240 ms |');
  });
});
