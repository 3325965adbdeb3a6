import { gunzipSync, gzipSync } from 'node:zlib';
import { readTar } from '@bllvm/release';
import { describe, expect, it } from 'vitest';
import { buildCrate, CARGO_MTIME, checkCrateArchive, crateTar, sha256Hex, storedGzip } from './crate-archive';
import { RegistryError } from './errors';

const files = [
  { path: 'src/lib.rs', data: Buffer.from('pub fn f() {}\n') },
  { path: 'Cargo.toml', data: Buffer.from('[package]\nname = "leaf"\n') },
];

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).status).toBe(400);
    return (error as RegistryError).detail;
  }
  throw new Error('accepted');
}

describe('buildCrate', () => {
  it('writes cargo’s shape: name-version/ members sorted, mode 644, owner 0, cargo’s mtime, GNU magic', () => {
    const crate = buildCrate('leaf', '0.1.0', files);
    const tar = gunzipSync(crate);
    const members = readTar(tar);
    expect(members.map((m) => m.path)).toEqual(['leaf-0.1.0/Cargo.toml', 'leaf-0.1.0/src/lib.rs']);
    expect(members.map((m) => [m.type, m.mode, m.uid, m.gid, m.mtime])).toEqual([
      ['0', 0o644, 0, 0, CARGO_MTIME],
      ['0', 0o644, 0, 0, CARGO_MTIME],
    ]);
    expect(members[1]!.data.toString()).toBe('pub fn f() {}\n');
    expect(tar.subarray(257, 265).toString('latin1')).toBe('ustar  \0');
    expect(tar.length).toBe(512 * 6); // two headers, two data blocks, two zero blocks
    // gzip header as flate2 writes it: deflate, FNAME set, mtime 0, OS unknown, then the name.
    expect([...crate.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 8, 0, 0, 0, 0, 0, 0xff]);
    expect(crate.subarray(10, 27).toString('latin1')).toBe('leaf-0.1.0.crate\0');
  });

  it('gives the same bytes every time, whatever order the files come in', () => {
    const a = buildCrate('leaf', '0.1.0', files);
    const b = buildCrate('leaf', '0.1.0', [...files].reverse());
    expect(a.equals(b)).toBe(true);
    expect(sha256Hex(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('stores long paths with a GNU long-name record and data past one deflate block', () => {
    const deep = `src/${'d'.repeat(120)}.rs`;
    const big = Buffer.alloc(70_000, 0x61);
    const members = readTar(gunzipSync(buildCrate('leaf', '0.1.0', [{ path: deep, data: big }])));
    expect(members.map((m) => m.path)).toEqual([`leaf-0.1.0/${deep}`]);
    expect(members[0]!.data.equals(big)).toBe(true);
    expect(gunzipSync(storedGzip(Buffer.alloc(0), 'x'))).toHaveLength(0);
  });

  it('refuses paths that are not plain relative ones', () => {
    for (const path of ['../x', '/etc/x', 'a//b', 'a/./b', 'sp ace']) expect(() => crateTar('r', [{ path, data: Buffer.alloc(0) }]), path).toThrow(/not a relative printable-ASCII path/);
  });
});

describe('checkCrateArchive', () => {
  /** Empty members at any path, as a hostile archive would place them (readTar does not need checksums). */
  function hostile(paths: string[]): Buffer {
    const headers = paths.map((path) => {
      const h = Buffer.alloc(512);
      h.write(path, 0, 100, 'utf8');
      h.write('0000644\0', 100, 'ascii');
      h.write('00000000000\0', 124, 'ascii');
      h.write('0', 156, 'ascii');
      h.write('ustar\0' + '00', 257, 'ascii');
      return h;
    });
    return gzipSync(Buffer.concat([...headers, Buffer.alloc(1024)]));
  }

  it('accepts a crate whose members are under name-version/ with a Cargo.toml', () => {
    expect(checkCrateArchive(buildCrate('leaf', '0.1.0', files), 'leaf', '0.1.0')).toEqual(['leaf-0.1.0/Cargo.toml', 'leaf-0.1.0/src/lib.rs']);
  });

  it('refuses what crates.io refuses, saying why', () => {
    expect(refusal(() => checkCrateArchive(Buffer.from('not gzip'), 'leaf', '0.1.0'))).toMatch(/invalid \.crate for leaf@0\.1\.0: it is not gzip data/);
    expect(refusal(() => checkCrateArchive(buildCrate('leaf', '0.1.0', files), 'leaf', '0.2.0'))).toMatch(/member "leaf-0\.1\.0\/Cargo\.toml" is outside leaf-0\.2\.0\//);
    expect(refusal(() => checkCrateArchive(buildCrate('leaf', '0.1.0', [files[0]!]), 'leaf', '0.1.0'))).toMatch(/it has no leaf-0\.1\.0\/Cargo\.toml/);
    expect(refusal(() => checkCrateArchive(hostile(['leaf-0.1.0/Cargo.toml', 'leaf-0.1.0/../../etc/x']), 'leaf', '0.1.0'))).toMatch(/outside/);
    expect(refusal(() => checkCrateArchive(buildCrate('leaf', '0.1.0', [...files, { path: 'big', data: Buffer.alloc(4096) }]), 'leaf', '0.1.0', 2048))).toMatch(/unpacks to more than 2048 bytes/);
  });
});
