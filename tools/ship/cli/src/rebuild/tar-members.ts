import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { type TarRecord, readTar } from '@bllvm/release';

/** One member of a tar archive, as far as comparing two archives needs it: its header, and its data's size and digest. */
export type TarMember = Omit<TarRecord, 'data'> & { size: number; sha256: string };

/**
 * The members of an uncompressed tar (ustar, with pax `path` and GNU long-name records, as
 * `docker save` writes them). Pure; throws on a truncated or malformed archive.
 */
export function tarMembers(tar: Buffer): TarMember[] {
  return readTar(tar).map(({ data, ...m }) => ({ ...m, size: data.length, sha256: createHash('sha256').update(data).digest('hex') }));
}

/** The members of a release asset that is an archive (.tar.gz or .tar), or undefined for any other file. Pure. */
export function archiveMembers(name: string, bytes: Buffer): TarMember[] | undefined {
  if (name.endsWith('.tar.gz') || name.endsWith('.tgz')) return tarMembers(gunzipSync(bytes));
  if (name.endsWith('.tar')) return tarMembers(bytes);
  return undefined;
}

/**
 * The first member, in the published archive's order, whose content or metadata differs in the
 * rebuilt one (or that only one of them has), said in a few words. Undefined when every member
 * is the same (then the archives differ only in their compression or framing). Pure.
 */
export function firstMemberDifference(published: readonly TarMember[], rebuilt: readonly TarMember[]): string | undefined {
  const theirs = new Map(rebuilt.map((m) => [m.path, m]));
  for (const p of published) {
    const r = theirs.get(p.path);
    if (!r) return `${p.path}: not in the rebuilt archive`;
    if (p.sha256 !== r.sha256) return `${p.path}: content differs (${p.size} bytes published, ${r.size} rebuilt)`;
    for (const field of ['type', 'mode', 'mtime', 'uid', 'gid', 'linkname'] as const) if (p[field] !== r[field]) return `${p.path}: ${field} differs (${p[field]} published, ${r[field]} rebuilt)`;
  }
  const ours = new Set(published.map((m) => m.path));
  const extra = rebuilt.find((m) => !ours.has(m.path));
  if (extra) return `${extra.path}: only in the rebuilt archive`;
  if (published.map((m) => m.path).join('\n') !== rebuilt.map((m) => m.path).join('\n')) return 'same members in another order';
  return undefined;
}
