import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESOLVED_LOCK, SBOM_SOURCE, serializeSbomSource } from '@bllvm/manifest';
import { plainLock } from './lock-record';

/**
 * What the component's SBOM is made of, beside its build record: the Cargo.lock the build compiled
 * from and the crate it compiled. It travels with the build output (cached and restored with it),
 * so the step that publishes reads no checkout, mirror or repository. Cargo's lock is the crate's,
 * or its workspace's above it; only a plain file is taken (plainLock), and without one no source
 * is written: publishing then names the build to rerun.
 */
export async function keepSbomSource(out: string, built: { checkout: string; crateDir: string; crate: string; commit: string }): Promise<void> {
  const rel = await plainLock(built.checkout, built.crateDir);
  if (!rel) return;
  await copyFile(join(built.checkout, rel), join(out, RESOLVED_LOCK));
  await writeFile(join(out, SBOM_SOURCE), serializeSbomSource({ crate: built.crate, commit: built.commit }));
}
