import type { KeyObject } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readEd25519PublicKey } from './dsse';
import { type PublicKeyInfo, readPublicKeys } from './openpgp';

/** The keys an operator trusts: OpenPGP public keys (`*.asc`) and ed25519 provenance keys (`*.pem`). */
export interface TrustedKeys {
  openpgp: PublicKeyInfo[];
  provenance: { source: string; key: KeyObject }[];
  /** Files in the folder that could not be read as a key: named, never silently skipped. */
  problems: string[];
}

export async function readTrustedKeys(dir: string): Promise<TrustedKeys> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (e) {
    throw new Error(`cannot read the keys folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const out: TrustedKeys = { openpgp: [], provenance: [], problems: [] };
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => undefined);
    if (text === undefined) continue; // a sub-folder
    try {
      if (name.endsWith('.asc')) out.openpgp.push(...(await readPublicKeys(text, name)));
      else if (name.endsWith('.pem') || name.endsWith('.pub')) out.provenance.push({ source: name, key: readEd25519PublicKey(text) });
    } catch (e) {
      out.problems.push(`${name}: not a public key (${(e as Error).message.slice(0, 120)})`);
    }
  }
  out.openpgp = await mergeCopies(out.openpgp);
  return out;
}

/**
 * One key found in several files (as first obtained, and again with its revocation or a new
 * expiry) is one key, merged as openpgp.js merges updates: otherwise whichever copy came first
 * would be checked, and a revocation in the other would go unseen.
 */
async function mergeCopies(keys: PublicKeyInfo[]): Promise<PublicKeyInfo[]> {
  const byFingerprint = new Map<string, PublicKeyInfo>();
  for (const k of keys) {
    const seen = byFingerprint.get(k.fingerprint);
    if (!seen) {
      byFingerprint.set(k.fingerprint, k);
      continue;
    }
    const key = await seen.key.update(k.key);
    byFingerprint.set(k.fingerprint, { source: `${seen.source}, ${k.source}`, fingerprint: k.fingerprint, userIds: key.getUserIDs(), key });
  }
  return [...byFingerprint.values()];
}
