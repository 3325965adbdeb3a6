import { describe, expect, it } from 'vitest';
import type { TaskOutcome } from '../run-targets';
import { trialOutcome } from './outcome';
import { renderTrialTable } from './table';

const task = (project: string, target: string, status: TaskOutcome['status'], message?: string): TaskOutcome => ({
  task: `${project}:${target}`, project, target, status, ...(message ? { message } : {}),
});
const facts = {
  component: 'consensus', repository: 'O/consensus', ref: 'pull/7/head', headSha: 'a'.repeat(40), pullRequest: 7,
  graph: { nodes: ['consensus', 'protocol'], edges: [['consensus', 'protocol']] as Array<[string, string]> }, wallMs: 12_345,
};
const output = '> nx run protocol:build\nerror[E0425]: cannot find function `f` in crate `consensus`\n';

describe('the outcome of a trial', () => {
  it('fails on a failed task, with its first error from the output, or its message when the output has none', () => {
    const o = trialOutcome(facts, [task('consensus', 'build', 'built'), task('consensus', 'test', 'cached'), task('protocol', 'build', 'failed', 'cargo build failed (exit 101)\nmore'), task('protocol', 'test', 'skipped')], output);
    expect(o.conclusion).toBe('failure');
    expect(o.tasks).toEqual([
      { project: 'consensus', target: 'build', status: 'built' },
      { project: 'consensus', target: 'test', status: 'cache-hit' },
      { project: 'protocol', target: 'build', status: 'failed', firstError: 'error[E0425]: cannot find function `f` in crate `consensus`' },
      { project: 'protocol', target: 'test', status: 'skipped' },
    ]);
    expect(trialOutcome(facts, [task('protocol', 'build', 'failed', 'cargo build failed (exit 101)\nmore')], '').tasks[0]!.firstError).toBe('cargo build failed (exit 101)');
    expect(o).toMatchObject({ component: 'consensus', repository: 'O/consensus', ref: 'pull/7/head', pullRequest: 7, wallMs: 12_345, graph: facts.graph });
  });

  it('passes only when every task passed, and never on nothing run', () => {
    expect(trialOutcome(facts, [task('consensus', 'build', 'built'), task('protocol', 'build', 'cached')], '').conclusion).toBe('success');
    expect(trialOutcome(facts, [task('consensus', 'build', 'built'), task('protocol', 'build', 'skipped')], '').conclusion).toBe('failure');
    expect(trialOutcome(facts, [], '').conclusion).toBe('failure');
    const { pullRequest: _, ...noPr } = facts;
    expect('pullRequest' in trialOutcome(noPr, [], '')).toBe(false);
  });

  it('prints a table with each failure\'s first error and the counts', () => {
    const lines = renderTrialTable(trialOutcome(facts, [task('consensus', 'build', 'built'), task('protocol', 'build', 'failed')], output));
    expect(lines[0]).toBe(`trial of consensus (O/consensus) at ${'a'.repeat(12)} (pull/7/head, pull request #7): failure`);
    expect(lines[1]).toBe('builds consensus, protocol (consensus at the head, the rest at their pins)');
    expect(lines).toContain('protocol   build   failed  error[E0425]: cannot find function `f` in crate `consensus`');
    expect(lines.at(-1)).toBe('1 built, 0 cache-hit, 1 failed, 0 skipped in 12.3s');
  });
});
