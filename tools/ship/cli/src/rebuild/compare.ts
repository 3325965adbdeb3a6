import { createHash } from 'node:crypto';
import { isAttestationFile } from '@bllvm/attest';
import { RELEASE_MANIFEST, RELEASE_NOTES, SHA256SUMS, parseSha256Sums } from '@bllvm/release';
import { firstImageDifference } from './image-difference';
import { firstJsonDifference, parseJson } from './json-difference';
import { archiveMembers, firstMemberDifference } from './tar-members';

export type AssetStatus = 'equal' | 'differs' | 'missing' | 'extra';

export interface AssetComparison {
  name: string;
  status: AssetStatus;
  /** Whether the verdict depends on it: the notes and the attestations are compared but not counted (see NOT_COUNTED). */
  counted: boolean;
  published?: string;
  rebuilt?: string;
  /** For an archive: the first member that differs; for the manifest: the first field; for SHA256SUMS: the first line. */
  firstDifference?: string;
  note?: string;
}

export interface RebuildComparison {
  allEqual: boolean;
  assets: AssetComparison[];
}

/** Why an asset is compared but left out of the verdict. */
export const NOT_COUNTED = {
  notes: 'prose from the release history as the rebuilding checkout has it (last-release), not a build output; its published bytes are still checked against the published SHA256SUMS',
  attestation: 'vouches for the release (a signature, the provenance, an SBOM): not a build output and not in SHA256SUMS; `npm run cli -- verify` checks it',
} as const;

export interface CompareInput {
  /** Asset name → bytes, as downloaded from the release. */
  published: ReadonlyMap<string, Buffer>;
  /** File name → bytes, as the rebuild staged them. */
  rebuilt: ReadonlyMap<string, Buffer>;
}

/**
 * Compare a release with its rebuild, asset by asset. An asset is equal when its bytes are (the
 * image archives too: canonical, dated by the pins); SHA256SUMS is also equal when it differs only
 * in the line of the notes, which are not counted. Every published asset must also match the
 * published SHA256SUMS, so a replaced asset is caught even where it is not counted. Pure.
 */
export function compareRelease(input: CompareInput): RebuildComparison {
  const { published, rebuilt } = input;
  const sha = (b: Buffer | undefined) => (b ? createHash('sha256').update(b).digest('hex') : undefined);
  const notCounted = (name: string) => (name === RELEASE_NOTES ? NOT_COUNTED.notes : undefined);
  const publishedSums = new Map(safeSums(published.get(SHA256SUMS)).map((e) => [e.name, e.sha256]));
  const names = [...new Set([...published.keys(), ...rebuilt.keys()])].sort();
  const assets: AssetComparison[] = names.map((name) => {
    const [p, r] = [published.get(name), rebuilt.get(name)];
    // Signatures, provenance and SBOMs attest the build; a rebuild compares what was built.
    if (isAttestationFile(name)) return { name, counted: false, published: sha(p), rebuilt: sha(r), note: NOT_COUNTED.attestation, status: !p ? 'extra' : !r ? 'missing' : p.equals(r) ? 'equal' : 'differs' };
    const excluded = notCounted(name);
    const base = { name, counted: !excluded, published: sha(p), rebuilt: sha(r), ...(excluded ? { note: excluded } : {}) };
    if (!p) return { ...base, status: 'extra', counted: true, firstDifference: 'staged by the rebuild, not in the release' };
    const listed = publishedSums.get(name);
    // The release must agree with itself before it can agree with a rebuild.
    if (name !== SHA256SUMS && listed !== base.published) {
      const inconsistent = listed ? 'the published bytes do not match the published SHA256SUMS' : 'not listed in the published SHA256SUMS';
      const inside = r && !p.equals(r) ? archiveDifference(name, p, r) : undefined;
      return { ...base, status: 'differs', counted: true, firstDifference: inside ? `${inside}; ${inconsistent}` : inconsistent };
    }
    if (!r) return { ...base, status: 'missing', firstDifference: 'in the release, not staged by the rebuild' };
    if (p.equals(r)) return { ...base, status: 'equal' };
    if (name === RELEASE_MANIFEST) return manifestComparison(base, p, r);
    if (name === SHA256SUMS) return sumsComparison(base, p, r, (n) => !!notCounted(n));
    return { ...base, status: 'differs', firstDifference: archiveDifference(name, p, r) };
  });
  return { allEqual: assets.every((a) => !a.counted || a.status === 'equal'), assets };
}

function archiveDifference(name: string, p: Buffer, r: Buffer): string | undefined {
  try {
    const image = name.endsWith('.tar') ? firstImageDifference(p, r) : undefined;
    if (image) return image;
    const [pm, rm] = [archiveMembers(name, p), archiveMembers(name, r)];
    if (!pm || !rm) return undefined;
    return firstMemberDifference(pm, rm) ?? 'same members; the compressed bytes differ';
  } catch (e) {
    return `cannot read as an archive: ${(e as Error).message}`;
  }
}

function manifestComparison(base: Omit<AssetComparison, 'status'>, p: Buffer, r: Buffer): AssetComparison {
  return { ...base, status: 'differs', firstDifference: firstJsonDifference(parseJson(p), parseJson(r), '') ?? 'same JSON, other bytes' };
}

function sumsComparison(base: Omit<AssetComparison, 'status'>, p: Buffer, r: Buffer, ignored: (name: string) => boolean): AssetComparison {
  const [pl, rl] = [safeSums(p).filter((e) => !ignored(e.name)), safeSums(r).filter((e) => !ignored(e.name))];
  for (let i = 0; i < Math.max(pl.length, rl.length); i++) {
    const [a, b] = [pl[i], rl[i]];
    if (a?.name !== b?.name || a?.sha256 !== b?.sha256) return { ...base, status: 'differs', firstDifference: `line for ${a?.name ?? b?.name}` };
  }
  return { ...base, status: 'equal', note: 'equal apart from the lines of assets not counted' };
}

function safeSums(b: Buffer | undefined) {
  if (!b) return [];
  try {
    return parseSha256Sums(b.toString('utf8'));
  } catch {
    return [];
  }
}
