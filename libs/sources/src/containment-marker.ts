import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { SourcesConfig } from './config';
import type { Checked } from './containment';

/**
 * Bumped whenever what containment checks changes, so a marker written by older rules is not
 * taken as a pass by newer ones.
 */
const RULES = 'containment-1';

/**
 * What a containment pass depends on: the set of checkouts (folder, commit, crate folder), each at
 * a clean commit. Checkouts are never writable to a build (read-only in every sandbox; the only
 * host write is the lock we copy in), so the same set gives the same answer: the result is kept
 * per set and each task of an unchanged stack skips its `cargo metadata` probes.
 */
export function containmentKey(checked: readonly Checked[]): string {
  const rows = checked.map((c) => `${basename(c.dir)}\0${c.commit}\0${c.crateDir}\0${c.component}`).sort();
  return createHash('sha256').update([RULES, ...rows].join('\n')).digest('hex');
}

const markerPath = (cfg: SourcesConfig, key: string) => join(cfg.workDir, 'containment', key);

export function passedBefore(cfg: SourcesConfig, key: string): boolean {
  return existsSync(markerPath(cfg, key));
}

/** Written only after a pass, by rename, so a marker never exists for a check that did not finish. */
export async function recordPass(cfg: SourcesConfig, key: string): Promise<void> {
  const file = markerPath(cfg, key);
  await mkdir(join(cfg.workDir, 'containment'), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${new Date().toISOString()}\n`);
  await rename(tmp, file);
}
