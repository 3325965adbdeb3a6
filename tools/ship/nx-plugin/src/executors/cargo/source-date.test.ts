import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommitDate, taskSourceDate } from './source-date';

describe('parseCommitDate', () => {
  it('takes the seconds git prints for %ct', () => {
    expect(parseCommitDate('1761955200\n')).toBe(1761955200);
    expect(parseCommitDate('0')).toBe(0);
  });

  it('refuses anything else, so a damaged kept date is asked of git again', () => {
    for (const bad of ['', '\n', '-1', '1.5', '17619 55200', 'abc', '1'.repeat(16), '0x10']) expect(parseCommitDate(bad), bad).toBeUndefined();
  });
});

describe('taskSourceDate', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'source-date-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function checkout(name: string, commit: string): Promise<string> {
    const c = join(dir, 'sources', name);
    await mkdir(join(c, '.git'), { recursive: true });
    await writeFile(join(c, '.git', 'HEAD'), `${commit}\n`);
    return c;
  }

  it('takes a date kept for the commit without asking git (a unit test starts no process), the newest of the set', async () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    const workDir = join(dir, 'work');
    await mkdir(join(workDir, 'commit-dates'), { recursive: true });
    await writeFile(join(workDir, 'commit-dates', a), '1700000000\n');
    await writeFile(join(workDir, 'commit-dates', b), '1761955200\n');
    expect(await taskSourceDate([await checkout('x', a), await checkout('y', b)], workDir)).toBe(1761955200);
  });
});
