import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileByRename } from '../../lib/atomic-output';
import { lockNeedsFetch } from './fetch-needed';

/** Bumped whenever what the dependency step checks or writes changes, so an older pass is not taken for a newer one. */
const RULES = 'dependencies-1';

/** What the dependency step's outcome depends on, besides the checkouts' commits. */
export interface DependencyInputs {
  /** Checkout folder on the host → the commit it is at, for every checkout the step reads. */
  commits: Record<string, string>;
  /** Crate folder of the component inside its checkout. */
  crateDir: string;
  /** The cargo `--config` flags (registry, upstream patches). */
  config: readonly string[];
  locked: boolean | 'auto';
  /** The component's registry cache. */
  registryHome: string;
  /** sha256 of a lock given by the options (a rebuild's), when there is one. */
  givenLock?: string;
}

/**
 * The marker's name: the set of checkouts (folder and commit), the crate folder, cargo's flags and
 * the cache the step writes. The manifests and committed locks are the commits' own files, and no
 * step can write a checkout, so the same inputs give the same resolve, the same downloads and the
 * same answer from the source check. Pure.
 */
export function dependencyKey(inputs: DependencyInputs): string {
  const rows = Object.entries(inputs.commits)
    .map(([dir, commit]) => `${basename(dir)}\0${commit}`)
    .sort();
  return createHash('sha256')
    .update(JSON.stringify([RULES, rows, inputs.crateDir, inputs.config, inputs.locked, inputs.registryHome, inputs.givenLock ?? null]))
    .digest('hex');
}

/** What a pass leaves: the lock cargo will use (relative to the checkout) and its digest. */
export interface DependencyPass {
  lock: string;
  lockSha256: string;
  lockGenerated: boolean;
}

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

const markerFile = (workDir: string, key: string) => join(workDir, 'dependencies', key);

/**
 * The pass recorded for these inputs, if it still holds: the lock is where it was, byte for byte,
 * and the registry cache still has every package it names. Anything else (no marker, a lock removed
 * or changed, a cache emptied) sends the task through the whole step.
 */
export async function passStillHolds(workDir: string, key: string, checkout: string, registryHome: string): Promise<DependencyPass | undefined> {
  let pass: DependencyPass;
  try {
    pass = JSON.parse(await readFile(markerFile(workDir, key), 'utf8')) as DependencyPass;
  } catch {
    return undefined;
  }
  if (typeof pass.lock !== 'string' || typeof pass.lockSha256 !== 'string' || typeof pass.lockGenerated !== 'boolean') return undefined;
  const lock = await readFile(join(checkout, pass.lock)).catch(() => undefined);
  if (!lock || sha256(lock) !== pass.lockSha256) return undefined;
  if (await lockNeedsFetch(join(checkout, pass.lock), registryHome)) return undefined;
  return pass;
}

/** Written after the step passed, by rename, so a marker never stands for a step that did not finish. */
export async function recordPass(workDir: string, key: string, pass: DependencyPass): Promise<void> {
  await writeFileByRename(markerFile(workDir, key), `${JSON.stringify(pass)}\n`);
}
