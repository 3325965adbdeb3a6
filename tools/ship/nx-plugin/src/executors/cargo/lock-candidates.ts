import { posix } from 'node:path';

/** The folders from the crate's up to the repository root, where cargo looks for a workspace's Cargo.lock. Pure. */
export function lockCandidates(crateDir: string): string[] {
  const out: string[] = [];
  let dir = posix.normalize(crateDir);
  for (;;) {
    out.push(dir === '.' ? 'Cargo.lock' : `${dir}/Cargo.lock`);
    if (dir === '.') return out;
    dir = posix.dirname(dir);
  }
}
