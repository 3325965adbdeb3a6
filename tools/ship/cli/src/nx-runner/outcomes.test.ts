import { describe, expect, it } from 'vitest';
import { overrideArgs, runExitCode, sortTasks, taskOutcome } from './outcomes';

const t = { project: 'bllvm', target: 'build', startTime: 1_000, endTime: 3_500 };
const record = { task: 'bllvm:build', success: true, toolMs: 2_000, message: 'built bllvm', startedAt: 1_100, endedAt: 3_400 };

describe('taskOutcome', () => {
  it('maps every Nx status', () => {
    expect(taskOutcome(t, { status: 'success', code: 0 }, record)).toEqual({ task: 'bllvm:build', project: 'bllvm', target: 'build', status: 'built', durationMs: 2_500, toolMs: 2_000, message: 'built bllvm' });
    for (const status of ['local-cache', 'local-cache-kept-existing'] as const)
      expect(taskOutcome(t, { status, code: 0 }, undefined)).toEqual({ task: 'bllvm:build', project: 'bllvm', target: 'build', status: 'cached', cache: 'local', durationMs: 2_500 });
    expect(taskOutcome(t, { status: 'remote-cache', code: 0 }, undefined)).toEqual({ task: 'bllvm:build', project: 'bllvm', target: 'build', status: 'cached', cache: 'remote', durationMs: 2_500 });
    expect(taskOutcome(t, { status: 'failure', code: 1 }, { ...record, success: false, message: 'cargo build failed for bllvm@abcdef1 (exit 101)' })).toMatchObject({ status: 'failed', message: 'cargo build failed for bllvm@abcdef1 (exit 101)' });
    expect(taskOutcome(t, { status: 'skipped', code: 1 }, undefined)).toEqual({ task: 'bllvm:build', project: 'bllvm', target: 'build', status: 'skipped', message: 'a task it depends on failed' });
  });

  it('says why when the executor left no record, and treats an unfinished task as skipped', () => {
    expect(taskOutcome(t, { status: 'failure', code: 137 }, undefined)).toMatchObject({ status: 'failed', message: 'exited with code 137' });
    expect(taskOutcome({ project: 'p', target: 'x' }, undefined, undefined)).toMatchObject({ status: 'skipped' });
  });

  it('carries the publish task\'s account of its release, also from a failed task (published, deploy signal failed)', () => {
    const publish = { tag: 'v1.0.0', published: true, url: 'https://h/r', deploy: 'failed' as const };
    const publishTask = { project: 'release-set', target: 'release' };
    expect(taskOutcome(publishTask, { status: 'failure', code: 1 }, { ...record, task: 'release-set:release', success: false, message: 'published v1.0.0; deploy signal failed: x', publish })).toMatchObject({ status: 'failed', publish });
    expect(taskOutcome(t, { status: 'success', code: 0 }, record)).not.toHaveProperty('publish');
  });
});

describe('runExitCode', () => {
  it('follows nx run-many', () => {
    expect(runExitCode([{ status: 'success', code: 0 }, { status: 'local-cache', code: 0 }], true)).toBe(0);
    expect(runExitCode([{ status: 'success', code: 0 }, { status: 'skipped', code: 1 }], true)).toBe(1);
    expect(runExitCode([{ status: 'failure', code: 2 }], true)).toBe(1);
    expect(runExitCode([], false)).toBe(130);
  });
});

describe('sortTasks', () => {
  it('orders by project, then pipeline step', () => {
    const o = (project: string, target: string) => ({ task: `${project}:${target}`, project, target, status: 'built' as const });
    expect(sortTasks([o('b', 'test'), o('a', 'release'), o('b', 'build'), o('a', 'build')], ['a', 'b']).map((x) => x.task)).toEqual(['a:build', 'a:release', 'b:build', 'b:test']);
  });
});

describe('overrideArgs', () => {
  it('spells the overrides as Nx prints them with each task', () => {
    expect(overrideArgs({ tag: 'nightly-20261129-abcdef1', dryRun: false, pushRemote: undefined })).toEqual(['--tag=nightly-20261129-abcdef1', '--dryRun=false']);
  });
});
