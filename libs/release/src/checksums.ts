import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

export interface FileDigest {
  size: number;
  sha256: string;
}

export interface ChecksumEntry {
  name: string;
  sha256: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * `SHA256SUMS` in the format `sha256sum -c` reads: `<hex>  <name>`, one per line, sorted by name.
 * Names are compared by code unit, not locale, so every machine writes the same bytes.
 */
export function formatSha256Sums(entries: readonly ChecksumEntry[]): string {
  const seen = new Set<string>();
  for (const e of entries) {
    assertPlainFileName(e.name, 'SHA256SUMS entry');
    if (!HEX64.test(e.sha256)) throw new Error(`SHA256SUMS entry ${e.name}: sha256 must be 64 lowercase hex`);
    if (seen.has(e.name)) throw new Error(`SHA256SUMS entry ${e.name} appears twice`);
    seen.add(e.name);
  }
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sorted.map((e) => `${e.sha256}  ${e.name}\n`).join('');
}

/** The inverse, for checking what was published against what was staged. Strict: any odd line is an error. */
export function parseSha256Sums(text: string): ChecksumEntry[] {
  const out: ChecksumEntry[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m) throw new Error(`SHA256SUMS line ${i + 1} is not "<sha256>  <name>"`);
    out.push({ sha256: m[1]!, name: m[2]! });
  });
  return out;
}

/** Streams the file; artifacts and images are too large to read whole. */
export async function sha256File(path: string): Promise<FileDigest> {
  const handle = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of handle.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
    return { size, sha256: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}

/**
 * A name that is one path component and survives SHA256SUMS and shells unquoted. Record fields are
 * read from dist/ and later joined to paths, so `../x` or `a/b` must never get that far.
 */
export function assertPlainFileName(name: unknown, what: string): asserts name is string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9._+-]{1,200}$/.test(name) || name === '.' || name === '..' || name.startsWith('-')) {
    throw new Error(`${what}: ${JSON.stringify(name)} is not a plain file name ([A-Za-z0-9._+-], not starting with "-")`);
  }
}
