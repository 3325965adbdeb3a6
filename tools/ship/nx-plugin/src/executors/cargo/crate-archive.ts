import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { parse as parseToml } from 'smol-toml';

/** A `.crate` read as data: its bytes' digest and the manifest cargo packaged in it. */
export interface CrateArchive {
  name: string;
  version: string;
  size: number;
  sha256: string;
  /** The normalized Cargo.toml inside it, parsed. */
  manifest: Record<string, unknown>;
}

/** Larger than any crate a registry takes (crates.io: 10 MiB); a bigger file is refused unread. */
export const MAX_CRATE_BYTES = 64 * 1024 * 1024;
/** What its tar may unpack to while we look for the manifest. */
export const MAX_UNPACKED_BYTES = 512 * 1024 * 1024;

export class CrateArchiveError extends Error {}

/**
 * The `<name>-<version>/Cargo.toml` entry of an uncompressed crate tar, as text: the one regular
 * file directly below a single top folder with that name. GNU long names (`L`) and pax `path`
 * records are honoured; nothing is written anywhere. Pure.
 */
export function manifestEntry(tar: Buffer, where: string): { folder: string; text: string } {
  let longName: string | undefined;
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(header.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
    if (!Number.isSafeInteger(size) || size < 0) throw new CrateArchiveError(`${where}: a tar header at byte ${at} has no valid size`);
    const type = String.fromCharCode(header[156]!);
    const field = (from: number, to: number) => header.subarray(from, to).toString('utf8').replace(/\0.*$/s, '');
    const prefix = field(345, 500);
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = undefined;
    const body = tar.subarray(at + 512, at + 512 + size);
    if (body.length !== size) throw new CrateArchiveError(`${where}: the tar ends inside ${name}`);
    if (type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
    else if (type === 'x') longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
    else if ((type === '0' || type === '\0') && /^[^/]+\/Cargo\.toml$/.test(name)) return { folder: name.slice(0, -'/Cargo.toml'.length), text: body.toString('utf8') };
    at += 512 + Math.ceil(size / 512) * 512;
  }
  throw new CrateArchiveError(`${where}: no <name>-<version>/Cargo.toml in the crate`);
}

/**
 * Read a `.crate` as data, bounded: opened without following a link, at most MAX_CRATE_BYTES,
 * unpacked in memory to at most MAX_UNPACKED_BYTES, its manifest parsed. The top folder must be
 * `<name>-<version>` of that manifest, or the crate is refused.
 */
export async function readCrateArchive(file: string): Promise<CrateArchive> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    throw new CrateArchiveError(`${file}: cannot open the crate: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let bytes: Buffer;
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new CrateArchiveError(`${file}: not a regular file`);
    if (st.size > MAX_CRATE_BYTES) throw new CrateArchiveError(`${file}: ${st.size} bytes, more than a crate may be (${MAX_CRATE_BYTES})`);
    bytes = await handle.readFile();
  } finally {
    await handle.close();
  }
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (e) {
    throw new CrateArchiveError(`${file}: not a gzip archive of at most ${MAX_UNPACKED_BYTES} bytes: ${(e as Error).message}`);
  }
  let manifest: Record<string, unknown>;
  const entry = manifestEntry(tar, file);
  try {
    manifest = parseToml(entry.text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof CrateArchiveError) throw e;
    throw new CrateArchiveError(`${file}: its Cargo.toml does not parse: ${(e as Error).message.split('\n')[0]}`);
  }
  const pkg = (manifest.package ?? {}) as { name?: unknown; version?: unknown };
  if (typeof pkg.name !== 'string' || typeof pkg.version !== 'string') throw new CrateArchiveError(`${file}: its Cargo.toml has no package name and version`);
  if (entry.folder !== `${pkg.name}-${pkg.version}`) throw new CrateArchiveError(`${file}: its files are under ${entry.folder}/, not ${pkg.name}-${pkg.version}/ as its Cargo.toml says`);
  return { name: pkg.name, version: pkg.version, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), manifest };
}
