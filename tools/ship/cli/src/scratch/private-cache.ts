import { constants, existsSync } from 'node:fs';
import { copyFile, cp, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScratchCache } from './scratch-stack';

/**
 * A private Nx cache for a scratch workspace, seeded with a copy of the shared one: Nx reads every
 * entry the shared cache had, and whatever the scratch builds lands in the copy, which goes away
 * with the scratch folder. So a build whose outputs must never be served to a main build (a trial
 * of unreviewed code) still starts warm. Nx restores only entries its index knows (a SQLite
 * database in the workspace-data folder), so the index is copied with the entries.
 */
export async function seedPrivateCache(shared: ScratchCache, dir: string): Promise<ScratchCache & { entries: number }> {
  const cache: ScratchCache = { directory: join(dir, 'nx-cache'), workspaceData: join(dir, 'nx-workspace-data') };
  await mkdir(cache.directory, { recursive: true });
  await mkdir(cache.workspaceData, { recursive: true });
  let entries = 0;
  if (existsSync(shared.directory)) {
    for (const e of await readdir(shared.directory, { withFileTypes: true })) {
      // The entries (one folder per hash, its outputs and terminal output); Nx's lock and run files stay behind.
      if (!e.isDirectory() || !/^\d+$/.test(e.name)) continue;
      // A copy (a reflink where the file system has them, so it costs no space), never a hard link:
      // nothing the scratch's Nx does to its entries may reach the shared files.
      await cp(join(shared.directory, e.name), join(cache.directory, e.name), { recursive: true, preserveTimestamps: true, mode: constants.COPYFILE_FICLONE });
      entries++;
    }
  }
  if (existsSync(shared.workspaceData))
    for (const f of await readdir(shared.workspaceData))
      if (/\.db(?:-wal|-shm)?$/.test(f)) await copyFile(join(shared.workspaceData, f), join(cache.workspaceData, f));
  return { ...cache, entries };
}
