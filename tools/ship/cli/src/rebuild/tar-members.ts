import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';

/** One member of a tar archive, as far as comparing two archives needs it. */
export interface TarMember {
  path: string;
  /** The ustar type flag ('0' file, '5' directory, '2' symlink…). */
  type: string;
  mode: number;
  mtime: number;
  size: number;
  sha256: string;
}

const BLOCK = 512;

/**
 * The members of an uncompressed tar (ustar, with pax `path` and GNU long-name records, as
 * `docker save` writes them). Pure; throws on a truncated or malformed archive.
 */
export function tarMembers(tar: Buffer): TarMember[] {
  const members: TarMember[] = [];
  let longName: string | undefined;
  for (let at = 0; at + BLOCK <= tar.length; ) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const data = tar.subarray(at + BLOCK, at + BLOCK + size);
    if (data.length !== size) throw new Error(`tar truncated in the member at byte ${at}`);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x' || type === 'L') {
      // The next member's real name: a pax "path" record or a GNU long name.
      longName = type === 'L' ? data.toString('utf8').replace(/\0+$/, '') : /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))?.[1];
      continue;
    }
    if (type === 'g') continue;
    const prefix = text(header, 345, 155);
    const path = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    members.push({ path, type, mode: octal(header, 100, 8), mtime: octal(header, 136, 12), size, sha256: createHash('sha256').update(data).digest('hex') });
  }
  return members;
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
    for (const field of ['type', 'mode', 'mtime'] as const) if (p[field] !== r[field]) return `${p.path}: ${field} differs (${p[field]} published, ${r[field]} rebuilt)`;
  }
  const ours = new Set(published.map((m) => m.path));
  const extra = rebuilt.find((m) => !ours.has(m.path));
  if (extra) return `${extra.path}: only in the rebuilt archive`;
  if (published.map((m) => m.path).join('\n') !== rebuilt.map((m) => m.path).join('\n')) return 'same members in another order';
  return undefined;
}

function text(header: Buffer, offset: number, length: number): string {
  const field = header.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? length : end).toString('utf8');
}

function octal(header: Buffer, offset: number, length: number): number {
  const s = text(header, offset, length).trim();
  return s ? parseInt(s, 8) : 0;
}
