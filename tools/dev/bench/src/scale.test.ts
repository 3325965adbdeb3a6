// The scale section's pure parts: how growth is judged, and how the section is rendered and
// spliced into docs/benchmarks.md (the full bench keeps it).
import { describe, expect, it } from 'vitest';
import { analyseGrowth, classify, type ScaleSample } from './scale-analysis';
import type { ScaleResults } from './scale';
import { SCALE_END, SCALE_HEADING, extractScaleSection, finding, renderScaleSection, spliceScaleSection } from './scale-report';
import { stat } from './stats';

const SIZES = [10, 50, 200];
const series = (f: (n: number) => number) => SIZES.map((n) => ({ n, y: f(n) }));

describe('classify', () => {
  it('calls a fixed cost plus a cost per component linear', () => {
    expect(classify(series((n) => 2000 + 10 * n), 'CPU time')).toEqual({ growth: 'at most linear', reasons: [] });
  });

  it('calls a flat, noisy command linear (a dip at the middle size is no bend)', () => {
    expect(classify(series((n) => ({ 10: 1000, 50: 950, 200: 1050 })[n]!), 'CPU time').growth).toBe('at most linear');
  });

  it('calls a quadratic term faster than linear, by its bend, even below the component ratio', () => {
    const r = classify(series((n) => 3000 + 0.2 * n * n), 'CPU time');
    expect(r.growth).toBe('faster than linear');
    expect(r.reasons.join()).toMatch(/from 50 to 200 adds at least .* above a straight line/);
    // The ratios alone (×1.15, ×2.95) stay below the component ratios here.
    expect(r.reasons.join()).not.toMatch(/cost per component rose/);
  });

  it('calls a ratio above the component ratio faster than linear', () => {
    const r = classify(series((n) => ({ 10: 100, 50: 700, 200: 2800 })[n]!), 'peak RSS');
    expect(r.growth).toBe('faster than linear');
    expect(r.reasons[0]).toMatch(/peak RSS ×7\.00 from 10 to 50 components \(×5 components\): the cost per component rose/);
  });

  it('allows a ratio within the tolerance of the component ratio', () => {
    expect(classify(series((n) => ({ 10: 100, 50: 520, 200: 2150 })[n]!), 'CPU time').growth).toBe('at most linear');
  });
});

const sample = (n: number, wall: number | number[], cpu: number, rssKb: number): ScaleSample => ({
  components: n,
  wallMs: stat(typeof wall === 'number' ? [wall, wall * 1.1, wall * 0.9] : wall),
  cpuMs: stat([cpu]),
  rssKb: stat([rssKb]),
  pssKb: stat([rssKb / 2]),
});

describe('analyseGrowth', () => {
  it('gives ratios, marginal and per-component costs per step, and does not take two slow runs for growth', () => {
    // Two of three runs at 200 slowed by other load (median 60 s), the fastest and CPU linear.
    const g = analyseGrowth([sample(200, [4000, 60_000, 61_000], 3000, 200_000), sample(10, 1000, 1100, 100_000), sample(50, 2000, 1500, 120_000)]);
    expect(g.steps.map((s) => [s.from, s.to, s.componentRatio])).toEqual([[10, 50, 5], [50, 200, 4]]);
    expect(g.steps[0]!.wallRatio).toBeCloseTo(2);
    expect(g.steps[1]!.cpuRatio).toBeCloseTo(2);
    expect(g.steps[0]!.marginalMsPerComponent).toBeCloseTo(1000 / 40);
    expect(g.steps[1]!.marginalKbPerComponent).toBeCloseTo(80_000 / 150);
    expect(g.msPerComponent).toBe(300);
    expect(g.steps[1]!.wallRatio).toBe(30);
    expect(g.cpuMsPerComponent).toBe(15);
    expect(g.kbPerComponent).toBe(1000);
    expect(g.time).toBe('at most linear');
    expect(g.memory).toBe('at most linear');
  });

  it('calls time faster than linear when the fastest wall time bends although CPU time does not (waiting on the kernel)', () => {
    const g = analyseGrowth([sample(10, [10_000], 5000, 300_000), sample(50, [30_000], 9000, 300_000), sample(200, [150_000], 28_000, 330_000)]);
    expect(g.time).toBe('faster than linear');
    expect(g.reasons.every((r) => r.startsWith('wall time (fastest run)'))).toBe(true);
    expect(g.reasons.join('\n')).toMatch(/each component from 50 to 200 adds at least 800 ms, from 10 to 50 at most 500 ms/);
  });

  it('does not take a start-up-dominated command whose middle size ran fast for a bend: the runs\' ranges overlap', () => {
    // Fastest runs 2.83, 2.48, 3.27 s (what a warm nx sync measured): the middle size's range reaches above the last's fastest.
    const g = analyseGrowth([sample(10, [2830, 3530, 3700], 4130, 337_000), sample(50, [2480, 3800, 4350], 4280, 327_000), sample(200, [3270, 3520, 4100], 4460, 342_000)]);
    expect(g.time).toBe('at most linear');
    // Without the ranges, the same fastest runs would read as a bend.
    expect(classify([{ n: 10, y: 2830 }, { n: 50, y: 2480 }, { n: 200, y: 3270 }], 'wall').growth).toBe('faster than linear');
  });

  it('says which figure grows faster than linearly', () => {
    const g = analyseGrowth([sample(10, 1000, 1000, 100_000), sample(50, 3000, 3000, 120_000), sample(200, 60_000, 60_000, 150_000)]);
    expect(g.time).toBe('faster than linear');
    expect(g.memory).toBe('at most linear');
    expect(g.reasons.some((r) => r.startsWith('CPU time'))).toBe(true);
    expect(g.reasons.every((r) => /^(CPU time|wall time \(fastest run\))/.test(r))).toBe(true);
  });
});

function results(commands: { name: string; samples: ScaleSample[] }[]): ScaleResults {
  return {
    schema: 1,
    generatedAt: '2026-11-30T06:00:00.000Z',
    benchWallMs: 600_000,
    machine: { cpuModel: 'CPU', cores: 2, memoryGb: 23, kernel: '6.1', node: 'v20', rustc: 'rustc', cargo: 'cargo 1', nx: '23.3.1', git: 'git 2', podman: 'podman 5' },
    orchestratorCommit: 'abcdef0123456789',
    seed: 1,
    sizes: SIZES,
    reps: { fast: 4, slow: 3 },
    setup: SIZES.map((n) => ({ components: n, layers: 3, edges: n, orgMs: n * 10, importMs: n * 50, firstSyncMs: n * 100, planned: n - 1 })),
    commands: commands.map((c) => ({ ...c, command: `cmd ${c.name}`, growth: analyseGrowth(c.samples) })),
    foreignLoad: stat([0.1, 0.2]),
  };
}

describe('the document section', () => {
  const linear = { name: 'plan', samples: SIZES.map((n) => sample(n, 1000 + 5 * n, 900 + 4 * n, 60_000 + 100 * n)) };
  const quadratic = { name: 'nx sync:check, facts cold', samples: SIZES.map((n) => sample(n, 2000 + n * n, 2000 + n * n, 300_000)) };

  it('renders the heading, the machine line, one row per command and ends with its marker', () => {
    const s = renderScaleSection(results([linear]));
    expect(s.startsWith(`${SCALE_HEADING}\n\nmachine: CPU, 2 cores, 23 GB`)).toBe(true);
    expect(s).toContain('| plan: `cmd plan` | 1.05 s / 0.94 s / 60 MB | 1.25 s / 1.10 s / 63 MB | 2.00 s / 1.70 s / 78 MB |');
    expect(s).toContain('| 200 | 3 | 200 | 2.00 s | 10.0 s | 20.0 s | 199 of 200 |');
    expect(s.endsWith(SCALE_END)).toBe(true);
  });

  it('finds nothing faster than linear when nothing is, and names the command that is', () => {
    expect(finding(results([linear]))[0]).toMatch(/grow at most linearly from 10 to 200 components/);
    const f = finding(results([linear, quadratic]));
    expect(f[0]).toMatch(/^\*\*Finding:\*\* faster than linear: nx sync:check, facts cold \((wall|CPU) time/);
    expect(f[0]).not.toMatch(/plan \(/);
    expect(f[1]).toMatch(/^The costliest per component is nx sync:check, facts cold/);
  });

  it('is appended to a document without it, replaced in place in one with it, and found again', () => {
    const doc = '# Benchmarks\n\nintro\n\n## Results\n\ntable\n';
    const first = spliceScaleSection(doc, renderScaleSection(results([linear])));
    expect(first.startsWith(doc.trimEnd())).toBe(true);
    const withTail = `${first}\n## Later section\n\nkept\n`;
    const second = spliceScaleSection(withTail, renderScaleSection(results([quadratic])));
    expect(second).toContain('## Later section\n\nkept');
    expect(second).not.toContain('| plan: `cmd plan`');
    expect(second.split(SCALE_HEADING)).toHaveLength(2);
    expect(extractScaleSection(second)).toBe(renderScaleSection(results([quadratic])));
    expect(extractScaleSection(doc)).toBeUndefined();
  });
});
