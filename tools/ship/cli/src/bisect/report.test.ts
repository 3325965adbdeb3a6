import { describe, expect, it } from 'vitest';
import { type BisectReport, renderReport } from './report';

const commit = (sha: string, subject: string) => ({ sha: sha.repeat(40), subject, author: 'Dev <dev@example.org>', date: '2026-12-01T10:00:00Z' });
const base: BisectReport = {
  task: 'bllvm-node:test', good: 'a'.repeat(40), bad: 'b'.repeat(40), steps: 6, skipped: [], failure: 'thread panicked at fault', probes: [
    { phase: 'ends', state: 'bad end', verdict: 'bad', reason: 'bllvm-node:test failed', built: 4, cached: 0, wallMs: 12_000 },
    { phase: 'commits', state: 'BTCDecoded/bllvm-node 2/4 cccc', verdict: 'skip', reason: 'bllvm-node does not build here', built: 1, cached: 2, wallMs: 3_000 },
  ],
  builds: 2, bound: 7, cacheHits: 2, wallMs: 15_000,
};

describe('the bisect report', () => {
  it('names the culprit commit, its author and link, the last good commit, the builds and the failing output', () => {
    const lines = renderReport({
      ...base, skipped: [base.probes[1]!],
      firstBadStep: { commit: 'd'.repeat(40), subject: 'move bllvm-node' }, lastGoodStep: { commit: 'e'.repeat(40), subject: 'move bllvm-consensus' },
      culprit: { component: 'bllvm-node', repository: 'BTCDecoded/bllvm-node', commit: commit('f', 'Break the header check'), link: 'https://github.com/BTCDecoded/bllvm-node/commit/' + 'f'.repeat(40), lastGood: commit('9', 'Tidy') },
    });
    expect(lines[0]).toBe(`first bad: bllvm-node ${'f'.repeat(12)} "Break the header check" by Dev <dev@example.org> (2026-12-01T10:00:00Z)`);
    expect(lines[1]).toContain('https://github.com/BTCDecoded/bllvm-node/commit/');
    expect(lines[2]).toBe(`last good: ${'9'.repeat(12)} "Tidy"`);
    expect(lines).toContain('builds: 2 (bound 7), 2 tasks from the cache, 15.0s');
    expect(lines).toContain('skipped: BTCDecoded/bllvm-node 2/4 cccc: bllvm-node does not build here');
    expect(lines.at(-1)).toBe('  thread panicked at fault');
  });

  it('says why it stopped short of one commit, and which component the failure follows', () => {
    const lines = renderReport({ ...base, culpritComponent: 'bllvm-node', unresolved: 'only skipped commits separate good from bad' });
    expect(lines.slice(0, 2)).toEqual(['not narrowed to one commit: only skipped commits separate good from bad', "the failure follows bllvm-node's pin"]);
  });

  it('names the command that judged, and in which states it ran', () => {
    const lines = renderReport({
      ...base, task: 'bllvm-node:build', command: `grep -q "ok" /dist/build/x || exit 3`, failure: 'no ok',
      probes: [{ ...base.probes[0]!, verdict: 'bad', commandExit: 3 }, base.probes[1]!],
    });
    expect(lines).toContain('judged by: sh -c "grep -q \\"ok\\" /dist/build/x || exit 3" in bllvm-node\'s build sandbox, in 1 of 2 states (the others: the target did not pass)');
    expect(lines.find((l) => l.startsWith('  bad  bad end'))).toMatch(/, command exit 3$/);
    expect(lines.find((l) => l.startsWith('  skip '))).not.toMatch(/command exit/);
    expect(lines.slice(-2)).toEqual(['output of the command where it said bad:', '  no ok']);
    expect(renderReport(base).some((l) => l.startsWith('judged by'))).toBe(false);
  });
});
