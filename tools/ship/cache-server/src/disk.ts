import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, open, readFile, writeFile } from 'node:fs/promises';

/** Small file-system steps of the store. */

const VERIFY_CHUNK = 1 << 20;

/** sha256 of `size` bytes of an open file from `start`, read in 1 MB pieces (never the whole body in memory). */
export async function digestFrom(fh: FileHandle, start: number, size: number): Promise<string> {
  const sha = createHash('sha256');
  const buf = Buffer.alloc(Math.min(VERIFY_CHUNK, Math.max(size, 1)));
  let pos = start;
  let left = size;
  while (left > 0) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, left), pos);
    if (bytesRead === 0) break; // shorter than its size: the digest will not match
    sha.update(buf.subarray(0, bytesRead));
    pos += bytesRead;
    left -= bytesRead;
  }
  return sha.digest('hex');
}

/** The MAC key: read, or made (32 random bytes, owner-only) on first start. */
export async function loadKey(file: string): Promise<Buffer> {
  try {
    await writeFile(file, randomBytes(32), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const key = await readFile(file);
  if (key.length < 32) throw new Error(`${file}: a cache server key must hold at least 32 bytes (delete it to have a new one made; existing entries then become misses)`);
  return key;
}

/** fsync a directory so a published link survives a crash. */
export async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, constants.O_RDONLY);
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
