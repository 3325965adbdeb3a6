/**
 * The JSON half of a publish request: cargo's description of the package, validated when read.
 * Field names are cargo's (the registry web API's), so `version_req` and `explicit_name_in_toml`
 * here become `req` and `package` only in the index line (see index-line.ts). Missing optional
 * fields count as null, as the web API asks; unknown fields are ignored.
 */
import { RegistryError } from './errors';
import { assertCrateName } from './names';
import { parseSemVer } from './semver';

export type DependencyKind = 'normal' | 'build' | 'dev';

export interface PublishDependency {
  /** The package's real name, even when the manifest renames it. */
  name: string;
  version_req: string;
  features: string[];
  optional: boolean;
  default_features: boolean;
  target: string | null;
  kind: DependencyKind;
  /** Index URL of the registry the dependency comes from; null means this registry. */
  registry: string | null;
  /** The name the manifest gives a renamed dependency. */
  explicit_name_in_toml: string | null;
}

export interface PublishMetadata {
  name: string;
  vers: string;
  deps: PublishDependency[];
  features: Record<string, string[]>;
  authors: string[];
  description: string | null;
  documentation: string | null;
  homepage: string | null;
  readme: string | null;
  readme_file: string | null;
  keywords: string[];
  categories: string[];
  license: string | null;
  license_file: string | null;
  repository: string | null;
  links: string | null;
  rust_version: string | null;
}

const KINDS: readonly DependencyKind[] = ['normal', 'build', 'dev'];

const bad = (at: string, what: string) => new RegistryError(400, `invalid upload request: \`${at}\` ${what}`);

function object(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(at, 'must be an object');
  return value as Record<string, unknown>;
}

function text(o: Record<string, unknown>, key: string, at: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw bad(`${at}${key}`, v === undefined ? 'is missing' : 'must be a string');
  return v;
}

function maybeText(o: Record<string, unknown>, key: string, at: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw bad(`${at}${key}`, 'must be a string or null');
  return v;
}

function texts(o: Record<string, unknown>, key: string, at: string): string[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw bad(`${at}${key}`, 'must be an array of strings');
  return v as string[];
}

function flag(o: Record<string, unknown>, key: string, at: string, fallback: boolean): boolean {
  const v = o[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw bad(`${at}${key}`, 'must be a boolean');
  return v;
}

function dependency(value: unknown, at: string): PublishDependency {
  const o = object(value, at);
  const p = `${at}.`;
  const kind = o['kind'] ?? 'normal';
  if (!KINDS.includes(kind as DependencyKind)) throw bad(`${p}kind`, `must be one of ${KINDS.join(', ')}`);
  const name = text(o, 'name', p);
  assertCrateName(name);
  const explicit = maybeText(o, 'explicit_name_in_toml', p);
  if (explicit !== null) assertCrateName(explicit);
  return {
    name,
    version_req: text(o, 'version_req', p),
    features: texts(o, 'features', p),
    optional: flag(o, 'optional', p, false),
    default_features: flag(o, 'default_features', p, true),
    target: maybeText(o, 'target', p),
    kind: kind as DependencyKind,
    registry: maybeText(o, 'registry', p),
    explicit_name_in_toml: explicit,
  };
}

/** Checks the parsed JSON of a publish request; throws RegistryError(400) naming the bad field. */
export function validatePublishMetadata(json: unknown): PublishMetadata {
  const o = object(json, 'metadata');
  const name = text(o, 'name', '');
  assertCrateName(name);
  const vers = text(o, 'vers', '');
  if (!parseSemVer(vers)) throw bad('vers', `\`${vers}\` is not a semantic version (MAJOR.MINOR.PATCH)`);
  const rawDeps = o['deps'] ?? [];
  if (!Array.isArray(rawDeps)) throw bad('deps', 'must be an array');
  const rawFeatures = o['features'] === undefined || o['features'] === null ? {} : object(o['features'], 'features');
  // fromEntries, not assignment: a feature called `__proto__` stays a feature.
  const features = Object.fromEntries(
    Object.entries(rawFeatures).map(([feature, enables]) => {
      if (!Array.isArray(enables) || !enables.every((s) => typeof s === 'string')) throw bad(`features.${feature}`, 'must be an array of strings');
      return [feature, enables as string[]];
    }),
  );
  return {
    name,
    vers,
    deps: rawDeps.map((d, i) => dependency(d, `deps[${i}]`)),
    features,
    authors: texts(o, 'authors', ''),
    description: maybeText(o, 'description', ''),
    documentation: maybeText(o, 'documentation', ''),
    homepage: maybeText(o, 'homepage', ''),
    readme: maybeText(o, 'readme', ''),
    readme_file: maybeText(o, 'readme_file', ''),
    keywords: texts(o, 'keywords', ''),
    categories: texts(o, 'categories', ''),
    license: maybeText(o, 'license', ''),
    license_file: maybeText(o, 'license_file', ''),
    repository: maybeText(o, 'repository', ''),
    links: maybeText(o, 'links', ''),
    rust_version: maybeText(o, 'rust_version', ''),
  };
}
