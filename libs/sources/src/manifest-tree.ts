import { copyFile, lstat, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What cargo reads to resolve and download: the manifests and the lock, nothing else. */
const KEPT = new Set(['Cargo.toml', 'Cargo.lock']);
/** Never copied: git's metadata, and cargo's configuration (rustc wrappers, runners, [env], registries…). */
const SKIPPED_DIRS = new Set(['.git', '.cargo']);
/** A manifest or lock larger than this is not one. */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

export class ManifestTreeError extends Error {}

/**
 * A copy of a checkout for the steps that resolve and download dependencies, which have the
 * network or a writable tree: every Cargo.toml and Cargo.lock copied as a regular file, every other
 * file there but empty (cargo finds the same targets by their names), no `.git`, no `.cargo`, no
 * symlink (one becomes an empty file). No program or configuration of the component is in it, so
 * cargo has nothing of the component's to run or obey there, and nothing written there is the checkout.
 */
export async function manifestTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const e of await readdir(from, { withFileTypes: true })) {
    const src = join(from, e.name);
    const dst = join(to, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name)) await manifestTree(src, dst);
    } else if (e.isFile() && KEPT.has(e.name)) {
      const st = await lstat(src);
      if (st.size > MAX_MANIFEST_BYTES) throw new ManifestTreeError(`${src} is ${st.size} bytes, too large for a Cargo manifest or lock`);
      await copyFile(src, dst);
    } else if (e.isFile() || e.isSymbolicLink()) await writeFile(dst, '');
  }
}
