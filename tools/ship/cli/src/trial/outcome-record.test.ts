import { describe, expect, it } from 'vitest';
import type { TrialOutcome } from '@bllvm/orchestrator';
import { readTrialOutcome } from './outcome-record';

const outcome: TrialOutcome = {
  component: 'bllvm-consensus', repository: 'BTCDecoded/bllvm-consensus', ref: 'pull/7/head', headSha: 'a'.repeat(40), pullRequest: 7, conclusion: 'failure',
  tasks: [{ project: 'bllvm-consensus', target: 'build', status: 'built' }, { project: 'bllvm-protocol', target: 'build', status: 'failed', firstError: 'error[E0425]: x' }],
  graph: { nodes: ['bllvm-consensus', 'bllvm-protocol'], edges: [['bllvm-consensus', 'bllvm-protocol']] },
  api: { classification: 'breaking', items: ['fn check_coinbase removed'] },
  wallMs: 1234,
};
const refused = (o: unknown) => {
  try {
    readTrialOutcome(o, 'outcome.json');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('reading back a trial outcome', () => {
  it('keeps a valid outcome as it was', () => {
    expect(readTrialOutcome(JSON.parse(JSON.stringify(outcome)), 'outcome.json')).toEqual(outcome);
    const { pullRequest: _, api: __, ...bare } = outcome;
    expect(readTrialOutcome(bare, 'outcome.json')).toEqual(bare);
  });

  it('refuses anything out of shape, naming the file and the field', () => {
    expect(refused([])).toBe('outcome.json: the outcome is not an object');
    expect(refused({ ...outcome, extra: 1 })).toBe('outcome.json: unexpected key "extra"');
    expect(refused({ ...outcome, conclusion: 'neutral' })).toBe('outcome.json: conclusion is neither success nor failure');
    expect(refused({ ...outcome, headSha: 'HEAD' })).toBe('outcome.json: headSha is not a valid value');
    expect(refused({ ...outcome, repository: 'a/b/c' })).toBe('outcome.json: repository is not a valid value');
    expect(refused({ ...outcome, pullRequest: -1 })).toBe('outcome.json: pullRequest is not a pull request number');
    expect(refused({ ...outcome, tasks: [{ project: 'x', target: 'build', status: 'pwned' }] })).toBe('outcome.json: tasks[0].status is not one of built, cache-hit, failed, skipped');
    expect(refused({ ...outcome, tasks: [{ project: '<img src=x>', target: 'build', status: 'built' }] })).toBe('outcome.json: tasks[0].project is not a valid value');
    expect(refused({ ...outcome, tasks: [{ project: 'x', target: 'build', status: 'failed', firstError: 'e'.repeat(301) }] })).toBe('outcome.json: tasks[0].firstError is not a string of at most 300 characters');
    expect(refused({ ...outcome, graph: { nodes: ['a'], edges: [['a']] } })).toBe('outcome.json: graph.edges[0] is not a pair');
    expect(refused({ ...outcome, api: { classification: 'maybe', items: [] } })).toBe('outcome.json: api.classification is not breaking, additive or none');
    expect(refused({ ...outcome, wallMs: 'soon' })).toBe('outcome.json: wallMs is not a duration');
  });
});
