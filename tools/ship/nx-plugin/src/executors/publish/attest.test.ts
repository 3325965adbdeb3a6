import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builderSignatures } from './attest';

describe('builderSignatures', () => {
  it('attaches the other builders\' signatures kept under attestations/<tag>, never one named like the release key\'s', async () => {
    const root = await mkdtemp(join(tmpdir(), 'bllvm-attestations-'));
    try {
      expect(await builderSignatures(root, 'v1.0.0')).toEqual([]);
      const dir = join(root, 'attestations', 'v1.0.0');
      await mkdir(dir, { recursive: true });
      for (const n of ['SHA256SUMS.bob.asc', 'SHA256SUMS.alice.asc', 'SHA256SUMS.asc', 'SHA256SUMS.Eve.asc', 'notes.txt']) await writeFile(join(dir, n), 'x');
      expect(await builderSignatures(root, 'v1.0.0')).toEqual(['SHA256SUMS.alice.asc', 'SHA256SUMS.bob.asc']);
      expect(await builderSignatures(root, 'v2.0.0')).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
