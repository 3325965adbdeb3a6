import { describe, expect, it } from 'vitest';
import { SCALE_SECTION } from './scale-report';
import type { SccacheResults } from './sccache';
import { SCCACHE_SECTION, renderSccacheSection } from './sccache-report';
import { extractSection, spliceSection } from './sections';
import { stat } from './stats';

const run = (plain: number, filling: number, warm: number, hits: number) => ({ plain, filling: { ms: filling, hits: 0, misses: 90 }, warm: { ms: warm, hits, misses: 90 - hits } });
const runs = [run(60_000, 66_000, 20_000, 80), run(62_000, 70_000, 22_000, 82), run(58_000, 64_000, 18_000, 81)];
const results: SccacheResults = {
  measuredAt: '2026-11-30T10:00:00.000Z',
  versions: { sccache: 'sccache 0.4.0', rustc: 'rustc 1.95.0' },
  reps: 3,
  units: 91,
  plain: stat(runs.map((r) => r.plain)),
  filling: stat(runs.map((r) => r.filling.ms)),
  warm: stat(runs.map((r) => r.warm.ms)),
  warmHitRate: stat(runs.map((r) => r.warm.hits / 90)),
  runs,
};

describe('the sccache section', () => {
  it('gives the medians, the ratios against plain cargo measured in the same run, the hit rate and the decision', () => {
    const text = renderSccacheSection(results);
    expect(text).toContain('| plain cargo, no wrapper | 60.0 s (58.0–62.0) | 1.00 | — |');
    expect(text).toContain('| first runner with sccache (fills the backend) | 66.0 s (64.0–70.0) | 1.10 | 0 / 90 |');
    expect(text).toContain('| next runner, after the pin moved | 20.0 s (18.0–22.0) | 0.33 | 81 / 9 (hit rate 90%) |');
    expect(text).toContain('It would save 67% of such a cold build here, and cost 10% on the runner that fills the backend.');
    expect(text.startsWith(SCCACHE_SECTION.heading) && text.endsWith(SCCACHE_SECTION.end)).toBe(true);
  });

  it('is replaced in place in the document, the other generated sections kept', () => {
    const doc = `# Benchmarks\n\n${SCALE_SECTION.heading}\nscale figures\n${SCALE_SECTION.end}\n`;
    const once = spliceSection(doc, SCCACHE_SECTION, renderSccacheSection(results));
    const twice = spliceSection(once, SCCACHE_SECTION, renderSccacheSection({ ...results, units: 7 }));
    expect(extractSection(twice, SCALE_SECTION)).toBe(`${SCALE_SECTION.heading}\nscale figures\n${SCALE_SECTION.end}`);
    expect(twice.split(SCCACHE_SECTION.heading)).toHaveLength(2);
    expect(extractSection(twice, SCCACHE_SECTION)).toContain('7 compiler artifacts per build');
  });
});
