import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SBOM_SOURCE, parseSbomSource, readSbomMaterial, serializeSbomSource } from './sbom-source';

describe('sbom source', () => {
  it('round-trips, and names the file and the field at fault', () => {
    const s = { crate: 'bllvm-node', commit: 'a'.repeat(40) };
    expect(parseSbomSource(JSON.parse(serializeSbomSource(s)), 'f')).toEqual(s);
    expect(() => parseSbomSource({ ...s, crate: '../x' }, 'f')).toThrow(/^f: crate must be a crate name/);
    expect(() => parseSbomSource({ ...s, commit: 'abc' }, 'f')).toThrow(/^f: commit must be 40 lowercase hex/);
  });

  it('is read with the lock beside it, or not at all when the build kept none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bllvm-sbom-source-'));
    try {
      expect(await readSbomMaterial(dir)).toBeUndefined();
      await writeFile(join(dir, SBOM_SOURCE), serializeSbomSource({ crate: 'app', commit: 'b'.repeat(40) }));
      expect(await readSbomMaterial(dir)).toBeUndefined();
      await writeFile(join(dir, 'Cargo.lock'), '# lock\n');
      expect(await readSbomMaterial(dir)).toEqual({ crate: 'app', commit: 'b'.repeat(40), lockText: '# lock\n' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
