import { gzipSync } from 'node:zlib';
import { buildCrate } from '@bllvm/cargo-registry';
import { ManifestError } from '@bllvm/manifest';
import { tarStream, type TarEntry } from '@bllvm/release';
import { describe, expect, it } from 'vitest';
import { readCrateArchive } from './publish-crate-file';

const MANIFEST = Buffer.from('[package]\nname = "leafy"\nversion = "1.2.3"\n');

function problem(bytes: Buffer, max?: number): string {
  try {
    readCrateArchive(bytes, '/pkg/leafy-1.2.3.crate', max);
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('readCrateArchive', () => {
  it('reads the package, its normalized manifest and its files', () => {
    const archive = readCrateArchive(buildCrate('leafy', '1.2.3', [{ path: 'Cargo.toml', data: MANIFEST }, { path: 'README.md', data: Buffer.from('hi') }]), 'x.crate');
    expect([archive.name, archive.version]).toEqual(['leafy', '1.2.3']);
    expect(archive.manifest).toEqual({ package: { name: 'leafy', version: '1.2.3' } });
    expect(archive.file('README.md')?.toString()).toBe('hi');
    expect(archive.file('missing')).toBeUndefined();
  });

  it('refuses what is not a .crate, naming the file', () => {
    expect(problem(Buffer.from('plain text'))).toMatch(/^\/pkg\/leafy-1\.2\.3\.crate: is not a gzip'd \.crate/);
    expect(problem(buildCrate('leafy', '1.2.3', [{ path: 'src/lib.rs', data: Buffer.from('') }]))).toMatch(/has no leafy-1\.2\.3\/Cargo\.toml/);
    expect(problem(buildCrate('other', '1.2.3', [{ path: 'Cargo.toml', data: MANIFEST }]))).toMatch(/its folder is `other-1\.2\.3\/` but its Cargo\.toml declares leafy 1\.2\.3/);
    expect(problem(buildCrate('leafy', '1.2.3', [{ path: 'Cargo.toml', data: Buffer.from('[package\n') }]))).toMatch(/leafy-1\.2\.3\.crate!leafy-1\.2\.3\/Cargo\.toml:1: /);
  });

  it('refuses a tar with two top folders', async () => {
    const file = (path: string, data: Buffer): TarEntry => ({ type: 'file', path, mode: 0o644, size: data.length, content: async function* () { yield data; } });
    const chunks: Buffer[] = [];
    for await (const chunk of tarStream([file('leafy-1.2.3/Cargo.toml', MANIFEST), file('evil/x', Buffer.from('x'))])) chunks.push(chunk);
    const tar = Buffer.concat(chunks);
    expect(problem(gzipSync(tar))).toMatch(/must hold one folder `name-version\/`, but holds `leafy-1\.2\.3`, `evil`/);
  });

  it('stops unpacking past the limit', () => {
    const big = buildCrate('leafy', '1.2.3', [{ path: 'Cargo.toml', data: MANIFEST }, { path: 'big', data: Buffer.alloc(200_000) }]);
    expect(problem(big, 100_000)).toMatch(/unpacks to more than 100000 bytes/);
  });
});
