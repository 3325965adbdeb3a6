/**
 * Files of a real-profile repository at each history mark, pure functions of the profile data
 * (real-profile.ts) and the Rust under rust/real/ (head sources) and rust/<seed>/ (pre-rename
 * sources of five of the six renamed crates). Manifests are generated here so that the layout a
 * pipeline must cope with — `package =` path deps before the rename, crates.io ranges resolved
 * through `[patch.crates-io]` sibling paths after it, a crate in a subfolder — follows the data.
 * Registry crates (registry-crates.ts) sit beside the stack edges in `[dependencies]`; where the
 * data says so, a Cargo.lock pinning them is generated for the mark's crate name.
 */
import { FAULT_FILE, REVISION_FILE, faultSource, revisionSource } from './crates';
import { generatedFiles } from './generated';
import {
  REAL_REPOSITORIES,
  crateDirAt,
  type RealMark,
  type RealRepositorySpec,
  type StackDependency,
} from './real-profile';
import { cargoLock, registryDependencyLine, type RegistryDependency } from './registry-crates';
import { rustTree } from './rust-files';
import type { SandboxComponent } from './components';

/** Stack crates a repository may need: what it declares, plus what those need by default. */
export function patchClosure(spec: Pick<RealRepositorySpec, 'dependencies'>, specs = REAL_REPOSITORIES): string[] {
  const found = new Set<string>();
  const visit = (repository: string) => {
    if (found.has(repository)) return;
    found.add(repository);
    const dep = specs.find((s) => s.repository === repository);
    if (!dep) throw new Error(`unknown stack repository ${repository}`);
    const defaults = new Set(dep.features['default'] ?? []);
    // Only edges that are in the dependency tree of a dependent: normal, and not an optional one
    // left off by default. A patch entry outside the tree makes cargo warn that it went unused.
    for (const d of dep.dependencies) {
      if (!d.dev && (!d.optional || defaults.has(`dep:${d.repository}`) || hasFeatureFor(dep, d.repository, defaults))) {
        visit(d.repository);
      }
    }
  };
  for (const d of spec.dependencies) visit(d.repository);
  const order = specs.map((s) => s.repository);
  return [...found].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

function hasFeatureFor(spec: RealRepositorySpec, repository: string, defaults: Set<string>): boolean {
  return [...defaults].some((f) => (spec.features[f] ?? []).includes(`dep:${repository}`));
}

const q = (s: string) => JSON.stringify(s);
const list = (xs: readonly string[]) => `[${xs.map(q).join(', ')}]`;

/** Every crate's version, at every mark. */
export const CRATE_VERSION = '0.1.0';

function packageTable(name: string, repository: string, description: string, extra = ''): string {
  return `[package]
name = ${q(name)}
version = ${q(CRATE_VERSION)}
edition = "2021"
description = ${q(`Sandbox stand-in for BTCDecoded/${repository}: ${description}`)}
license = "MIT"
repository = ${q(`https://github.com/BTCDecoded/${repository}`)}
${extra}`;
}

function featuresTable(features: Readonly<Record<string, readonly string[]>>): string {
  const names = Object.keys(features);
  if (names.length === 0) return '';
  return `\n[features]\n${names.map((f) => `${f} = ${list(features[f] ?? [])}`).join('\n')}\n`;
}

function registryDep(d: StackDependency): string {
  const opts = [
    ...(d.optional ? ['optional = true'] : []),
    ...(d.defaultFeatures === false ? ['default-features = false'] : []),
  ];
  return opts.length === 0 ? `${d.repository} = ${q(d.version)}` : `${d.repository} = { version = ${q(d.version)}, ${opts.join(', ')} }`;
}

/** `../` per folder level between the crate and the repository root, then one more to the siblings. */
function siblingPrefix(crateDir: string): string {
  return crateDir === '.' ? '../' : '../'.repeat(crateDir.split('/').length + 1);
}

function patchTable(repositories: readonly string[], prefix: string): string {
  return `
# Every stack crate this dependency tree may need, from sibling checkouts named after their
# repositories. Not all of them are direct dependencies: the patch applies to the whole tree.
[patch.crates-io]
${repositories.map((r) => `${r} = { path = ${q(prefix + r)} }`).join('\n')}
`;
}

/** A [dependencies] table of stack lines, then the registry crates' lines; empty when both are. */
function dependenciesTable(stack: readonly string[], registry: readonly RegistryDependency[] = []): string {
  const lines = [...stack, ...registry.map(registryDependencyLine)];
  return lines.length ? `\n[dependencies]\n${lines.join('\n')}\n` : '';
}

/** The manifest after the rename: crates.io requirements plus a [patch.crates-io] of siblings. */
export function headManifest(spec: RealRepositorySpec, crateDir = '.'): string {
  const normal = spec.dependencies.filter((d) => !d.dev);
  const dev = spec.dependencies.filter((d) => d.dev);
  const patched = patchClosure(spec);
  return [
    packageTable(spec.repository, spec.repository, spec.description),
    dependenciesTable(normal.map(registryDep), spec.registry),
    dev.length ? `\n[dev-dependencies]\n${dev.map(registryDep).join('\n')}\n` : '',
    featuresTable(spec.features),
    patched.length ? patchTable(patched, siblingPrefix(crateDir)) : '',
  ].join('');
}

/** The manifest before the rename: old crate name, direct path deps with `package =`. */
export function legacyManifest(spec: RealRepositorySpec, crateDir = '.'): string {
  const legacy = spec.beforeRename;
  const oldName = spec.formerNames[0];
  if (!legacy || oldName === undefined) throw new Error(`${spec.repository} has no pre-rename crate`);
  const prefix = siblingPrefix(crateDir);
  const deps = legacy.dependencies.map((d) => {
    const opts = [
      `path = ${q(prefix + d.repository)}`,
      `package = ${q(d.repository)}`,
      ...(d.optional ? ['optional = true'] : []),
      ...(d.defaultFeatures === false ? ['default-features = false'] : []),
    ];
    return `${d.repository} = { ${opts.join(', ')} }`;
  });
  return [
    packageTable(oldName, oldName, spec.description),
    dependenciesTable(deps, legacy.registry),
    featuresTable(legacy.features),
  ].join('');
}

/** examples/simple-module of blvm-sdk: a second manifest in the repository, not a component. */
export function exampleManifest(sdk: RealRepositorySpec): string {
  const patched = patchClosure({ dependencies: [{ repository: sdk.repository, version: '0.1.0' }] }).filter(
    (r) => r !== sdk.repository,
  );
  return `[package]
name = "simple-module"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
${sdk.repository} = { path = "../.." }
${patchTable(patched, '../../../')}`;
}

function readme(spec: RealRepositorySpec, mark: RealMark): string {
  const before = mark === 'beforeRename';
  const name = before ? spec.formerNames[0]! : spec.repository;
  const bins = before ? spec.beforeRename!.binaries : spec.binaries;
  const dir = crateDirAt(spec.repository, mark);
  return `# ${name}

Sandbox stand-in for \`BTCDecoded/${name}\` (${spec.description}), generated by \`tools/doubles/sandbox\`
of the bllvm release orchestrator ('real' profile). A tiny real crate; its crates.io
dependencies come from a local registry (\`tools/doubles/cargo-registry\`).
${bins.length ? `\nBinaries: ${bins.map((b) => `\`${b}\``).join(', ')}.\n` : ''}${dir === '.' ? '' : `\nThe crate is in \`${dir}/\`.\n`}
Siblings are expected side by side, each in a folder named after its repository.
`;
}

/** Renames blvm → bllvm in paths and text: the pre-rename state of sources written for head. */
function toLegacy(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([p, t]) => [p.replaceAll('blvm', 'bllvm'), t.replaceAll('blvm', 'bllvm')]));
}

function under(dir: string, files: Record<string, string>): Record<string, string> {
  if (dir === '.') return files;
  return Object.fromEntries(Object.entries(files).map(([p, t]) => [`${dir}/${p}`, t]));
}

/** The crate's own sources at a mark (manifest excluded), relative to the crate folder. */
function sourcesAt(spec: RealRepositorySpec, mark: RealMark): Record<string, string> {
  const legacy = mark === 'beforeRename' ? spec.beforeRename : undefined;
  if (legacy?.seedSources) {
    // The manifest and lock are generated from the data, like every other mark's.
    const { 'Cargo.toml': _manifest, 'Cargo.lock': _lock, ...seed } = rustTree(legacy.seedSources);
    return { ...seed, ...generatedFiles(legacy.seedSources as SandboxComponent, 0) };
  }
  const head = rustTree(`real/${spec.repository}`);
  return legacy ? toLegacy(head) : head;
}

/**
 * Every file of the repository at a mark, keyed by path from the repository root. A commit to a
 * mark replaces the whole tree with these, so renamed and moved files disappear from the old place.
 */
export function realRepositoryFiles(spec: RealRepositorySpec, mark: RealMark): Record<string, string> {
  const dir = crateDirAt(spec.repository, mark);
  const before = mark === 'beforeRename';
  const manifest = before ? legacyManifest(spec, dir) : headManifest(spec, dir);
  const sources = sourcesAt(spec, mark);
  const crate: Record<string, string> = {
    [FAULT_FILE]: faultSource(spec.repository, null),
    [REVISION_FILE]: revisionSource(0),
    ...sources,
    'Cargo.toml': manifest,
  };
  const locked = before ? spec.beforeRename : spec;
  if (locked?.lockfile) {
    // The root package is named as at this mark: the lock of bllvm-consensus is not blvm-consensus'.
    crate['Cargo.lock'] = cargoLock({ name: before ? spec.formerNames[0]! : spec.repository, version: CRATE_VERSION }, locked.registry ?? []);
  }
  if ('examples/simple-module/src/main.rs' in crate) {
    crate['examples/simple-module/Cargo.toml'] = exampleManifest(spec);
  }
  return { '.gitignore': 'target/\n', 'README.md': readme(spec, mark), ...under(dir, crate) };
}
