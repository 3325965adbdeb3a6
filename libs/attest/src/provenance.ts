import { isCommitSha } from '@bllvm/manifest';

/** An in-toto ResourceDescriptor: a file (subject) or a source (dependency). */
export interface ResourceDescriptor {
  name?: string;
  uri?: string;
  digest: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface ProvenanceStatement {
  _type: 'https://in-toto.io/Statement/v1';
  subject: ResourceDescriptor[];
  predicateType: 'https://slsa.dev/provenance/v1';
  predicate: {
    buildDefinition: {
      buildType: string;
      externalParameters: { tag: string; orchestratorRepository: string };
      internalParameters: Record<string, never>;
      resolvedDependencies: ResourceDescriptor[];
    };
    runDetails: { builder: { id: string } };
  };
}

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';

export interface ProvenanceInput {
  tag: string;
  /** owner/name of this repository. */
  orchestratorRepository: string;
  orchestratorCommit: string;
  /** Every file of the release it vouches for, with its digest. */
  files: readonly { name: string; sha256: string }[];
  /** In graph order, as the release manifest records them. */
  components: readonly { component: string; repository: string; commit: string; toolchain: string }[];
  /**
   * The crates the release publishes to the cargo registry (`<name>-<version>.crate` and its
   * sha256): subjects too, though not files of the release, so a .crate downloaded from the
   * registry can be checked against the signed statement.
   */
  crates?: readonly { file: string; sha256: string }[];
}

/** The URI a repository's source is named by in the provenance: `git+https://github.com/<owner/name>`. */
export function sourceUri(repository: string): string {
  return `git+https://github.com/${repository}`;
}

/** The builder: the publish step of this repository, which stages and attests but never compiles. */
export function builderId(orchestratorRepository: string): string {
  return `https://github.com/${orchestratorRepository}/tools/ship/nx-plugin/publish`;
}

/** What the build type means is documented in docs/verification.md. */
export function buildType(orchestratorRepository: string): string {
  return `https://github.com/${orchestratorRepository}/blob/main/docs/verification.md#build-type-v1`;
}

/**
 * The SLSA v1 provenance of a release: every file and every published .crate as a subject, each component repository at its
 * commit, this repository at its commit and each toolchain as the resolved dependencies. No clock,
 * no run id: the same release gives the same statement. Pure.
 */
export function buildProvenance(input: ProvenanceInput): ProvenanceStatement {
  if (!isCommitSha(input.orchestratorCommit)) throw new Error(`orchestrator commit ${JSON.stringify(input.orchestratorCommit)} is not 40-hex`);
  const byName = (a: { name?: string }, b: { name?: string }) => ((a.name ?? '') < (b.name ?? '') ? -1 : (a.name ?? '') > (b.name ?? '') ? 1 : 0);
  const subject = [...input.files.map((f) => ({ name: f.name, sha256: f.sha256 })), ...(input.crates ?? []).map((c) => ({ name: c.file, sha256: c.sha256 }))]
    .map((f) => ({ name: f.name, digest: { sha256: f.sha256 } }))
    .sort(byName);
  const dependencies: ResourceDescriptor[] = [
    { name: input.orchestratorRepository, uri: sourceUri(input.orchestratorRepository), digest: { gitCommit: input.orchestratorCommit } },
  ];
  const toolchains = new Set<string>();
  for (const c of input.components) {
    if (!isCommitSha(c.commit)) throw new Error(`${c.component}: commit ${JSON.stringify(c.commit)} is not 40-hex`);
    dependencies.push({ name: c.component, uri: sourceUri(c.repository), digest: { gitCommit: c.commit } });
    toolchains.add(c.toolchain);
  }
  for (const t of toolchains) {
    // rustc -Vv names its commit-hash; that is the toolchain's digest.
    const hash = /^commit-hash: ([0-9a-f]{40})$/m.exec(t)?.[1];
    const release = /^release: (\S+)$/m.exec(t)?.[1] ?? t.split('\n')[0]!.trim();
    dependencies.push({ name: 'rustc', uri: `pkg:generic/rustc@${release}`, digest: hash ? { gitCommit: hash } : {}, annotations: { 'rustc -Vv': t.trim() } });
  }
  return {
    _type: STATEMENT_TYPE,
    subject,
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: buildType(input.orchestratorRepository),
        externalParameters: { tag: input.tag, orchestratorRepository: input.orchestratorRepository },
        internalParameters: {},
        resolvedDependencies: dependencies,
      },
      runDetails: { builder: { id: builderId(input.orchestratorRepository) } },
    },
  };
}
