import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function describeFile(path: string): Promise<{ size: number; sha256: string }> {
  const [st, sha256] = await Promise.all([stat(path), sha256File(path)]);
  return { size: st.size, sha256 };
}

/** One line of a SHA256SUMS-style file, as `sha256sum` prints and `sha256sum -c` reads it. */
export function checksumLine(sha256: string, name: string): string {
  return `${sha256}  ${name}\n`;
}
