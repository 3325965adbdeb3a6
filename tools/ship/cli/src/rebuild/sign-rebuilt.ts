import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUILDER_SIGNATURES_DIR, builderSignatureName, signDetached } from '@bllvm/attest';
import { SHA256SUMS } from '@bllvm/release';
import { CommandError } from '../command';

/** Who signs a rebuild's SHA256SUMS: a builder's name and their armored OpenPGP secret key file. */
export interface BuilderKey {
  builder: string;
  keyFile: string;
}

export interface RebuildSignature {
  builder: string;
  /** The signature file written in the work dir. */
  file: string;
  /** Where it goes to count for the release: `attestations/<tag>/SHA256SUMS.<builder>.asc`. */
  attestation: string;
  /** Whether the rebuilt SHA256SUMS it signs is the published one (only then does it count in `verify`). */
  matchesPublished: boolean;
}

/**
 * The builder's detached signature of the SHA256SUMS their rebuild staged, as Guix builders sign
 * what they built: dated by the release (the manifest's createdAt), so signing again gives the
 * same bytes. Signed whatever the verdict; it vouches for the published release only when the two
 * SHA256SUMS are the same bytes, which `verify` then checks.
 */
export async function signRebuilt(o: { key: BuilderKey; staged: string; workDir: string; tag: string; createdAt: string; published: Buffer | undefined }): Promise<RebuildSignature> {
  const name = builderSignatureName(o.key.builder);
  const armored = await readFile(o.key.keyFile, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new CommandError(`--builder-key ${o.key.keyFile}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  const sums = await readFile(join(o.staged, SHA256SUMS));
  let signature: string;
  try {
    signature = await signDetached(sums, armored, { date: new Date(o.createdAt), passphrase: process.env.BLLVM_BUILDER_KEY_PASSPHRASE });
  } catch (e) {
    throw new CommandError(`--builder-key ${o.key.keyFile}: ${(e as Error).message.replace('the release signing key', 'the builder key')}`);
  }
  const file = join(o.workDir, name);
  await writeFile(file, signature);
  return { builder: o.key.builder, file, attestation: `${BUILDER_SIGNATURES_DIR}/${o.tag}/${name}`, matchesPublished: !!o.published && o.published.equals(sums) };
}
