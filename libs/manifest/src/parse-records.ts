import { readFile } from 'node:fs/promises';
import { ManifestError, throwIfAny } from './errors';
import { isCommitSha, printable, repositoryProblem } from './refs';
import type { ArtifactRecord, BuildRecord, BuildSettings, CommandRecord, CrateRecord, ImageRecord, LockRecord, NotPublishedRecord } from './records';

/**
 * The records in dist/ come back from the Nx cache, from an earlier run or from a disk that may
 * have been edited or truncated; a wrong field would otherwise surface far away (an archive named
 * `undefined`, a commit compared with a number). So each is checked field by field when read, and
 * every problem names the file and the field. Keys we do not read are ignored: they cannot mislead.
 */

const HEX64 = /^[0-9a-f]{64}$/;

/** Collects the problems of one record; each check returns the value when it is valid. */
class Checker {
  readonly errors: ManifestError[] = [];
  constructor(readonly file: string) {}

  problem(field: string, what: string): undefined {
    this.errors.push(new ManifestError(this.file, what, { field }));
    return undefined;
  }

  object(value: unknown, field: string): Record<string, unknown> | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    return this.problem(field, `must be an object, found ${kindOf(value)}`);
  }

  string(value: unknown, field: string): string | undefined {
    if (typeof value === 'string' && value.length > 0) return value;
    return this.problem(field, typeof value === 'string' ? 'must not be empty' : `must be a string, found ${kindOf(value)}`);
  }

  commit(value: unknown, field: string): string | undefined {
    if (isCommitSha(value)) return value;
    return this.problem(field, `${shown(value)} is not a 40-character lowercase hex commit`);
  }

  sha256(value: unknown, field: string): string | undefined {
    if (typeof value === 'string' && HEX64.test(value)) return value;
    return this.problem(field, `${shown(value)} is not a 64-character lowercase hex sha256`);
  }

  size(value: unknown, field: string): number | undefined {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
    return this.problem(field, `${shown(value)} is not a size in bytes`);
  }

  boolean(value: unknown, field: string): boolean | undefined {
    if (typeof value === 'boolean') return value;
    return this.problem(field, `must be true or false, found ${kindOf(value)}`);
  }

  strings(value: unknown, field: string, allowEmpty = true): string[] | undefined {
    if (!Array.isArray(value)) return this.problem(field, `must be an array of strings, found ${kindOf(value)}`);
    const bad = value.findIndex((v) => typeof v !== 'string');
    if (bad >= 0) return this.problem(`${field}[${bad}]`, `must be a string, found ${kindOf(value[bad])}`);
    if (!allowEmpty && value.length === 0) return this.problem(field, 'must not be empty');
    return value as string[];
  }

  timestamp(value: unknown, field: string): string | undefined {
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return value;
    return this.problem(field, `${shown(value)} is not a date and time`);
  }

  /** Throws when anything was wrong; otherwise narrows the parts the checks returned. */
  done<T>(value: T): T {
    throwIfAny(this.errors);
    return value;
  }
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function shown(v: unknown): string {
  return typeof v === 'string' ? `"${printable(v)}"` : kindOf(v);
}

function artifact(c: Checker, value: unknown, field: string): ArtifactRecord | undefined {
  const o = c.object(value, field);
  if (!o) return undefined;
  const name = c.string(o.name, `${field}.name`);
  const kind = o.kind === 'binary' || o.kind === 'library' ? o.kind : c.problem(`${field}.kind`, `${shown(o.kind)} is not "binary" or "library"`);
  const size = c.size(o.size, `${field}.size`);
  const sha256 = c.sha256(o.sha256, `${field}.sha256`);
  return name === undefined || kind === undefined || size === undefined || sha256 === undefined ? undefined : { name, kind, size, sha256 };
}

export function parseBuildRecord(json: unknown, file: string): BuildRecord {
  const c = new Checker(file);
  const o = c.object(json, 'record') ?? {};
  const component = c.string(o.component, 'component');
  const repoProblem = repositoryProblem(o.repository);
  if (repoProblem) c.problem('repository', repoProblem);
  const branch = c.string(o.branch, 'branch');
  const commit = c.commit(o.commit, 'commit');
  const version = c.string(o.version, 'version');
  const toolchain = c.string(o.toolchain, 'toolchain');
  const features = c.strings(o.features, 'features');
  const profile = c.string(o.profile, 'profile');
  const target = o.target === undefined ? undefined : c.string(o.target, 'target');
  const upstream: Record<string, string> = {};
  const up = c.object(o.upstream, 'upstream');
  for (const [name, sha] of Object.entries(up ?? {})) {
    const ok = c.commit(sha, `upstream.${printable(name)}`);
    if (ok) upstream[name] = ok;
  }
  const artifacts: ArtifactRecord[] = [];
  if (!Array.isArray(o.artifacts)) c.problem('artifacts', `must be an array, found ${kindOf(o.artifacts)}`);
  else
    o.artifacts.forEach((a, i) => {
      const ok = artifact(c, a, `artifacts[${i}]`);
      if (ok) artifacts.push(ok);
    });
  const settings = o.settings === undefined ? undefined : buildSettings(c, o.settings);
  const lock = o.lock === undefined ? undefined : lockRecord(c, o.lock);
  return c.done({
    component: component!,
    repository: o.repository as string,
    branch: branch!,
    commit: commit!,
    version: version!,
    toolchain: toolchain!,
    features: features!,
    profile: profile!,
    ...(target === undefined ? {} : { target }),
    upstream,
    artifacts,
    ...(settings === undefined ? {} : { settings }),
    ...(lock === undefined ? {} : { lock }),
  });
}

function lockRecord(c: Checker, value: unknown): LockRecord | undefined {
  const o = c.object(value, 'lock');
  if (!o) return undefined;
  const sha256 = c.sha256(o.sha256, 'lock.sha256');
  const origin = o.origin === 'committed' || o.origin === 'generated' ? o.origin : c.problem('lock.origin', `${shown(o.origin)} is neither "committed" nor "generated"`);
  return sha256 === undefined || origin === undefined ? undefined : { sha256, origin };
}

function buildSettings(c: Checker, value: unknown): BuildSettings | undefined {
  const o = c.object(value, 'settings');
  if (!o) return undefined;
  const epoch = c.size(o.sourceDateEpoch, 'settings.sourceDateEpoch');
  const cargo = c.string(o.cargo, 'settings.cargo');
  const rustflags = c.strings(o.rustflags, 'settings.rustflags');
  const command = c.strings(o.command, 'settings.command', false);
  const sandbox: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.object(o.sandbox, 'settings.sandbox') ?? {})) {
    const ok = c.string(v, `settings.sandbox.${printable(k)}`);
    if (ok !== undefined) sandbox[k] = ok;
  }
  if (epoch === undefined || cargo === undefined || !rustflags || !command) return undefined;
  return { sourceDateEpoch: epoch, cargo, rustflags, command, sandbox };
}

export function parseCommandRecord(json: unknown, file: string): CommandRecord {
  const c = new Checker(file);
  const o = c.object(json, 'record') ?? {};
  const component = c.string(o.component, 'component');
  const commit = c.commit(o.commit, 'commit');
  const command = c.strings(o.command, 'command', false);
  const success = c.boolean(o.success, 'success');
  const durationMs = typeof o.durationMs === 'number' && Number.isFinite(o.durationMs) && o.durationMs >= 0 ? o.durationMs : c.problem('durationMs', `${shown(o.durationMs)} is not a duration in milliseconds`);
  const finishedAt = c.timestamp(o.finishedAt, 'finishedAt');
  return c.done({ component: component!, commit: commit!, command: command!, success: success!, durationMs: durationMs!, finishedAt: finishedAt! });
}

export function parseImageRecord(json: unknown, file: string): ImageRecord {
  const c = new Checker(file);
  const o = c.object(json, 'record') ?? {};
  const component = c.string(o.component, 'component');
  const image = c.string(o.image, 'image');
  const tags = c.strings(o.tags, 'tags', false);
  const imageId = typeof o.imageId === 'string' && /^sha256:[0-9a-f]{64}$/.test(o.imageId) ? o.imageId : c.problem('imageId', `${shown(o.imageId)} is not an image ID (sha256:<64 hex>)`);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.object(o.labels, 'labels') ?? {})) {
    const ok = typeof v === 'string' ? v : c.problem(`labels.${printable(k)}`, `must be a string, found ${kindOf(v)}`);
    if (ok !== undefined) labels[k] = ok;
  }
  const a = c.object(o.archive, 'archive');
  const archive = a && { name: c.string(a.name, 'archive.name')!, size: c.size(a.size, 'archive.size')!, sha256: c.sha256(a.sha256, 'archive.sha256')! };
  const commit = c.commit(o.commit, 'commit');
  const builtAt = c.timestamp(o.builtAt, 'builtAt');
  return c.done({ component: component!, image: image!, tags: tags!, imageId: imageId!, labels, archive: archive!, commit: commit!, builtAt: builtAt! });
}

const CRATE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export function parseCrateRecord(json: unknown, file: string): CrateRecord {
  const c = new Checker(file);
  const o = c.object(json, 'record') ?? {};
  const component = c.string(o.component, 'component');
  const crate = typeof o.crate === 'string' && CRATE_NAME.test(o.crate) ? o.crate : c.problem('crate', `${shown(o.crate)} is not a crate name`);
  const version = typeof o.version === 'string' && SEMVER.test(o.version) ? o.version : c.problem('version', `${shown(o.version)} is not a semantic version`);
  const expected = crate && version ? `${crate}-${version}.crate` : undefined;
  const fileName = o.file === expected && expected ? expected : c.problem('file', `${shown(o.file)} must be ${expected ? `"${expected}"` : '<crate>-<version>.crate'}`);
  const size = c.size(o.size, 'size');
  const sha256 = c.sha256(o.sha256, 'sha256');
  const commit = c.commit(o.commit, 'commit');
  const tag = o.tag === undefined ? undefined : typeof o.tag === 'string' && /^[A-Za-z0-9._\/-]{1,100}$/.test(o.tag) ? o.tag : c.problem('tag', `${shown(o.tag)} is not a tag name`);
  const dependsOn = c.strings(o.dependsOn, 'dependsOn');
  dependsOn?.forEach((d, i) => { if (!CRATE_NAME.test(d)) c.problem(`dependsOn[${i}]`, `${shown(d)} is not a crate name`); });
  return c.done({ component: component!, crate: crate!, version: version!, file: fileName!, size: size!, sha256: sha256!, commit: commit!, ...(tag ? { tag } : {}), dependsOn: dependsOn! });
}

export function parseNotPublishedRecord(json: unknown, file: string): NotPublishedRecord {
  const c = new Checker(file);
  const o = c.object(json, 'record') ?? {};
  const component = c.string(o.component, 'component');
  const commit = c.commit(o.commit, 'commit');
  const reason = o.reason === 'publish = false' ? o.reason : c.problem('reason', `${shown(o.reason)} must be "publish = false"`);
  return c.done({ component: component!, commit: commit!, reason: reason! });
}

/** Read a record file: a missing file, JSON that does not parse and a wrong field each name the file. */
async function readRecord<T>(file: string, what: string, parse: (json: unknown, file: string) => T): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ManifestError(file, `cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ManifestError(file, `${what} is not valid JSON: ${(e as Error).message}`);
  }
  return parse(json, file);
}

export const readBuildRecord = (file: string) => readRecord(file, 'build record', parseBuildRecord);
export const readCommandRecord = (file: string) => readRecord(file, 'command record', parseCommandRecord);
export const readImageRecord = (file: string) => readRecord(file, 'image record', parseImageRecord);
export const readCrateRecord = (file: string) => readRecord(file, 'crate record', parseCrateRecord);
export const readNotPublishedRecord = (file: string) => readRecord(file, 'not-published record', parseNotPublishedRecord);
