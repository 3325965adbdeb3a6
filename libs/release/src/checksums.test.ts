import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertPlainFileName, formatSha256Sums, parseSha256Sums, sha256File } from './checksums';
import { sha256, tempDir } from './testing';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('formatSha256Sums', () => {
  it('writes "<hex>  <name>" lines sorted by code unit, with a final newline', () => {
    const text = formatSha256Sums([
      { name: 'bllvm.tar.gz', sha256: A },
      { name: 'SHA-file', sha256: B },
      { name: 'a.txt', sha256: A },
    ]);
    // Uppercase sorts before lowercase in code-unit order, whatever the locale.
    expect(text).toBe(`${B}  SHA-file\n${A}  a.txt\n${A}  bllvm.tar.gz\n`);
  });

  it('writes nothing for no entries', () => {
    expect(formatSha256Sums([])).toBe('');
  });

  it('rejects duplicates, bad digests and names sha256sum would escape or misread', () => {
    expect(() => formatSha256Sums([{ name: 'x', sha256: A }, { name: 'x', sha256: B }])).toThrow(/twice/);
    expect(() => formatSha256Sums([{ name: 'x', sha256: A.toUpperCase() }])).toThrow(/64 lowercase hex/);
    for (const name of ['a\nb', 'a/b', '../x', 'a b', 'back\\slash', '', '-x']) {
      expect(() => formatSha256Sums([{ name, sha256: A }])).toThrow(/plain file name/);
    }
  });
});

describe('parseSha256Sums', () => {
  it('reads what formatSha256Sums writes, and binary-mode lines', () => {
    const entries = [
      { name: 'a', sha256: A },
      { name: 'b', sha256: B },
    ];
    expect(parseSha256Sums(formatSha256Sums(entries))).toEqual(entries);
    expect(parseSha256Sums(`${A} *bin\n`)).toEqual([{ name: 'bin', sha256: A }]);
  });

  it('rejects malformed lines with their number', () => {
    expect(() => parseSha256Sums(`${A}  a\nnot a line\n`)).toThrow(/line 2/);
    expect(() => parseSha256Sums(`${A.slice(1)}  a\n`)).toThrow(/line 1/);
  });
});

describe('sha256File', () => {
  it('hashes a real file by streaming it', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const data = Buffer.alloc(3 * 1024 * 1024 + 17, 7); // several stream chunks
      await writeFile(join(dir, 'f'), data);
      expect(await sha256File(join(dir, 'f'))).toEqual({ size: data.length, sha256: sha256(data) });
      await writeFile(join(dir, 'empty'), '');
      expect(await sha256File(join(dir, 'empty'))).toEqual({ size: 0, sha256: sha256('') });
    } finally {
      await cleanup();
    }
  });

  it('rejects a missing file', async () => {
    await expect(sha256File('/nonexistent/bllvm-release-test')).rejects.toThrow(/ENOENT/);
  });
});

describe('assertPlainFileName', () => {
  it('accepts artifact-like names', () => {
    for (const name of ['bllvm', 'libbllvm_consensus.rlib', 'x-1.2.3+b.tar.gz']) expect(() => assertPlainFileName(name, 't')).not.toThrow();
  });
  it('rejects path-like names', () => {
    for (const name of ['.', '..', 'a/b', '/etc/passwd', 'a\u0000b', 'é', 42]) expect(() => assertPlainFileName(name, 't')).toThrow(/t:/);
  });
});
