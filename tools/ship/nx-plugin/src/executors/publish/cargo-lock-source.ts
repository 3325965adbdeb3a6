import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parse } from 'smol-toml';
import { type Component, OrchestratorError, RESOLVED_LOCK } from '@bllvm/manifest';
import { ensureMirror, git, paths } from '@bllvm/sources';
import type { OrchestratorConfig } from '@bllvm/contract';

/** The lock and crate name an SBOM is made from, and where the lock was read. */
export interface CrateLock {
  crate: string;
  lockText: string;
  from: string;
}

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

/**
 * Cargo.lock of a component at its pinned commit, read without building anything: the one its
 * build of that commit kept beside its record (what was compiled; it comes with the build output,
 * also into a publish job that has no checkout), else the lock the repository tracks at that
 * commit (from the mirror), else the one the build's lock step wrote into a checkout still at it.
 */
export async function readCrateLock(config: OrchestratorConfig, c: Component): Promise<CrateLock> {
  const commit = c.pin.commit;
  const mirror = await ensureMirror(config, c.repository, { commit, component: c.id });
  const show = async (path: string) => {
    const r = await git(['show', `${commit}:${path}`], { cwd: mirror });
    return r.ok ? r.stdout : undefined;
  };
  const manifestPath = c.crate.dir === '.' ? 'Cargo.toml' : `${c.crate.dir}/Cargo.toml`;
  const manifest = await show(manifestPath);
  const named = manifest ? (parse(manifest) as { package?: { name?: unknown } }).package?.name : undefined;
  const crate = c.crate.name ?? (typeof named === 'string' ? named : undefined);
  if (!crate) throw new Error(`${c.id}: no package name in ${manifestPath} at ${commit.slice(0, 7)}`);
  const built = await builtLock(c);
  if (built !== undefined) return { crate, lockText: built, from: `the build of ${c.repository}@${commit.slice(0, 7)} (the ${RESOLVED_LOCK} it compiled from)` };
  for (const candidate of lockCandidates(c.crate.dir)) {
    const text = await show(candidate);
    if (text !== undefined) return { crate, lockText: text, from: `${c.repository}@${commit.slice(0, 7)}:${candidate}` };
  }
  const checkout = paths.checkout(config, c.checkoutFolder);
  const head = await git(['rev-parse', 'HEAD'], { cwd: checkout });
  if (head.ok && head.stdout === commit) {
    for (const candidate of lockCandidates(c.crate.dir)) {
      const text = await readFile(join(checkout, candidate), 'utf8').catch(() => undefined);
      if (text !== undefined) return { crate, lockText: text, from: `the checkout of ${c.repository} at ${commit.slice(0, 7)} (${candidate}, resolved by the build)` };
    }
  }
  throw new SbomSourceError(
    `${c.id}: no Cargo.lock for ${c.repository}@${commit.slice(0, 7)}: the repository tracks none and no checkout at that commit holds the one its build resolved; build it here first (bllvm-release build), or track Cargo.lock in the repository`,
  );
}

/** The lock the build of this very commit kept beside its record (dist/<c>/build/Cargo.lock), if any. */
async function builtLock(c: Component): Promise<string | undefined> {
  const record = await readFile(c.dist.build.record, 'utf8').then((t) => JSON.parse(t) as { commit?: unknown }, () => undefined);
  if (record?.commit !== c.pin.commit) return undefined;
  return readFile(join(c.dist.build.dir, RESOLVED_LOCK), 'utf8').catch(() => undefined);
}

/** No lock to make an SBOM from: says where it was looked for and what to do. */
export class SbomSourceError extends OrchestratorError {
  override readonly name = 'SbomSourceError';
}
