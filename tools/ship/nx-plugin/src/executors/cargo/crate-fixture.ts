import { gzipSync } from 'node:zlib';

/** A ustar archive of `files` (path → text, or a header type and body), as cargo's tar writer lays one out. For tests. */
export function tarOf(files: Record<string, string | { type: string; body: string }>): Buffer {
  const blocks: Buffer[] = [];
  for (const [path, f] of Object.entries(files)) {
    const { type, body } = typeof f === 'string' ? { type: '0', body: f } : f;
    const data = Buffer.from(body);
    const header = Buffer.alloc(512);
    header.write(path.slice(0, 100), 0, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write(type, 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    header.fill(' ', 148, 156);
    let sum = 0;
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** A gzipped crate of `name`-`version` with this Cargo.toml (and a lib.rs). For tests. */
export function crateOf(name: string, version: string, manifest: string): Buffer {
  return gzipSync(tarOf({ [`${name}-${version}/Cargo.toml.orig`]: manifest, [`${name}-${version}/Cargo.toml`]: manifest, [`${name}-${version}/src/lib.rs`]: 'pub fn f() {}\n' }));
}
