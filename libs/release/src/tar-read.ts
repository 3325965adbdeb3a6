/** One member of a tar archive, with its bytes. */
export interface TarRecord {
  path: string;
  /** The ustar type flag ('0' file, '5' directory, '2' symlink…). */
  type: string;
  mode: number;
  mtime: number;
  uid: number;
  gid: number;
  /** A link's target ('' for other members). */
  linkname: string;
  data: Buffer;
}

const BLOCK = 512;

/**
 * The members of an uncompressed tar (ustar, with pax `path`/`linkpath` and GNU long-name/long-link records, as
 * `docker save` writes them), their data as views into `tar`. Pure; throws on a truncated archive.
 */
export function readTar(tar: Buffer): TarRecord[] {
  const members: TarRecord[] = [];
  let longName: string | undefined;
  let longLink: string | undefined;
  for (let at = 0; at + BLOCK <= tar.length; ) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const data = tar.subarray(at + BLOCK, at + BLOCK + size);
    if (data.length !== size) throw new Error(`tar truncated in the member at byte ${at}`);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x' || type === 'L' || type === 'K') {
      // The next member's real name or link target: pax "path"/"linkpath" records, GNU long names.
      const body = data.toString('utf8');
      if (type === 'L') longName = body.replace(/\0+$/, '');
      else if (type === 'K') longLink = body.replace(/\0+$/, '');
      else {
        longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body)?.[1] ?? longName;
        longLink = /(?:^|\n)\d+ linkpath=([^\n]*)\n/.exec(body)?.[1] ?? longLink;
      }
      continue;
    }
    if (type === 'g') continue;
    const prefix = text(header, 345, 155);
    const path = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    const linkname = longLink ?? text(header, 157, 100);
    longName = longLink = undefined;
    members.push({ path, type, mode: octal(header, 100, 8), mtime: octal(header, 136, 12), uid: octal(header, 108, 8), gid: octal(header, 116, 8), linkname, data });
  }
  return members;
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
