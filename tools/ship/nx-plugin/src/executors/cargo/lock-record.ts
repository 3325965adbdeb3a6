import { createHash } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LockRecord } from '@bllvm/manifest';
import { git } from '@bllvm/sources';
import { lockCandidates } from './lock-candidates';

/**
 * The Cargo.lock cargo used for a crate (the crate's, or its workspace's above it), relative to the
 * checkout, when it is a plain file: a committed symlink would point anywhere, and then there is none.
 */
export async function plainLock(checkout: string, crateDir: string): Promise<string | undefined> {
  for (const rel of lockCandidates(crateDir)) {
    const st = await lstat(join(checkout, rel)).catch(() => undefined);
    if (st) return st.isFile() ? rel : undefined;
  }
  return undefined;
}

/**
 * The lock a build compiled from, for its record: the digest of its plainLock, and whether the
 * repository commits it at the pinned commit (asked of git's object store, not the working tree,
 * which the dependency step wrote the generated one into). Undefined when there is none.
 */
export async function lockRecordOf(built: { checkout: string; crateDir: string; commit: string }): Promise<LockRecord | undefined> {
  const rel = await plainLock(built.checkout, built.crateDir);
  if (!rel) return undefined;
  const sha256 = createHash('sha256').update(await readFile(join(built.checkout, rel))).digest('hex');
  const tracked = await git(['ls-tree', '--name-only', built.commit, '--', rel], { cwd: built.checkout });
  if (!tracked.ok) throw new Error(`cannot tell whether ${rel} is committed at ${built.commit.slice(0, 7)}: ${tracked.stderr.split('\n').at(-1)}`);
  return { sha256, origin: tracked.stdout === rel ? 'committed' : 'generated' };
}
