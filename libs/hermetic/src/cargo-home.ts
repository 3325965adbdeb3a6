import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mount } from './sandbox';
import { SANDBOX_PATHS } from './reproducible';

/**
 * A component's cargo home on the host holds only the registry cache (`registry/`, `git/`), which
 * only the download step writes, and that step runs no component code. Component code (builds,
 * tests, proofs, metadata reads) gets a fresh tmpfs as its cargo home with the cache read-only
 * inside it: a build script can write a `config.toml` there, and it is gone with the task.
 */
const CACHE_FOLDERS = ['registry', 'git'] as const;
/** Cargo's own bookkeeping beside the cache (its locks, its last-use database): kept, as another download step may hold the lock. */
const CARGO_OWN = ['.package-cache', '.package-cache-mutate', '.global-cache'];

/** The mounts that give a sandbox its cargo home: `download` writable (the download step alone), `read` for everything else. Pure. */
export function cargoHomeMounts(registryHome: string | undefined, mode: 'read' | 'download', tmpMiB: number): Mount[] {
  if (mode === 'download') {
    if (!registryHome) throw new Error('the download step needs the registry cache folder');
    return [{ host: registryHome, at: SANDBOX_PATHS.cargoHome, writable: true }];
  }
  return [
    { tmpfsMiB: tmpMiB, at: SANDBOX_PATHS.cargoHome },
    ...(registryHome ? CACHE_FOLDERS.map((f) => ({ host: join(registryHome, f), at: `${SANDBOX_PATHS.cargoHome}/${f}`, ifPresent: true })) : []),
  ];
}

/**
 * Make the registry cache folder ready: its cache folders present, and nothing else in it. Cargo
 * reads `config.toml`, `credentials.toml` and installed binaries from a cargo home; none of them
 * is ours to keep, and whatever put one there (an older release of this tool let build scripts
 * write here) must not reach the download step, which has the network.
 */
export async function prepareRegistryHome(registryHome: string): Promise<void> {
  await mkdir(registryHome, { recursive: true });
  for (const entry of await readdir(registryHome)) if (![...CACHE_FOLDERS, ...CARGO_OWN].includes(entry)) await rm(join(registryHome, entry), { recursive: true, force: true });
  for (const f of CACHE_FOLDERS) await mkdir(join(registryHome, f), { recursive: true });
}
