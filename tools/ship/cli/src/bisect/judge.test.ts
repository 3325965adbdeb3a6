import { describe, expect, it } from 'vitest';
import type { TaskOutcome } from '../run-targets';
import { judgeProbe, probeTargets } from './judge';

const task = (project: string, target: string, status: TaskOutcome['status'], message?: string): TaskOutcome => ({
  task: `${project}:${target}`, project, target, status, ...(message ? { message } : {}),
});

describe('judging a bisection build', () => {
  it('runs the build before any other target, and the build alone when bisecting builds', () => {
    expect(probeTargets('test')).toEqual(['build', 'test']);
    expect(probeTargets('build')).toEqual(['build']);
  });

  it('good when the wanted task passes or comes from the cache', () => {
    expect(judgeProbe([task('node', 'build', 'cached'), task('node', 'test', 'built')], 'node', 'test').verdict).toBe('good');
    expect(judgeProbe([task('node', 'build', 'cached'), task('node', 'test', 'cached')], 'node', 'test').verdict).toBe('good');
  });

  it('bad when the wanted task fails, with its first message line', () => {
    const j = judgeProbe([task('node', 'build', 'built'), task('node', 'test', 'failed', 'assertion failed\nmore')], 'node', 'test');
    expect(j).toEqual({ verdict: 'bad', reason: 'node:test failed: assertion failed' });
  });

  it('skips a state where the component does not build, when bisecting another target', () => {
    const j = judgeProbe([task('node', 'build', 'failed', 'error[E0425]'), task('node', 'test', 'failed')], 'node', 'test');
    expect(j).toEqual({ verdict: 'skip', reason: 'node does not build here: error[E0425]' });
  });

  it('bad, not skipped, when bisecting the build itself and it fails', () => {
    expect(judgeProbe([task('node', 'build', 'failed')], 'node', 'build').verdict).toBe('bad');
  });

  it('skips a state where an upstream failed first and the wanted task never ran', () => {
    const j = judgeProbe([task('consensus', 'build', 'failed'), task('node', 'build', 'skipped'), task('node', 'test', 'skipped')], 'node', 'test');
    expect(j.verdict).toBe('skip');
    expect(j.reason).toBe('consensus:build failed first, so node:test did not run');
  });
});
