/**
 * One line of a sparse index file, derived from publish metadata the way crates.io derives it:
 * `version_req` becomes `req`; a renamed dependency is listed under its new name with the real
 * one in `package`; dependencies are sorted (normal before build before dev for the same name);
 * features are sorted by name, and those using `dep:` or `pkg?/feat` (and those that enable
 * them) move to `features2`, which makes the entry schema `v: 2`. Pure.
 */
import type { DependencyKind, PublishMetadata } from './metadata';

export interface IndexDependency {
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

export interface IndexLine {
  name: string;
  vers: string;
  deps: IndexDependency[];
  cksum: string;
  features: Record<string, string[]>;
  features2?: Record<string, string[]>;
  yanked: boolean;
  links: string | null;
  rust_version?: string;
  v: 1 | 2;
}

const KIND_ORDER: Record<DependencyKind, number> = { normal: 0, build: 1, dev: 2 };

/** Rust's `Ord` on the strings involved: byte order, which for ASCII is code-unit order. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
function cmpOpt(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return cmp(a, b);
}
function cmpList(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = cmp(a[i]!, b[i]!);
    if (c) return c;
  }
  return a.length - b.length;
}

/** crates.io's order: name, kind, req, optional, default_features, target, package, features. */
export function compareDependencies(a: IndexDependency, b: IndexDependency): number {
  return (
    cmp(a.name, b.name) ||
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    cmp(a.req, b.req) ||
    Number(a.optional) - Number(b.optional) ||
    Number(a.default_features) - Number(b.default_features) ||
    cmpOpt(a.target, b.target) ||
    cmpOpt(a.package, b.package) ||
    cmpList(a.features, b.features)
  );
}

const usesNewSyntax = (value: string) => value.startsWith('dep:') || value.includes('?/');

/** Splits features into those every cargo reads and those needing cargo 1.60+ (crates.io's rule). */
export function splitFeatures(features: Record<string, string[]>): { features: Record<string, string[]>; features2: Record<string, string[]> } {
  const names = Object.keys(features).sort(cmp);
  const second = new Set(names.filter((n) => features[n]!.some(usesNewSyntax)));
  // A feature that enables a features2 feature must itself be read with it; repeat until stable.
  for (let changed = true; changed; ) {
    changed = false;
    for (const n of names) {
      if (!second.has(n) && features[n]!.some((v) => second.has(v))) {
        second.add(n);
        changed = true;
      }
    }
  }
  const pick = (keep: boolean) => Object.fromEntries(names.filter((n) => second.has(n) === keep).map((n) => [n, [...features[n]!]]));
  return { features: pick(false), features2: pick(true) };
}

function stripSparse(url: string): string {
  return url.replace(/^sparse\+/, '').replace(/\/+$/, '');
}

/**
 * The index line for a published version. `ownIndexUrls` are this registry's index URLs: a
 * dependency naming one of them is "from this registry", which the index writes as null.
 */
export function indexLineFor(meta: PublishMetadata, cksum: string, ownIndexUrls: readonly string[] = []): IndexLine {
  const own = new Set(ownIndexUrls.map(stripSparse));
  const deps = meta.deps
    .map((d): IndexDependency => ({
      name: d.explicit_name_in_toml ?? d.name,
      req: d.version_req,
      features: [...d.features],
      optional: d.optional,
      default_features: d.default_features,
      target: d.target,
      kind: d.kind,
      registry: d.registry !== null && own.has(stripSparse(d.registry)) ? null : d.registry,
      package: d.explicit_name_in_toml !== null ? d.name : null,
    }))
    .sort(compareDependencies);
  const { features, features2 } = splitFeatures(meta.features);
  const hasSecond = Object.keys(features2).length > 0;
  return {
    name: meta.name,
    vers: meta.vers,
    deps,
    cksum,
    features,
    ...(hasSecond ? { features2 } : {}),
    yanked: false,
    links: meta.links,
    ...(meta.rust_version !== null ? { rust_version: meta.rust_version } : {}),
    v: hasSecond ? 2 : 1,
  };
}

/** The line as it appears in the index file: compact JSON in a fixed key order, no newline. */
export function serializeIndexLine(line: IndexLine): string {
  const ordered = {
    name: line.name,
    vers: line.vers,
    deps: line.deps.map((d) => ({
      name: d.name,
      req: d.req,
      features: d.features,
      optional: d.optional,
      default_features: d.default_features,
      target: d.target,
      kind: d.kind,
      registry: d.registry,
      package: d.package,
    })),
    cksum: line.cksum,
    features: line.features,
    ...(line.features2 ? { features2: line.features2 } : {}),
    yanked: line.yanked,
    links: line.links,
    ...(line.rust_version !== undefined ? { rust_version: line.rust_version } : {}),
    v: line.v,
  };
  return JSON.stringify(ordered);
}
