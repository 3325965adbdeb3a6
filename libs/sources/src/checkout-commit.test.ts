import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkoutCommit } from './checkout-commit';

const A = 'a'.repeat(40);
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'checkout-commit-'));
  await mkdir(join(dir, 'checkout', '.git'), { recursive: true });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('checkoutCommit', () => {
  it('reads a detached checkout head, and nothing else, as its commit', async () => {
    await writeFile(join(dir, 'checkout', '.git', 'HEAD'), `${A}\n`);
    expect(await checkoutCommit(join(dir, 'checkout'))).toBe(A);
    await writeFile(join(dir, 'checkout', '.git', 'HEAD'), 'ref: refs/heads/main\n');
    expect(await checkoutCommit(join(dir, 'checkout'))).toBeUndefined();
    expect(await checkoutCommit(join(dir, 'missing'))).toBeUndefined();
  });
});
