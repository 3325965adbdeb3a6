import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CrateFacts } from '@bllvm/manifest';
import { type PackageMetadataRun, crateFacts } from '@bllvm/sources';
import { writeFileByRename } from './atomic-output';

/** What identifies a crate's facts: `cargo metadata --no-deps` reads only the commit's own files, so no sibling's pin is part of it. */
export interface CrateKey {
  repository: string;
  commit: string;
  crateDir: string;
}

/** <workDir>/graph-facts/<hash>.json: shared by the graph sync, graph-check and the cargo executor's option check. */
export function factsCacheFile(workDir: string, key: CrateKey): string {
  const hash = createHash('sha256').update(JSON.stringify([key.repository, key.commit, key.crateDir])).digest('hex').slice(0, 32);
  return join(workDir, 'graph-facts', `${hash}.json`);
}

export async function cachedFacts(workDir: string, key: CrateKey): Promise<CrateFacts | undefined> {
  try {
    return JSON.parse(await readFile(factsCacheFile(workDir, key), 'utf8')) as CrateFacts;
  } catch {
    return undefined;
  }
}

/** Written under a unique name and renamed into place: concurrent tasks never read half a file. */
export async function storeFacts(workDir: string, key: CrateKey, facts: CrateFacts): Promise<void> {
  await writeFileByRename(factsCacheFile(workDir, key), JSON.stringify(facts));
}

export type FactsResult = { ok: true; facts: CrateFacts; ms: number; cached: boolean } | { ok: false; stderr: string; ms: number };

/** The crate's facts from the cache, or from one cargo run in the sandbox (then cached, unless `store` is false). The checkouts must be in place. */
export async function readCrateFacts(workDir: string, key: CrateKey, run: PackageMetadataRun, store = true): Promise<FactsResult> {
  const hit = await cachedFacts(workDir, key);
  if (hit) return { ok: true, facts: hit, ms: 0, cached: true };
  const r = await crateFacts(run);
  if (!r.ok) return r;
  if (store) await storeFacts(workDir, key, r.facts);
  return { ...r, cached: false };
}
