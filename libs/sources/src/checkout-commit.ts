import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const HEX40 = /^[0-9a-f]{40}$/;

/**
 * The commit a checkout is at, from its `.git/HEAD` (ours are always detached at the pin), without
 * starting git: no step can write a checkout's .git. Undefined when HEAD is anything else (a
 * branch, another hash format, no checkout); callers then ask git, or skip nothing.
 */
export async function checkoutCommit(dir: string): Promise<string | undefined> {
  const head = (await readFile(join(dir, '.git', 'HEAD'), 'utf8').catch(() => '')).trim();
  return HEX40.test(head) ? head : undefined;
}
