/**
 * How a cost grows with the stack: ratios between sizes against the ratio of components, the cost
 * per component, and whether it grows faster than linearly. Pure.
 *
 * A command that costs a + b·N (fixed start-up plus work per component) has t(50)/t(10) < 5 and
 * t(200)/t(50) < 4, and the same marginal cost per component in both intervals. It grows faster
 * than linearly when a ratio exceeds the component ratio (the cost per component itself rose), or
 * when the marginal cost per component from the middle to the largest size clearly exceeds the one
 * from the smallest to the middle (the curve bends upwards) and that extra is a real share of the time.
 */
import type { Stat } from './stats';

export interface ScaleSample {
  components: number;
  wallMs: Stat;
  /** user+sys CPU of the whole process tree (cargo included): what the command itself does, much less sensitive than wall time to other load. */
  cpuMs: Stat;
  /** Peak summed RSS of the command's process tree (build tools excluded), one sample per run. */
  rssKb: Stat;
  /** Peak summed PSS of the same. */
  pssKb: Stat;
}

export interface GrowthStep {
  from: number;
  to: number;
  componentRatio: number;
  wallRatio: number;
  cpuRatio: number;
  rssRatio: number;
  /** Extra wall time per extra component over this step, ms. */
  marginalMsPerComponent: number;
  /** Extra RSS per extra component over this step, kB. */
  marginalKbPerComponent: number;
}

export type Growth = 'at most linear' | 'faster than linear';

export interface CommandGrowth {
  steps: GrowthStep[];
  /** At the largest size: wall time, CPU time and RSS divided by the number of components. */
  msPerComponent: number;
  cpuMsPerComponent: number;
  kbPerComponent: number;
  /**
   * Time growth, judged on two series: the fastest run's wall time (the one least slowed by other
   * work on a shared machine, where one slow run in three can fake a ratio of medians) and the
   * median CPU time (which does not wait for other work, but misses time spent waiting, e.g. on
   * the kernel setting up and tearing down a sandbox's mounts). Faster than linear if either is.
   */
  time: Growth;
  memory: Growth;
  /** Why a growth is called faster than linear (empty when both are at most linear). */
  reasons: string[];
}

/** A ratio may exceed the component ratio by this much before it counts (noise on a shared machine). */
export const RATIO_TOLERANCE = 1.1;
/** The marginal cost per component of the last step may be this multiple of the first before it counts as a bend. */
export const BEND_FACTOR = 1.5;
/** …and only if the extra over a straight line is at least this share of the largest size's figure. */
export const BEND_SHARE = 0.2;

/**
 * A size's figure and, optionally, the range of its runs. The bend test takes the slopes the runs
 * allow at the least (the last step) and at the most (the step before), so a start-up-dominated
 * command whose middle size happened to run fast is not taken for a bend.
 */
export interface Point {
  n: number;
  y: number;
  lo?: number;
  hi?: number;
}

/** One series (x = components, y = a figure): faster than linear, and why. */
export function classify(points: readonly Point[], what: string): { growth: Growth; reasons: string[] } {
  const reasons: string[] = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const ratio = b.y / a.y;
    const nRatio = b.n / a.n;
    if (Number.isFinite(ratio) && ratio > nRatio * RATIO_TOLERANCE)
      reasons.push(`${what} ×${ratio.toFixed(2)} from ${a.n} to ${b.n} components (×${nRatio.toFixed(0)} components): the cost per component rose`);
  }
  if (points.length >= 3) {
    const [p, q, r] = points.slice(-3) as [Point, Point, Point];
    const s1 = Math.max(0, ((q.hi ?? q.y) - (p.lo ?? p.y)) / (q.n - p.n));
    const s2 = ((r.lo ?? r.y) - (q.hi ?? q.y)) / (r.n - q.n);
    const excess = (r.lo ?? r.y) - ((q.hi ?? q.y) + s1 * (r.n - q.n));
    if (s2 > BEND_FACTOR * s1 && excess > BEND_SHARE * r.y)
      reasons.push(`${what}: each component from ${q.n} to ${r.n} adds at least ${fmt(s2)} ms, from ${p.n} to ${q.n} at most ${fmt(s1)} ms (over the runs' ranges); ${((excess / r.y) * 100).toFixed(0)}% of the ${r.n}-component figure is above a straight line`);
  }
  return { growth: reasons.length ? 'faster than linear' : 'at most linear', reasons };
}

const fmt = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(0) : x.toFixed(2));

const worse = (a: Growth, b: Growth): Growth => (a === 'faster than linear' || b === 'faster than linear' ? 'faster than linear' : 'at most linear');

export function analyseGrowth(samples: readonly ScaleSample[]): CommandGrowth {
  const s = [...samples].sort((a, b) => a.components - b.components);
  const steps: GrowthStep[] = [];
  for (let i = 1; i < s.length; i++) {
    const a = s[i - 1]!;
    const b = s[i]!;
    const dn = b.components - a.components;
    steps.push({
      from: a.components,
      to: b.components,
      componentRatio: b.components / a.components,
      wallRatio: b.wallMs.median / a.wallMs.median,
      cpuRatio: b.cpuMs.median / a.cpuMs.median,
      rssRatio: b.rssKb.median / a.rssKb.median,
      marginalMsPerComponent: (b.wallMs.median - a.wallMs.median) / dn,
      marginalKbPerComponent: (b.rssKb.median - a.rssKb.median) / dn,
    });
  }
  const last = s.at(-1);
  const wallMin = classify(s.map((x) => ({ n: x.components, y: x.wallMs.min, lo: x.wallMs.min, hi: x.wallMs.max })), 'wall time (fastest run)');
  const cpu = classify(s.map((x) => ({ n: x.components, y: x.cpuMs.median, lo: x.cpuMs.min, hi: x.cpuMs.max })), 'CPU time');
  const time = { growth: worse(wallMin.growth, cpu.growth), reasons: [...wallMin.reasons, ...cpu.reasons] };
  const memory = classify(s.map((x) => ({ n: x.components, y: x.rssKb.median })), 'peak RSS');
  return {
    steps,
    msPerComponent: last ? last.wallMs.median / last.components : Number.NaN,
    cpuMsPerComponent: last ? last.cpuMs.median / last.components : Number.NaN,
    kbPerComponent: last ? last.rssKb.median / last.components : Number.NaN,
    time: time.growth,
    memory: memory.growth,
    reasons: [...time.reasons, ...memory.reasons],
  };
}
