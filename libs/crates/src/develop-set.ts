/**
 * The develop set as `version --develop` leaves it for the nightly's later steps (release commits,
 * packaging, upload, notes): which version each component's crate gets, in chain order. Written
 * under dist/, never into versions.toml: the develop set is not the official one. Pure: the
 * record, its path and its validation when read.
 */
import { join } from 'node:path';
import { ManifestError } from '@bllvm/manifest';
import type { CrateVersion } from './plan-develop';
import { parseVersion } from './semver';

export const DEVELOP_SET_SCHEMA = 1;

/** Relative to the workspace's dist/: beside the release set's other outputs, not a component's folder. */
export const DEVELOP_SET_FILE = join('release-set', 'develop', 'crates.json');

export interface DevelopSet {
  schema: typeof DEVELOP_SET_SCHEMA;
  kind: 'develop';
  /** The registry whose versions the plan went past, as the plan named it. */
  registry: string;
  /** In chain order, dependencies first. */
  crates: CrateVersion[];
}

export function developSetPath(distDir: string): string {
  return join(distDir, DEVELOP_SET_FILE);
}

export function serializeDevelopSet(set: DevelopSet): string {
  return `${JSON.stringify(set, null, 2)}\n`;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The develop set in `json` (read from `file`), checked field by field; a ManifestError says what is wrong. */
export function parseDevelopSet(json: unknown, file: string): DevelopSet {
  const o = json as Partial<Record<keyof DevelopSet, unknown>> | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new ManifestError(file, 'is not a JSON object');
  if (o.schema !== DEVELOP_SET_SCHEMA) throw new ManifestError(file, `schema must be ${DEVELOP_SET_SCHEMA}, got ${JSON.stringify(o.schema)?.slice(0, 40)}`);
  if (o.kind !== 'develop') throw new ManifestError(file, `kind must be "develop", got ${JSON.stringify(o.kind)?.slice(0, 40)}`);
  if (typeof o.registry !== 'string' || o.registry === '') throw new ManifestError(file, 'registry must be a non-empty string');
  if (!Array.isArray(o.crates)) throw new ManifestError(file, 'crates must be a list');
  const seen = new Set<string>();
  const crates = o.crates.map((c: unknown, i): CrateVersion => {
    const e = c as Partial<Record<keyof CrateVersion, unknown>> | null;
    const at = `crates[${i}]`;
    if (typeof e !== 'object' || e === null) throw new ManifestError(file, `${at} is not an object`);
    for (const key of ['component', 'crate'] as const)
      if (typeof e[key] !== 'string' || !NAME.test(e[key] as string)) throw new ManifestError(file, `${at}.${key} must be a name, got ${JSON.stringify(e[key])?.slice(0, 80)}`);
    if (typeof e.version !== 'string' || !parseVersion(e.version)) throw new ManifestError(file, `${at}.version must be a version, got ${JSON.stringify(e.version)?.slice(0, 80)}`);
    if (seen.has(e.component as string)) throw new ManifestError(file, `${at}: ${e.component as string} is listed twice`);
    seen.add(e.component as string);
    return { component: e.component as string, crate: e.crate as string, version: e.version };
  });
  return { schema: DEVELOP_SET_SCHEMA, kind: 'develop', registry: o.registry, crates };
}
