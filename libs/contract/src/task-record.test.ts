import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTaskRecord, taskName, taskRecordPath, writeTaskRecord } from './task-record';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('task records', () => {
  it('are found from the task alone, per configuration', async () => {
    dir = await mkdtemp(join(tmpdir(), 'task-record-'));
    const since = Date.now();
    await writeTaskRecord(dir, { project: 'bllvm', target: 'build' }, { success: false, toolMs: 12, message: 'cargo build failed', startedAt: since });
    expect(await readTaskRecord(dir, { project: 'bllvm', target: 'build' }, since)).toMatchObject({ task: 'bllvm:build', success: false, toolMs: 12, message: 'cargo build failed' });
    expect(await readTaskRecord(dir, { project: 'bllvm', target: 'build', configuration: 'ci' }, since)).toBeUndefined();
    expect(taskRecordPath(dir, { project: 'bllvm', target: 'build', configuration: 'ci' })).not.toBe(taskRecordPath(dir, { project: 'bllvm', target: 'build' }));
    expect(taskName({ project: 'p', target: 't', configuration: 'c' })).toBe('p:t:c');
  });

  it('from before the task started are not this run\'s', async () => {
    dir = await mkdtemp(join(tmpdir(), 'task-record-'));
    await writeTaskRecord(dir, { project: 'bllvm', target: 'test' }, { success: true, toolMs: 1, startedAt: Date.now() });
    expect(await readTaskRecord(dir, { project: 'bllvm', target: 'test' }, Date.now() + 1000)).toBeUndefined();
    expect(await readTaskRecord(dir, { project: 'bllvm', target: 'missing' }, 0)).toBeUndefined();
  });

  it('that are malformed are refused, naming the file and the field', async () => {
    dir = await mkdtemp(join(tmpdir(), 'task-record-'));
    const t = { project: 'bllvm', target: 'release' };
    const file = taskRecordPath(dir, t);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify({ task: 'bllvm:release', success: true, toolMs: '12', startedAt: 0, endedAt: Date.now() }));
    await expect(readTaskRecord(dir, t, 0)).rejects.toThrow(`${file}: toolMs: "12" is not a number of milliseconds`);
    await writeFile(file, '{"task": "bllvm:rel');
    await expect(readTaskRecord(dir, t, 0)).rejects.toThrow(`${file}: is not JSON`);
  });
});
