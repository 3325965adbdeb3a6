import { createHash } from 'node:crypto';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrateArchiveError, manifestEntry, readCrateArchive } from './crate-archive';
import { crateOf, tarOf } from './crate-fixture';

const MANIFEST = '[package]\nname = "leaf"\nversion = "0.1.3"\n\n[dependencies.mid]\nversion = "0.3"\n';

describe('manifestEntry', () => {
  it('finds <name>-<version>/Cargo.toml, not the .orig beside it nor one deeper down', () => {
    const tar = tarOf({ 'leaf-0.1.3/sub/Cargo.toml': 'deeper', 'leaf-0.1.3/Cargo.toml.orig': 'orig', 'leaf-0.1.3/Cargo.toml': MANIFEST });
    expect(manifestEntry(tar, 'x.crate')).toEqual({ folder: 'leaf-0.1.3', text: MANIFEST });
  });

  it('reads a GNU long name for the entry after it', () => {
    const tar = tarOf({ '././@LongLink': { type: 'L', body: 'leaf-0.1.3/Cargo.toml\0' }, 'leaf-0.1.3/Cargo.tom': MANIFEST });
    expect(manifestEntry(tar, 'x.crate').text).toBe(MANIFEST);
  });

  it('names the file when there is no manifest, or the tar is cut short', () => {
    expect(() => manifestEntry(tarOf({ 'leaf-0.1.3/src/lib.rs': '' }), 'x.crate')).toThrow('x.crate: no <name>-<version>/Cargo.toml in the crate');
    const cut = tarOf({ 'leaf-0.1.3/Cargo.toml': MANIFEST }).subarray(0, 540);
    expect(() => manifestEntry(cut, 'x.crate')).toThrow('x.crate: the tar ends inside leaf-0.1.3/Cargo.toml');
  });
});

describe('readCrateArchive', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bllvm-crate-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads name, version, size, digest and the parsed manifest', async () => {
    const bytes = crateOf('leaf', '0.1.3', MANIFEST);
    await writeFile(join(dir, 'leaf-0.1.3.crate'), bytes);
    const a = await readCrateArchive(join(dir, 'leaf-0.1.3.crate'));
    expect(a).toMatchObject({ name: 'leaf', version: '0.1.3', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(a.manifest.dependencies).toEqual({ mid: { version: '0.3' } });
  });

  it('refuses a crate whose folder is not its manifest name and version', async () => {
    await writeFile(join(dir, 'a.crate'), crateOf('other', '9.9.9', MANIFEST));
    await expect(readCrateArchive(join(dir, 'a.crate'))).rejects.toThrow('its files are under other-9.9.9/, not leaf-0.1.3/');
  });

  it('refuses a symlink, a non-gzip file and a manifest that does not parse, naming the file', async () => {
    await writeFile(join(dir, 'real.crate'), crateOf('leaf', '0.1.3', MANIFEST));
    await symlink(join(dir, 'real.crate'), join(dir, 'link.crate'));
    await expect(readCrateArchive(join(dir, 'link.crate'))).rejects.toThrow(CrateArchiveError);
    await writeFile(join(dir, 'plain.crate'), 'not gzip');
    await expect(readCrateArchive(join(dir, 'plain.crate'))).rejects.toThrow(`${join(dir, 'plain.crate')}: not a gzip archive`);
    await writeFile(join(dir, 'bad.crate'), gzipSync(tarOf({ 'leaf-0.1.3/Cargo.toml': '[package\n' })));
    await expect(readCrateArchive(join(dir, 'bad.crate'))).rejects.toThrow('its Cargo.toml does not parse');
  });
});
