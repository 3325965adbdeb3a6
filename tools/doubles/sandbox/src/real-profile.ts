/**
 * The 'real' profile as data: the ten repositories of the BTCDecoded org as it stands after the
 * bllvm-* → blvm-* rename (REAL-STACK §1–§4). Manifests, READMEs and the facts callers configure a
 * workspace from are all derived from this table, so they cannot drift apart.
 */
import { NODE_FEATURES } from './components';
import type { RegistryDependency } from './registry-crates';

/** Named commits on main of a real-profile repository (see README "History marks"). */
export type RealMark = 'initial' | 'beforeRename' | 'afterRename' | 'root';

/** What a component ships, as the `kind:*` tags of a workspace project say it. */
export type RepositoryKind = 'library' | 'binary' | 'image';

export interface StackDependency {
  /** The sibling repository (its crate has the same name at head). */
  repository: string;
  /** crates.io requirement at head; cargo resolves it through the manifest's [patch.crates-io]. */
  version: string;
  /** Optional edge, enabled by the feature of the same name as the dependency's short name. */
  optional?: boolean;
  /** [dev-dependencies] rather than [dependencies]. */
  dev?: boolean;
  defaultFeatures?: false;
}

export interface RealRepositorySpec {
  repository: string;
  /** The workspace project id this repository is meant to be built as. */
  component: string;
  kinds: readonly RepositoryKind[];
  description: string;
  /** Names the repository (and crate) had before the rename; GitHub redirects them. */
  formerNames: readonly string[];
  dependencies: readonly StackDependency[];
  features: Readonly<Record<string, readonly string[]>>;
  /** Binaries `cargo build --release` produces at head. */
  binaries: readonly string[];
  /** Crates from the registry after the rename (no components; see registry-crates.ts). */
  registry?: readonly RegistryDependency[];
  /** A Cargo.lock pinning the registry crates is committed after the rename. */
  lockfile?: true;
  /** The pre-rename crate; absent for the libraries born with blvm names. */
  beforeRename?: LegacyCrate;
}

/** A crate as it was before the rename: seed-era edges as direct path deps with `package =`. */
export interface LegacyCrate {
  /** The seed crate whose sources it carries (rust/<seed>/), or null for sources derived from head. */
  seedSources: string | null;
  dependencies: readonly { repository: string; optional?: boolean; defaultFeatures?: false }[];
  features: Readonly<Record<string, readonly string[]>>;
  binaries: readonly string[];
  /** Crates from the registry: those of the seed manifest, where the sources are the seed's. */
  registry?: readonly RegistryDependency[];
  lockfile?: true;
}


const range = '>=0.1, <1';
const exact = '0.1.0';

// Registry crates, in the shapes the real org uses crates.io: a range held back by a committed
// lock (leaf 0.2.0 is out, the lock keeps 0.1.3), a crate bringing another along, a feature
// enabling an optional dependency.
const leaf: RegistryDependency = { name: 'leaf', version: range };
const mid: RegistryDependency = { name: 'mid', version: '0.3' };
const fancy: RegistryDependency = { name: 'fancy', version: '1', features: ['color'] };

const seedNodeFeatures: Record<string, readonly string[]> = {
  default: ['consensus'],
  consensus: ['dep:bllvm-consensus'],
  ...Object.fromEntries(NODE_FEATURES.map((f) => [f, f === 'production' ? ['bllvm-protocol/production'] : []])),
};

const seedBinaryFeatures: Record<string, readonly string[]> = {
  default: ['consensus'],
  ...Object.fromEntries(['consensus', ...NODE_FEATURES].map((f) => [f, [`bllvm-node/${f}`]])),
};

const SPECS: RealRepositorySpec[] = [
  {
    repository: 'blvm-primitives',
    component: 'blvm-primitives',
    kinds: ['library'],
    description: 'primitive types and the stack hash',
    formerNames: [],
    dependencies: [],
    features: {},
    binaries: [],
    registry: [leaf],
    lockfile: true,
  },
  {
    repository: 'blvm-spec-lock',
    component: 'blvm-spec-lock',
    kinds: ['library'],
    description: 'the locked consensus specification (library and a small binary)',
    formerNames: [],
    dependencies: [],
    features: {},
    binaries: ['blvm-spec-lock'],
  },
  {
    repository: 'blvm-secp256k1',
    component: 'blvm-secp256k1',
    kinds: ['library'],
    description: 'signatures',
    formerNames: [],
    dependencies: [],
    features: {},
    binaries: [],
  },
  {
    repository: 'blvm-muhash',
    component: 'blvm-muhash',
    kinds: ['library'],
    description: 'rolling multiset hash',
    formerNames: [],
    dependencies: [],
    features: {},
    binaries: [],
  },
  {
    repository: 'blvm-consensus',
    component: 'bllvm-consensus',
    kinds: ['library'],
    description: 'consensus rules',
    formerNames: ['bllvm-consensus'],
    dependencies: [
      { repository: 'blvm-primitives', version: exact },
      { repository: 'blvm-spec-lock', version: range },
      { repository: 'blvm-secp256k1', version: range, optional: true },
      { repository: 'blvm-muhash', version: exact, dev: true },
    ],
    // secp256k1 is optional and NOT on by default; verify stands in for the Kani proofs.
    features: { verify: [], production: [], secp256k1: ['dep:blvm-secp256k1'] },
    binaries: [],
    registry: [mid],
    // Before the rename it is the seed crate: leaf, and the lock that pins it.
    beforeRename: {
      seedSources: 'bllvm-consensus',
      dependencies: [],
      features: { verify: [], production: [] },
      binaries: [],
      registry: [leaf],
      lockfile: true,
    },
  },
  {
    repository: 'blvm-protocol',
    component: 'bllvm-protocol',
    kinds: ['library'],
    description: 'networks, headers, block validation',
    formerNames: ['bllvm-protocol'],
    dependencies: [
      { repository: 'blvm-consensus', version: range },
      { repository: 'blvm-secp256k1', version: exact },
      { repository: 'blvm-spec-lock', version: range, optional: true },
    ],
    features: { production: ['blvm-consensus/production'], 'spec-lock': ['dep:blvm-spec-lock'] },
    binaries: [],
    beforeRename: {
      seedSources: 'bllvm-protocol',
      dependencies: [{ repository: 'bllvm-consensus' }],
      features: { production: ['bllvm-consensus/production'] },
      binaries: [],
      registry: [mid],
    },
  },
  {
    repository: 'blvm-node',
    component: 'bllvm-node',
    kinds: ['library'],
    description: 'header chain node',
    formerNames: ['bllvm-node'],
    dependencies: [
      { repository: 'blvm-protocol', version: range },
      { repository: 'blvm-muhash', version: exact },
      { repository: 'blvm-secp256k1', version: range },
      { repository: 'blvm-consensus', version: range, optional: true },
      { repository: 'blvm-spec-lock', version: range, optional: true },
    ],
    // The direct consensus edge is optional but on by default; spec-lock is optional and off.
    features: {
      default: ['consensus'],
      consensus: ['dep:blvm-consensus'],
      'spec-lock': ['dep:blvm-spec-lock'],
      sysinfo: [],
      redb: [],
      rocksdb: [],
      sled: [],
      heed3: [],
      production: ['blvm-protocol/production'],
      governance: [],
      zmq: [],
      iroh: [],
    },
    binaries: [],
    beforeRename: {
      seedSources: 'bllvm-node',
      dependencies: [{ repository: 'bllvm-protocol' }, { repository: 'bllvm-consensus', optional: true }],
      features: seedNodeFeatures,
      binaries: [],
    },
  },
  {
    repository: 'blvm',
    component: 'bllvm',
    kinds: ['binary'],
    description: 'the node binary',
    formerNames: ['bllvm'],
    dependencies: [
      { repository: 'blvm-node', version: range, defaultFeatures: false },
      { repository: 'blvm-sdk', version: range, optional: true },
    ],
    // Forwarding features: the binary's defaults switch on features of blvm-node.
    features: {
      default: ['blvm-node/sysinfo', 'blvm-node/redb'],
      production: ['blvm-node/production'],
      rocksdb: ['blvm-node/rocksdb'],
      sled: ['blvm-node/sled'],
      redb: ['blvm-node/redb'],
      heed3: ['blvm-node/heed3'],
      governance: ['blvm-node/governance'],
      sdk: ['dep:blvm-sdk'],
    },
    binaries: ['blvm'],
    beforeRename: {
      seedSources: 'bllvm',
      dependencies: [{ repository: 'bllvm-node', defaultFeatures: false }],
      features: seedBinaryFeatures,
      binaries: ['bllvm'],
    },
  },
  {
    repository: 'blvm-sdk',
    component: 'bllvm-sdk',
    kinds: ['binary'],
    description: 'keys, signatures, release signing (library and CLI binaries)',
    formerNames: ['bllvm-sdk'],
    dependencies: [{ repository: 'blvm-node', version: range }],
    features: {},
    binaries: ['blvm-keygen', 'blvm-sign', 'blvm-verify'],
    beforeRename: {
      seedSources: 'bllvm-sdk',
      dependencies: [{ repository: 'bllvm-node' }],
      features: {},
      binaries: [
        'bllvm-keygen', 'bllvm-sign', 'bllvm-verify', 'bllvm-compose',
        'bllvm-sign-binary', 'bllvm-verify-binary', 'bllvm-aggregate-signatures',
      ],
    },
  },
  {
    repository: 'blvm-commons',
    component: 'governance-app',
    kinds: ['binary', 'image'],
    description: 'the governance app',
    formerNames: ['bllvm-commons'],
    dependencies: [
      { repository: 'blvm-protocol', version: exact },
      { repository: 'blvm-sdk', version: range },
    ],
    features: {},
    binaries: ['blvm-commons', 'key-manager', 'test-content-hash'],
    registry: [fancy],
    beforeRename: {
      seedSources: null,
      dependencies: [{ repository: 'bllvm-protocol' }, { repository: 'bllvm-sdk' }],
      features: {},
      binaries: ['bllvm-commons', 'key-manager', 'test-content-hash'],
      registry: [fancy],
    },
  },
];

/** The ten repositories in topological order: every repository after everything it depends on. */
export const REAL_REPOSITORIES: readonly RealRepositorySpec[] = Object.freeze(SPECS);

export type RealRepository =
  | 'blvm-primitives'
  | 'blvm-spec-lock'
  | 'blvm-secp256k1'
  | 'blvm-muhash'
  | 'blvm-consensus'
  | 'blvm-protocol'
  | 'blvm-node'
  | 'blvm'
  | 'blvm-sdk'
  | 'blvm-commons';

export const REAL_REPOSITORY_NAMES: readonly RealRepository[] = Object.freeze(
  REAL_REPOSITORIES.map((r) => r.repository as RealRepository),
);

/** The repository whose crate moved from a subfolder to the root (REAL-STACK §4). */
export const COMMONS = 'blvm-commons';

/** Where the crate sits inside the repository at each mark ('.' = root). */
export function crateDirAt(repository: string, mark: RealMark): string {
  if (repository !== COMMONS) return '.';
  if (mark === 'beforeRename') return 'bllvm-commons';
  if (mark === 'afterRename') return 'blvm-commons';
  return '.';
}

/** The marks a repository's history has, oldest first. */
export function marksOf(spec: Pick<RealRepositorySpec, 'repository' | 'beforeRename'>): readonly RealMark[] {
  if (!spec.beforeRename) return ['initial'];
  return spec.repository === COMMONS ? ['beforeRename', 'afterRename', 'root'] : ['beforeRename', 'afterRename'];
}

export function realSpec(repository: string): RealRepositorySpec | undefined {
  return REAL_REPOSITORIES.find((r) => r.repository === repository);
}

/** The feature that enables an optional stack dependency: its name without the `blvm-` prefix. */
export function optionalFeature(repository: string): string {
  return repository.replace(/^blvm-/, '');
}
