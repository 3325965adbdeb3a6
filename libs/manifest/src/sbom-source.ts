import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESOLVED_LOCK } from './component';
import { isCommitSha } from './refs';

/**
 * What a component's SBOM is made of, kept by its build beside its record (dist/<c>/build): the
 * crate the build compiled and the Cargo.lock it compiled from (RESOLVED_LOCK, beside it). Written where the build runs, so
 * the step that publishes reads these files and no repository, mirror or checkout.
 */
export const SBOM_SOURCE = 'sbom-source.json';

export interface SbomSource {
  /** The crate the component builds, as its Cargo.toml (and so Cargo.lock) names it. */
  crate: string;
  /** The commit it was built from: a source kept by another build of the component is refused. */
  commit: string;
}

/** What is read: the record and the lock's text. */
export interface SbomMaterial extends SbomSource {
  lockText: string;
}

const CRATE = /^[A-Za-z0-9_-]{1,64}$/;

/** Check a sbom-source.json read from dist/ (it may come from a cache): each wrong field is named with the file. Pure. */
export function parseSbomSource(json: unknown, file: string): SbomSource {
  const o = json as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new Error(`${file}: not a JSON object`);
  if (typeof o.crate !== 'string' || !CRATE.test(o.crate)) throw new Error(`${file}: crate must be a crate name, got ${JSON.stringify(o.crate)?.slice(0, 80)}`);
  if (typeof o.commit !== 'string' || !isCommitSha(o.commit)) throw new Error(`${file}: commit must be 40 lowercase hex, got ${JSON.stringify(o.commit)?.slice(0, 80)}`);
  return { crate: o.crate, commit: o.commit };
}

export function serializeSbomSource(source: SbomSource): string {
  return `${JSON.stringify({ crate: source.crate, commit: source.commit }, null, 2)}\n`;
}

/** The SBOM source and lock a build kept in `buildDir`; undefined when it kept none (the caller names what to do). */
export async function readSbomMaterial(buildDir: string): Promise<SbomMaterial | undefined> {
  const file = join(buildDir, SBOM_SOURCE);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  const lockText = await readFile(join(buildDir, RESOLVED_LOCK), 'utf8').catch(() => undefined);
  if (text === undefined || lockText === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  return { ...parseSbomSource(json, file), lockText };
}
