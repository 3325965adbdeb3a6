import { open, unlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

// A minimal ustar writer. Written here rather than shelling out to `tar` because reproducibility
// then depends on nothing but this file: no GNU-only flags (--sort, --mtime), no umask, no
// owner names, no pax atime headers, and it runs the same on a macOS laptop as on the runners.
// Every field that could vary (mtime, uid/gid, names, order) is fixed by the caller or here.

export type TarEntry =
  | { type: 'directory'; path: string; mode: number }
  | {
      type: 'file';
      path: string;
      mode: number;
      /** Declared up front because the header precedes the data; a stream of another length is an error. */
      size: number;
      content: () => AsyncIterable<Buffer>;
    };

const BLOCK = 512;
const MAX_SIZE = 8 ** 11 - 1; // what 11 octal digits hold (8 GiB - 1)

/** The 512-byte ustar header for one entry. Pure, so it can be checked field by field. */
export function tarHeader(entry: TarEntry): Buffer {
  const header = Buffer.alloc(BLOCK, 0);
  const path = entry.type === 'directory' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
  const { name, prefix } = splitPath(path);
  const size = entry.type === 'file' ? entry.size : 0;
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_SIZE) throw new Error(`tar: ${path}: size ${size} out of range`);
  if (!Number.isInteger(entry.mode) || entry.mode < 0 || entry.mode > 0o7777) throw new Error(`tar: ${path}: bad mode`);

  header.write(name, 0, 100, 'ascii');
  writeOctal(header, entry.mode, 100, 8);
  writeOctal(header, 0, 108, 8); // uid
  writeOctal(header, 0, 116, 8); // gid
  writeOctal(header, size, 124, 12);
  writeOctal(header, 0, 136, 12); // mtime: the epoch, so rebuilding never changes the bytes
  header.write(entry.type === 'directory' ? '5' : '0', 156, 1, 'ascii');
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  // uname/gname stay empty: numeric owner 0, like `tar --numeric-owner --owner=0 --group=0`.
  header.write(prefix, 345, 155, 'ascii');

  // The checksum is computed with its own field read as eight spaces.
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return header;
}

/** The uncompressed tar stream: headers, data padded to 512, two zero blocks. */
export async function* tarStream(entries: readonly TarEntry[]): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    yield tarHeader(entry);
    if (entry.type !== 'file') continue;
    let written = 0;
    for await (const chunk of entry.content()) {
      written += chunk.length;
      if (written > entry.size) throw new Error(`tar: ${entry.path} is longer than its declared ${entry.size} bytes`);
      yield chunk;
    }
    if (written !== entry.size) throw new Error(`tar: ${entry.path} is ${written} bytes, declared ${entry.size}`);
    const rest = written % BLOCK;
    if (rest !== 0) yield Buffer.alloc(BLOCK - rest, 0);
  }
  yield Buffer.alloc(BLOCK * 2, 0);
}

/** Deflate level of every archive; recorded in the release manifest with the zlib version. */
export const GZIP_LEVEL = 9;

/**
 * Writes `entries` as a .tar.gz. Node's gzip header is the fixed 10 bytes 1f 8b 08 00 00000000 00
 * 03: no name, mtime 0 (like `gzip -n`), OS byte 3 (Unix, zlib's value on every Unix-like build);
 * tar.test.ts checks them. So the output is byte-identical for identical input with the same zlib
 * deflate (the release manifest records `process.versions.zlib`).
 */
export async function writeTarGz(entries: readonly TarEntry[], dest: string): Promise<void> {
  // Opened here, not by the stream, so we know the file is ours before anything can fail.
  const handle = await open(dest, 'wx');
  try {
    await pipeline(Readable.from(tarStream(entries)), createGzip({ level: GZIP_LEVEL }), handle.createWriteStream());
  } catch (e) {
    // A truncated archive must not be mistaken for a finished one.
    await unlink(dest).catch(() => undefined);
    throw e;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function splitPath(path: string): { name: string; prefix: string } {
  if (!/^[\x21-\x7e]+$/.test(path) || path.startsWith('/') || path.split('/').some((p) => p === '..')) {
    throw new Error(`tar: ${JSON.stringify(path)} is not a relative printable-ASCII path`);
  }
  if (path.length <= 100) return { name: path, prefix: '' };
  // ustar keeps long paths as prefix + "/" + name, split at a slash.
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  for (let i = trimmed.lastIndexOf('/'); i > 0; i = trimmed.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (prefix.length <= 155 && name.length <= 100) return { name, prefix };
  }
  throw new Error(`tar: path too long for ustar: ${path}`);
}

function writeOctal(buf: Buffer, value: number, offset: number, width: number): void {
  buf.write(value.toString(8).padStart(width - 1, '0') + '\0', offset, width, 'ascii');
}
