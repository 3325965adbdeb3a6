/**
 * The metadata half of a publish request, built from the normalized Cargo.toml inside a `.crate`
 * exactly as `cargo publish` builds it (cargo's `NewCrate`/`NewCrateDependency`, field for field
 * and in their order), and the length-prefixed body that carries it. Pure.
 *
 * Building it from the packaged manifest, not the source tree, means what the registry indexes is
 * what is inside the bytes it stores: path dependencies are already rewritten to registry ones.
 */
import { ManifestError } from '@bllvm/manifest';
import type { CrateArchive } from './publish-crate-file';

/** How cargo names crates.io to other registries, and in an index line of theirs. */
export const CRATES_IO_INDEX = 'https://github.com/rust-lang/crates.io-index';
const CRATES_IO_INDEXES = new Set([CRATES_IO_INDEX, 'https://index.crates.io']);

export type DependencyKind = 'normal' | 'build' | 'dev';

/** cargo's NewCrateDependency; `registry` and `explicit_name_in_toml` are left out when null, as serde does. */
export interface NewCrateDependency {
  optional: boolean;
  default_features: boolean;
  /** The package's real name, also when the manifest renames it. */
  name: string;
  features: string[];
  version_req: string;
  target: string | null;
  kind: DependencyKind;
  /** Index URL of the registry the dependency comes from; absent means the registry published to. */
  registry?: string;
  /** The name the manifest gives a renamed dependency. */
  explicit_name_in_toml?: string;
}

/** cargo's NewCrate. */
export interface NewCrate {
  name: string;
  vers: string;
  deps: NewCrateDependency[];
  features: Record<string, string[]>;
  authors: string[];
  description: string | null;
  documentation: string | null;
  homepage: string | null;
  /** The README's text, read from the package. */
  readme: string | null;
  readme_file: string | null;
  keywords: string[];
  categories: string[];
  license: string | null;
  license_file: string | null;
  repository: string | null;
  badges: Record<string, Record<string, string>>;
  links: string | null;
  rust_version: string | null;
}

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** An index URL as cargo compares them: no `sparse+`, no trailing slash. */
export function canonicalIndexUrl(url: string): string {
  return url.replace(/^sparse\+/, '').replace(/\/+$/, '');
}

const COMPARATOR = /^(=|>=|<=|>|<|~|\^)?\s*(\d+)(?:\.(\d+|\*|x|X)(?:\.(\d+|\*|x|X)(?:-([0-9A-Za-z.-]+))?)?)?(?:\+[0-9A-Za-z.-]+)?$/;
const isWild = (part: string | undefined) => part === '*' || part === 'x' || part === 'X';

/**
 * A version requirement as cargo sends it (the semver crate's Display): a bare version gets `^`,
 * a wildcard keeps none, comparators are joined by `, `. `0.1` → `^0.1`, `>= 0.1,<1` → `>=0.1, <1`,
 * `1.*` → `1.*`. Null for what cargo would not have accepted or what is not handled here
 * (an operator before a wildcard).
 */
export function normalizeVersionReq(req: string): string | null {
  const trimmed = req.trim();
  if (trimmed === '*' || trimmed === 'x' || trimmed === 'X') return '*';
  const out: string[] = [];
  for (const raw of trimmed.split(',')) {
    const m = COMPARATOR.exec(raw.trim());
    if (!m) return null;
    const [, op, major, minor, patch, pre] = m;
    if (isWild(minor) || isWild(patch)) {
      if (op !== undefined || (isWild(minor) && patch !== undefined) || pre !== undefined) return null;
      out.push(isWild(minor) ? `${major}.*` : `${major}.${minor}.*`);
      continue;
    }
    out.push(`${op ?? '^'}${major}${minor !== undefined ? `.${minor}` : ''}${patch !== undefined ? `.${patch}` : ''}${pre !== undefined ? `-${pre}` : ''}`);
  }
  return out.length ? out.join(', ') : null;
}

/**
 * The metadata `cargo publish` sends for this packaged crate to the registry whose index is
 * `targetIndexUrl`. `where` names the .crate in errors. Throws ManifestError naming the field.
 */
export function publishMetadata(archive: CrateArchive, targetIndexUrl: string, where: string): NewCrate {
  const at = `${where}!${archive.name}-${archive.version}/Cargo.toml`;
  const fail = (field: string, problem: string): never => {
    throw new ManifestError(at, problem, { field });
  };
  const m = archive.manifest;
  const pkg = m['package'] as Table;
  const str = (key: string): string | null => {
    const v = pkg[key];
    if (v === undefined) return null;
    if (typeof v !== 'string') return fail(`package.${key}`, 'must be a string');
    return v;
  };
  const strs = (key: string): string[] => {
    const v = pkg[key];
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) return fail(`package.${key}`, 'must be an array of strings');
    return v as string[];
  };

  // `readme = false` (or none) sends no README; a path is read from the package, as cargo does.
  const readmeValue = pkg['readme'];
  let readmeFile: string | null = null;
  let readme: string | null = null;
  if (typeof readmeValue === 'string') {
    readmeFile = readmeValue;
    const bytes = archive.file(readmeValue.replace(/^\.\//, ''));
    if (!bytes) fail('package.readme', `names \`${readmeValue}\`, which the package does not contain`);
    readme = bytes!.toString('utf8');
  } else if (readmeValue !== undefined && typeof readmeValue !== 'boolean') {
    fail('package.readme', 'must be a path or a boolean');
  }

  const features: Record<string, string[]> = {};
  const rawFeatures = m['features'] ?? {};
  if (!isTable(rawFeatures)) fail('features', 'must be a table');
  for (const key of Object.keys(rawFeatures as Table).sort(byKey)) {
    const v = (rawFeatures as Table)[key];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) fail(`features.${key}`, 'must be an array of strings');
    // defineProperty, not assignment: a feature called `__proto__` stays a feature.
    Object.defineProperty(features, key, { value: [...(v as string[])], enumerable: true, writable: true, configurable: true });
  }

  const badges: Record<string, Record<string, string>> = {};
  const rawBadges = m['badges'] ?? {};
  if (!isTable(rawBadges)) fail('badges', 'must be a table');
  for (const key of Object.keys(rawBadges as Table).sort(byKey)) {
    const v = (rawBadges as Table)[key];
    if (!isTable(v) || !Object.values(v).every((s) => typeof s === 'string')) fail(`badges.${key}`, 'must be a table of strings');
    const sorted = Object.fromEntries(Object.entries(v as Record<string, string>).sort(([a], [b]) => byKey(a, b)));
    Object.defineProperty(badges, key, { value: sorted, enumerable: true, writable: true, configurable: true });
  }

  const target = canonicalIndexUrl(targetIndexUrl);
  const deps: NewCrateDependency[] = [];
  const tables: { path: string; table: unknown; kind: DependencyKind; platform: string | null }[] = [];
  const kindsOf = (t: Table, prefix: string, platform: string | null) => {
    for (const [key, kind] of [
      ['dependencies', 'normal'],
      ['build-dependencies', 'build'],
      ['dev-dependencies', 'dev'],
    ] as const) {
      if (t[key] !== undefined) tables.push({ path: `${prefix}${key}`, table: t[key], kind, platform });
    }
  };
  kindsOf(m, '', null);
  const targets = m['target'] ?? {};
  if (!isTable(targets)) fail('target', 'must be a table');
  for (const [platform, t] of Object.entries(targets as Table)) {
    if (!isTable(t)) fail(`target.${platform}`, 'must be a table');
    kindsOf(t as Table, `target.${JSON.stringify(platform)}.`, platform);
  }
  for (const { path, table, kind, platform } of tables) {
    if (!isTable(table)) fail(path, 'must be a table');
    for (const [key, spec] of Object.entries(table as Table)) {
      deps.push(dependency(key, spec, `${path}.${key}`, kind, platform, target, fail));
    }
  }

  const version = str('version')!;
  return {
    name: archive.name,
    vers: version,
    deps,
    features,
    authors: strs('authors'),
    description: str('description'),
    documentation: str('documentation'),
    homepage: str('homepage'),
    readme,
    readme_file: readmeFile,
    keywords: strs('keywords'),
    categories: strs('categories'),
    license: str('license'),
    license_file: str('license-file'),
    repository: str('repository'),
    badges,
    links: str('links'),
    rust_version: str('rust-version'),
  };
}

function dependency(
  key: string,
  spec: unknown,
  field: string,
  kind: DependencyKind,
  platform: string | null,
  targetIndex: string,
  fail: (field: string, problem: string) => never,
): NewCrateDependency {
  const t: Table = typeof spec === 'string' ? { version: spec } : isTable(spec) ? spec : fail(field, 'must be a version string or a table');
  if (t['path'] !== undefined || t['git'] !== undefined) fail(field, 'still has a path or git source: this is not a packaged (normalized) Cargo.toml');
  const version = t['version'];
  if (typeof version !== 'string') return fail(`${field}.version`, 'is missing: a packaged dependency always has one');
  const versionReq = normalizeVersionReq(version);
  if (versionReq === null) return fail(`${field}.version`, `\`${version}\` is not a version requirement this uploader can send`);
  const features = t['features'] ?? [];
  if (!Array.isArray(features) || !features.every((s) => typeof s === 'string')) return fail(`${field}.features`, 'must be an array of strings');
  const optional = t['optional'] ?? false;
  if (typeof optional !== 'boolean') return fail(`${field}.optional`, 'must be a boolean');
  const defaultFeatures = t['default-features'] ?? t['default_features'] ?? true;
  if (typeof defaultFeatures !== 'boolean') return fail(`${field}.default-features`, 'must be a boolean');
  const renamed = t['package'];
  if (renamed !== undefined && typeof renamed !== 'string') return fail(`${field}.package`, 'must be a string');
  const registryIndex = t['registry-index'];
  if (registryIndex !== undefined && typeof registryIndex !== 'string') return fail(`${field}.registry-index`, 'must be a string');
  if (t['registry'] !== undefined) fail(`${field}.registry`, 'names a registry by its local name: a packaged Cargo.toml has `registry-index` instead');

  // In a manifest no registry means crates.io; in the web API it means "the registry published to".
  const from = typeof registryIndex === 'string' ? canonicalIndexUrl(registryIndex) : CRATES_IO_INDEX;
  const sameRegistry = from === targetIndex || (CRATES_IO_INDEXES.has(from) && CRATES_IO_INDEXES.has(targetIndex));
  return {
    optional,
    default_features: defaultFeatures,
    name: typeof renamed === 'string' ? renamed : key,
    features: [...(features as string[])],
    version_req: versionReq,
    target: platform,
    kind,
    ...(sameRegistry ? {} : { registry: typeof registryIndex === 'string' ? registryIndex : CRATES_IO_INDEX }),
    ...(typeof renamed === 'string' ? { explicit_name_in_toml: key } : {}),
  };
}

/** The body of `PUT /api/v1/crates/new`: u32 LE length, metadata JSON, u32 LE length, the .crate. */
export function encodePublishBody(metadata: NewCrate, crate: Buffer): Buffer {
  const json = Buffer.from(JSON.stringify(metadata), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32LE(json.length, 0);
  const mid = Buffer.alloc(4);
  mid.writeUInt32LE(crate.length, 0);
  return Buffer.concat([head, json, mid, crate]);
}
