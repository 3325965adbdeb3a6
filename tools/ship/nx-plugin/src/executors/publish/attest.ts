import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BUILDER_SIGNATURES_DIR,
  IN_TOTO_PAYLOAD_TYPE,
  PROVENANCE_FILE,
  RELEASE_SIGNATURE,
  buildProvenance,
  buildSbom,
  isSbomFile,
  isSignatureFile,
  readEd25519PrivateKey,
  sbomName,
  signDetached,
  signEnvelope,
} from '@bllvm/attest';
import { type ReleasePlan, SHA256SUMS, type StagedFile, archiveName, imageArchiveName, sha256File } from '@bllvm/release';
import type { PublishRequest } from './request';

/**
 * Add what vouches for the staged release, beside it and outside SHA256SUMS: an SBOM per
 * component, other builders' signatures kept in this repository, the release key's signature of
 * SHA256SUMS and the signed provenance. Keys come from the configuration this step alone holds.
 */
export async function attestReleaseSet(req: PublishRequest, plan: ReleasePlan, staged: StagedFile[]): Promise<StagedFile[]> {
  const added: StagedFile[] = [];
  const write = async (name: string, content: string) => {
    const path = join(req.outDir, name);
    await writeFile(path, content, { flag: 'wx' });
    added.push({ name, path, ...(await sha256File(path)) });
  };

  // From the crate and Cargo.lock each build kept (the plan holds them): no source is read here.
  for (const c of plan.components) {
    const shipped = [archiveName(c.name, plan.tag), ...(c.image ? [imageArchiveName(c.name, plan.tag)] : [])];
    const files = staged.filter((f) => shipped.includes(f.name));
    const r = c.buildRecord;
    await write(sbomName(c.name), buildSbom({ component: c.name, crate: c.sbom.crate, version: r.version, repository: r.repository, commit: r.commit, files, lockText: c.sbom.lockText }));
  }

  const sums = await readFile(join(req.outDir, SHA256SUMS));
  for (const name of await builderSignatures(req.root, req.tag)) {
    await write(name, await readFile(join(req.root, BUILDER_SIGNATURES_DIR, req.tag, name), 'utf8'));
  }
  const { signingKey, signingKeyPassphrase, provenanceKey } = req.config.attest;
  if (signingKey) await write(RELEASE_SIGNATURE, await signDetached(new Uint8Array(sums), signingKey, { passphrase: signingKeyPassphrase, date: new Date(plan.createdAt) }));
  else req.log(`warning: ${RELEASE_SIGNATURE} not made: BLLVM_RELEASE_SIGNING_KEY is not set`);

  if (provenanceKey) {
    const subjects = [...staged, ...added.filter((f) => isSbomFile(f.name))];
    const statement = buildProvenance({
      tag: plan.tag,
      orchestratorRepository: `${req.owner}/${req.repo}`,
      orchestratorCommit: plan.orchestratorCommit,
      files: subjects,
      components: plan.components.map((x) => ({ component: x.name, repository: x.buildRecord.repository, commit: x.buildRecord.commit, toolchain: x.buildRecord.toolchain })),
      crates: plan.components.flatMap((x) => (x.crate ? [{ file: x.crate.record.file, sha256: x.crate.record.sha256 }] : [])),
    });
    const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), readEd25519PrivateKey(provenanceKey));
    await write(PROVENANCE_FILE, `${JSON.stringify(envelope)}\n`);
  } else req.log(`warning: ${PROVENANCE_FILE} not made: BLLVM_PROVENANCE_KEY is not set`);

  req.log(`attested: ${added.map((f) => f.name).join(', ')}`);
  return [...staged, ...added];
}

/** `attestations/<tag>/SHA256SUMS.<builder>.asc`: the one place other builders' signatures go. */
export async function builderSignatures(root: string, tag: string): Promise<string[]> {
  const names = await readdir(join(root, BUILDER_SIGNATURES_DIR, tag)).catch(() => [] as string[]);
  return names.filter((n) => isSignatureFile(n) && n !== RELEASE_SIGNATURE).sort();
}
