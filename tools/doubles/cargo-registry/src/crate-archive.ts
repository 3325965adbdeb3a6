/**
 * `.crate` files: gzip'd tar of `name-version/…`, in the shape `cargo package` writes (GNU tar
 * headers, mode 644, owner 0, cargo's fixed mtime, a gzip header naming the file). Pure.
 *
 * The deflate stream is written here with stored (uncompressed) blocks rather than by zlib, so
 * the bytes, and the checksums that lockfiles record, depend on nothing but this file: a newer
 * Node with a different zlib cannot change a seeded crate's checksum. Seed crates are a few KiB.
 */
import { createHash } from 'node:crypto';
import { crc32, gunzipSync } from 'node:zlib';
import { readTar } from '@bllvm/release';
import { RegistryError } from './errors';

/** The mtime cargo gives every packaged file (2006-07-24), so packaging is reproducible. */
export const CARGO_MTIME = 1153704088;

export interface CrateFile {
  /** Relative to the package root, e.g. `src/lib.rs`. */
  path: string;
  data: Buffer;
}

const BLOCK = 512;

function octal(header: Buffer, value: number, offset: number, width: number): void {
  header.write(value.toString(8).padStart(width - 1, '0') + '\0', offset, width, 'ascii');
}

function gnuHeader(path: string, size: number, type: '0' | 'L'): Buffer {
  const header = Buffer.alloc(BLOCK, 0);
  header.write(path, 0, 100, 'utf8');
  octal(header, 0o644, 100, 8);
  octal(header, size, 124, 12);
  octal(header, type === '0' ? CARGO_MTIME : 0, 136, 12);
  header.write(type, 156, 1, 'ascii');
  header.write('ustar  \0', 257, 8, 'ascii');
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  octal(header, sum, 148, 8);
  return header;
}

const padded = (data: Buffer) => Buffer.concat([data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK, 0)]);

/** An uncompressed tar of the files under `root/`, sorted by path; GNU long names past 100 bytes. */
export function crateTar(root: string, files: readonly CrateFile[]): Buffer {
  const parts: Buffer[] = [];
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of sorted) {
    if (!/^[\x21-\x7e]+$/.test(file.path) || file.path.startsWith('/') || file.path.split('/').some((p) => p === '..' || p === '.' || p === '')) {
      throw new Error(`crate file path ${JSON.stringify(file.path)} is not a relative printable-ASCII path`);
    }
    const path = `${root}/${file.path}`;
    if (Buffer.byteLength(path) > 100) {
      const name = Buffer.from(`${path}\0`);
      parts.push(gnuHeader('././@LongLink', name.length, 'L'), padded(name));
    }
    parts.push(gnuHeader(path, file.data.length, '0'), padded(file.data));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return Buffer.concat(parts);
}

/** A gzip member with stored deflate blocks: no compression, so no dependence on a zlib build. */
export function storedGzip(data: Buffer, fileName: string): Buffer {
  const name = Buffer.from(`${fileName}\0`, 'latin1');
  // ID1 ID2, CM=deflate, FLG=FNAME, MTIME=0, XFL=0, OS=255 (unknown), as flate2 (cargo) writes it.
  const header = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 0xff]), name]);
  const blocks: Buffer[] = [];
  const MAX = 0xffff;
  for (let at = 0; at === 0 || at < data.length; at += MAX) {
    const chunk = data.subarray(at, at + MAX);
    const head = Buffer.alloc(5);
    head[0] = at + MAX >= data.length ? 1 : 0; // BFINAL on the last block, BTYPE=00 (stored)
    head.writeUInt16LE(chunk.length, 1);
    head.writeUInt16LE(~chunk.length & 0xffff, 3);
    blocks.push(head, chunk);
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data) >>> 0, 0);
  trailer.writeUInt32LE(data.length % 2 ** 32, 4);
  return Buffer.concat([header, ...blocks, trailer]);
}

/** The .crate for a package: the same files always give the same bytes. */
export function buildCrate(name: string, version: string, files: readonly CrateFile[]): Buffer {
  return storedGzip(crateTar(`${name}-${version}`, files), `${name}-${version}.crate`);
}

/** Lowercase hex sha256: the index's `cksum`, and what cargo checks a download against. */
export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Largest unpacked size accepted by checkCrateArchive (crates.io's default is 512 MiB). */
export const DEFAULT_MAX_UNPACKED = 64 * 1024 * 1024;

/**
 * What crates.io checks of an uploaded .crate before accepting it: it is a gzip'd tar within the
 * unpack limit, every member lies under `name-version/`, and the package's Cargo.toml is there.
 * Returns the member paths. Throws RegistryError(400) saying what is wrong.
 */
export function checkCrateArchive(bytes: Buffer, name: string, version: string, maxUnpacked = DEFAULT_MAX_UNPACKED): string[] {
  const bad = (detail: string) => new RegistryError(400, `invalid .crate for ${name}@${version}: ${detail}`);
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: maxUnpacked });
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw bad(`it unpacks to more than ${maxUnpacked} bytes`);
    throw bad(`it is not gzip data (${(error as Error).message})`);
  }
  let paths: string[];
  try {
    paths = readTar(tar).map((m) => m.path);
  } catch (error) {
    throw bad(`it is not a tar archive (${(error as Error).message})`);
  }
  const root = `${name}-${version}/`;
  const outside = paths.find((p) => !p.startsWith(root) || p.split('/').includes('..'));
  if (outside !== undefined) throw bad(`member ${JSON.stringify(outside)} is outside ${root}`);
  if (!paths.includes(`${root}Cargo.toml`)) throw bad(`it has no ${root}Cargo.toml`);
  return paths;
}
