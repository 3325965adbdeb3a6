/**
 * A crate's file in a sparse index, as the uploader reads it: one JSON line per version. Every line
 * is validated when read (the fields the uploader relies on, with the line number and field in the
 * error) and the file is bounded in size, so a broken or hostile registry answer fails loudly
 * instead of being trusted. Unknown fields are ignored, as cargo ignores them. Pure.
 */
import type { DependencyKind } from './publish-metadata';

export interface IndexDependency {
  /** The name the dependent uses (the renamed name, when `package` is set). */
  name: string;
  req: string;
  features: string[];
  optional: boolean;
  default_features: boolean;
  target: string | null;
  kind: DependencyKind;
  registry: string | null;
  package: string | null;
}

export interface IndexEntry {
  name: string;
  vers: string;
  deps: IndexDependency[];
  /** Lowercase hex sha256 of the .crate. */
  cksum: string;
  features: Record<string, string[]>;
  yanked: boolean;
  links: string | null;
}

export interface IndexLimits {
  /** Largest index file read (crates.io's largest are a few MiB). */
  maxBytes: number;
}

export const DEFAULT_INDEX_LIMITS: IndexLimits = { maxBytes: 16 * 1024 * 1024 };

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const NUM = '(?:0|[1-9]\\d*)';
const IDENT = '[0-9A-Za-z-]+';
export const SEMVER = new RegExp(`^${NUM}\\.${NUM}\\.${NUM}(?:-${IDENT}(?:\\.${IDENT})*)?(?:\\+${IDENT}(?:\\.${IDENT})*)?$`);
const SHA256 = /^[0-9a-f]{64}$/;
const KINDS: readonly DependencyKind[] = ['normal', 'build', 'dev'];

/** Whether `name` is a crate name crates.io accepts (letters, digits, `-`, `_`, a letter first, ≤ 64). */
export function isCrateName(name: string): boolean {
  return NAME.test(name);
}

/** The key two names collide on: case and `-`/`_` do not tell crates apart. */
export function canonicalCrateName(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}

/** The index file of a crate relative to the index root: `1/a`, `2/ab`, `3/a/abc`, `ab/cd/abcd…`. */
export function indexPath(name: string): string {
  if (!isCrateName(name)) throw new Error(`indexPath: \`${name}\` is not a crate name`);
  const n = name.toLowerCase();
  if (n.length <= 2) return `${n.length}/${n}`;
  if (n.length === 3) return `3/${n[0]}/${n}`;
  return `${n.slice(0, 2)}/${n.slice(2, 4)}/${n}`;
}

export class IndexLineError extends Error {
  override readonly name = 'IndexLineError';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Every version in the index file of `crate`. `where` names the file in errors (registry and
 * path). Throws IndexLineError naming the line and field.
 */
export function parseIndexFile(text: string, crate: string, where: string, limits: IndexLimits = DEFAULT_INDEX_LIMITS): IndexEntry[] {
  const size = Buffer.byteLength(text);
  if (size > limits.maxBytes) throw new IndexLineError(`${where}: the index file is ${size} bytes, more than the ${limits.maxBytes} read`);
  const entries: IndexEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    entries.push(parseIndexLine(line, crate, `${where}:${i + 1}`));
  }
  return entries;
}

function parseIndexLine(line: string, crate: string, where: string): IndexEntry {
  const bad = (field: string, problem: string) => new IndexLineError(`${where}: ${field ? `\`${field}\` ` : ''}${problem}`);
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    throw bad('', `is not JSON (${(error as Error).message})`);
  }
  if (!isObj(json)) throw bad('', 'is not a JSON object');
  const text = (o: Obj, key: string, at: string): string => {
    const v = o[key];
    if (typeof v !== 'string') throw bad(at + key, v === undefined ? 'is missing' : 'must be a string');
    return v;
  };
  const maybeText = (o: Obj, key: string, at: string): string | null => {
    const v = o[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') throw bad(at + key, 'must be a string or null');
    return v;
  };
  const texts = (o: Obj, key: string, at: string): string[] => {
    const v = o[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw bad(at + key, 'must be an array of strings');
    return v as string[];
  };
  const flag = (o: Obj, key: string, at: string, fallback: boolean): boolean => {
    const v = o[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') throw bad(at + key, 'must be a boolean');
    return v;
  };

  const name = text(json, 'name', '');
  if (canonicalCrateName(name) !== canonicalCrateName(crate)) throw bad('name', `is \`${name}\` in the index file of \`${crate}\``);
  const vers = text(json, 'vers', '');
  if (!SEMVER.test(vers)) throw bad('vers', `\`${vers}\` is not a semantic version`);
  const cksum = text(json, 'cksum', '');
  if (!SHA256.test(cksum)) throw bad('cksum', 'must be 64 lowercase hex digits (a sha256)');
  const yanked = json['yanked'];
  if (typeof yanked !== 'boolean') throw bad('yanked', yanked === undefined ? 'is missing' : 'must be a boolean');

  const rawDeps = json['deps'] ?? [];
  if (!Array.isArray(rawDeps)) throw bad('deps', 'must be an array');
  const deps = rawDeps.map((d: unknown, i): IndexDependency => {
    const at = `deps[${i}].`;
    if (!isObj(d)) throw bad(`deps[${i}]`, 'must be an object');
    const kind = d['kind'] ?? 'normal';
    if (!KINDS.includes(kind as DependencyKind)) throw bad(`${at}kind`, `must be one of ${KINDS.join(', ')}`);
    return {
      name: text(d, 'name', at),
      req: text(d, 'req', at),
      features: texts(d, 'features', at),
      optional: flag(d, 'optional', at, false),
      default_features: flag(d, 'default_features', at, true),
      target: maybeText(d, 'target', at),
      kind: kind as DependencyKind,
      registry: maybeText(d, 'registry', at),
      package: maybeText(d, 'package', at),
    };
  });

  const features: Record<string, string[]> = {};
  for (const key of ['features', 'features2']) {
    const v = json[key] ?? {};
    if (!isObj(v)) throw bad(key, 'must be an object');
    for (const [feature, enables] of Object.entries(v)) {
      if (!Array.isArray(enables) || !enables.every((s) => typeof s === 'string')) throw bad(`${key}.${feature}`, 'must be an array of strings');
      Object.defineProperty(features, feature, { value: enables as string[], enumerable: true, writable: true, configurable: true });
    }
  }
  return { name, vers, deps, cksum, features, yanked, links: maybeText(json, 'links', '') };
}

/**
 * The entry that is this version to the registry, if any. Build metadata does not tell versions
 * apart there (`1.0.0+a` is refused once `1.0.0+b` is out), so it does not here either.
 */
export function findVersion(entries: readonly IndexEntry[], version: string): IndexEntry | undefined {
  const core = (v: string) => v.replace(/\+.*$/, '');
  return entries.find((e) => e.vers === version) ?? entries.find((e) => core(e.vers) === core(version));
}
