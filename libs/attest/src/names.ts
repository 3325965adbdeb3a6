/**
 * The files that vouch for a release, beside the files SHA256SUMS lists. They are kept out of
 * SHA256SUMS on purpose: a signature cannot be inside what it signs, and SHA256SUMS stays the
 * same bytes for the same build outputs whoever (and whichever key) attests them, so two builders'
 * SHA256SUMS can be compared and co-signed. The provenance covers the SBOMs as subjects instead.
 */
export const SHA256SUMS_FILE = 'SHA256SUMS';
/** The release key's detached, ASCII-armored OpenPGP signature over SHA256SUMS (`gpg --verify`). */
export const RELEASE_SIGNATURE = 'SHA256SUMS.asc';
/** One DSSE envelope per line holding the in-toto Statement with the SLSA provenance predicate. */
export const PROVENANCE_FILE = 'provenance.intoto.jsonl';
/** Where other builders' signatures of SHA256SUMS are kept in this repository, per tag. */
export const BUILDER_SIGNATURES_DIR = 'attestations';

const BUILDER = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** `SHA256SUMS.<builder>.asc`: another builder's signature of the same SHA256SUMS. */
export function builderSignatureName(builder: string): string {
  if (!BUILDER.test(builder)) throw new Error(`builder name ${JSON.stringify(builder.slice(0, 60))} must be lowercase letters, digits and '-' (at most 40)`);
  return `SHA256SUMS.${builder}.asc`;
}

/** What every SBOM's file name ends with (CycloneDX JSON): the one place the format's suffix is spelled. */
export const SBOM_SUFFIX = '.cdx.json';

export function sbomName(component: string): string {
  return `${component}${SBOM_SUFFIX}`;
}

export function isSbomFile(name: string): boolean {
  return name.endsWith(SBOM_SUFFIX);
}

export function isSignatureFile(name: string): boolean {
  return name === RELEASE_SIGNATURE || /^SHA256SUMS\.[a-z0-9][a-z0-9-]{0,39}\.asc$/.test(name);
}

/** Files that attest the release and so are not listed in SHA256SUMS. */
export function isAttestationFile(name: string): boolean {
  return isSignatureFile(name) || name === PROVENANCE_FILE || isSbomFile(name);
}
