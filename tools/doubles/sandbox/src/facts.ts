/**
 * Profile facts as data: what a caller needs to configure an orchestrator workspace for a sandbox
 * org (which project builds which repository, what it ships, where its crate is at each history
 * mark, what it used to be called, which features it has), without reading the repositories.
 */
import { parse } from 'smol-toml';
import { SANDBOX_BINARIES, SANDBOX_COMPONENTS, isSandboxComponent, type SandboxComponent } from './components';
import {
  REAL_REPOSITORIES,
  crateDirAt,
  marksOf,
  type RealMark,
  type RepositoryKind,
} from './real-profile';
import { rustFile } from './rust-files';

export type SandboxProfileName = 'seed' | 'real';
export const SANDBOX_PROFILES: readonly SandboxProfileName[] = ['seed', 'real'];

export interface RepositoryFacts {
  /** Repository name under BTCDecoded/ (the checkout folder's name). */
  repository: string;
  /** The workspace project meant to build it. */
  component: string;
  kinds: readonly RepositoryKind[];
  /** Binaries of `cargo build --release` at head. */
  binaries: readonly string[];
  /** Crate folder inside the repository ('.' = root) at each history mark of the repository. */
  crateDirs: Readonly<Partial<Record<RealMark, string>>>;
  /** Crate (package) name at each history mark. */
  crateNames: Readonly<Partial<Record<RealMark, string>>>;
  /** Earlier repository names, still reachable (GitHub-style redirects). */
  formerNames: readonly string[];
  /** The [features] table at head. */
  features: Readonly<Record<string, readonly string[]>>;
  /** Stack repositories the head manifest declares (normal, optional and dev); registry crates are no components. */
  dependsOn: readonly string[];
}

const SEED_KINDS: Record<SandboxComponent, readonly RepositoryKind[]> = {
  'bllvm-consensus': ['library'],
  'bllvm-protocol': ['library'],
  'bllvm-node': ['library'],
  bllvm: ['binary'],
  'bllvm-sdk': ['binary'],
  'governance-app': ['binary', 'image'],
};

type Table = Record<string, unknown>;

function seedFacts(c: SandboxComponent): RepositoryFacts {
  const manifest = parse(rustFile(`${c}/Cargo.toml`)) as Table;
  const deps = new Set<string>();
  // Only siblings: the registry crates (leaf, mid, fancy) are dependencies but not components.
  const collect = (t: unknown) => Object.keys((t ?? {}) as Table).filter(isSandboxComponent).forEach((d) => deps.add(d));
  collect(manifest['dependencies']);
  collect(manifest['dev-dependencies']);
  for (const t of Object.values((manifest['target'] ?? {}) as Record<string, Table>)) collect(t['dependencies']);
  return {
    repository: c,
    component: c,
    kinds: SEED_KINDS[c],
    binaries: SANDBOX_BINARIES[c],
    crateDirs: { initial: '.' },
    crateNames: { initial: c },
    formerNames: [],
    features: (manifest['features'] ?? {}) as Record<string, string[]>,
    dependsOn: [...deps],
  };
}

function realFacts(): RepositoryFacts[] {
  return REAL_REPOSITORIES.map((spec) => {
    const marks = marksOf(spec);
    return {
      repository: spec.repository,
      component: spec.component,
      kinds: spec.kinds,
      binaries: spec.binaries,
      crateDirs: Object.fromEntries(marks.map((m) => [m, crateDirAt(spec.repository, m)])),
      crateNames: Object.fromEntries(
        marks.map((m) => [m, m === 'beforeRename' ? spec.formerNames[0]! : spec.repository]),
      ),
      formerNames: spec.formerNames,
      features: spec.features,
      dependsOn: spec.dependencies.map((d) => d.repository),
    };
  });
}

/** Facts of every repository of a profile, in topological order. */
export function profileFacts(profile: SandboxProfileName): readonly RepositoryFacts[] {
  if (profile === 'seed') return SANDBOX_COMPONENTS.map(seedFacts);
  if (profile === 'real') return realFacts();
  throw new Error(`unknown sandbox profile ${JSON.stringify(profile)}; expected seed or real`);
}
