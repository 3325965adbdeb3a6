import * as CDX from '@cyclonedx/cyclonedx-library';
import { type LockedPackage, lockedTree, reachablePackages } from './cargo-lock';

export interface SbomInput {
  component: string;
  /** The crate the component builds, as named in Cargo.lock. */
  crate: string;
  version: string;
  repository: string;
  commit: string;
  /** The files shipped for it (archive, image archive), with their digests. */
  files: readonly { name: string; sha256: string }[];
  lockText: string;
}

function purl(p: LockedPackage): string {
  return `pkg:cargo/${encodeURIComponent(p.name)}@${encodeURIComponent(p.version)}`;
}

/** A component's own packages and those of the stack are path packages: named by their source. */
function ref(p: LockedPackage): string {
  return p.source ? purl(p) : `local:${p.name}@${p.version}`;
}

/**
 * The CycloneDX 1.6 SBOM of one shipped component: the crate at its commit as the subject and
 * every package Cargo.lock resolves for it, with registry checksums and the dependency graph.
 * Built with the CycloneDX library; no serial number or timestamp, so the same lock gives the
 * same bytes. Pure.
 */
export function buildSbom(input: SbomInput): string {
  const root = lockedTree(input.lockText, input.crate);
  const bom = new CDX.Models.Bom();
  const main = new CDX.Models.Component(CDX.Enums.ComponentType.Application, input.component, {
    version: input.version,
    bomRef: ref(root),
    purl: `pkg:github/${input.repository.toLowerCase()}@${input.commit}`,
  });
  for (const f of input.files) main.properties.add(new CDX.Models.Property(`bllvm:file:${f.name}`, `sha256:${f.sha256}`));
  main.externalReferences.add(new CDX.Models.ExternalReference(`https://github.com/${input.repository}/tree/${input.commit}`, CDX.Enums.ExternalReferenceType.VCS));
  bom.metadata.component = main;
  const made = new Map<LockedPackage, CDX.Models.Component>([[root, main]]);
  for (const p of reachablePackages(root)) {
    const c = new CDX.Models.Component(CDX.Enums.ComponentType.Library, p.name, { version: p.version, bomRef: ref(p), purl: p.source ? purl(p) : undefined });
    if (p.checksum) c.hashes.set(CDX.Enums.HashAlgorithm['SHA-256'], p.checksum);
    if (p.source) c.properties.add(new CDX.Models.Property('cdx:cargo:source', p.source));
    bom.components.add(c);
    made.set(p, c);
  }
  for (const [p, c] of made) for (const d of p.dependencies) c.dependencies.add(made.get(d)!.bomRef);
  const serializer = new CDX.Serialize.JsonSerializer(new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6));
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}
