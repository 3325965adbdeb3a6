import { describe, expect, it } from 'vitest';
import { type TarEntry, tarStream } from '@bllvm/release';
import { firstImageDifference } from './image-difference';

async function tar(files: { path: string; data: Buffer; mode?: number }[]): Promise<Buffer> {
  const entries: TarEntry[] = files.map(({ path, data, mode }) => ({ type: 'file', path, mode: mode ?? 0o644, size: data.length, content: async function* () { yield data; } }));
  const chunks: Buffer[] = [];
  for await (const c of tarStream(entries)) chunks.push(c);
  return Buffer.concat(chunks);
}

/** A docker-archive of one image: layers of the given files, a config with the given user. */
async function image(layers: { path: string; data: string; mode?: number }[][], user = '65532:65532'): Promise<Buffer> {
  const blobs = await Promise.all(layers.map((files) => tar(files.map((f) => ({ ...f, data: Buffer.from(f.data) })))));
  const names = blobs.map((_, i) => `layer${i}-${blobs[i]!.length}-${blobs[i]!.subarray(512, 520).toString('hex')}.tar`);
  const config = { architecture: 'amd64', config: { User: user }, rootfs: { type: 'layers', diff_ids: names.map((n) => `sha256:${n}`) } };
  return tar([
    ...blobs.map((data, i) => ({ path: names[i]!, data })),
    { path: 'config.json', data: Buffer.from(JSON.stringify(config)) },
    { path: 'manifest.json', data: Buffer.from(JSON.stringify([{ Config: 'config.json', Layers: names }])) },
  ]);
}

describe('firstImageDifference', () => {
  const app = { path: 'usr/local/bin/app', data: 'binary', mode: 0o755 };

  it('names the config field with both values', async () => {
    const d = firstImageDifference(await image([[app]]), await image([[app]], '0:0'));
    expect(d).toBe('image config config.User differs ("65532:65532" published, "0:0" rebuilt)');
  });

  it('names the layer and the member inside it, not the digests the archive files are named by', async () => {
    expect(firstImageDifference(await image([[app]]), await image([[{ ...app, mode: 0o700 }]]))).toBe('image layer 1: usr/local/bin/app: mode differs (493 published, 448 rebuilt)');
    expect(firstImageDifference(await image([[app], [{ path: 'etc/x', data: 'a' }]]), await image([[app], [{ path: 'etc/x', data: 'b' }]]))).toBe(
      'image layer 2: etc/x: content differs (1 bytes published, 1 rebuilt)',
    );
    expect(firstImageDifference(await image([[app]]), await image([[app], [app]]))).toBe('1 layers published, 2 rebuilt');
  });

  it('says nothing of what is not a one-image docker-archive, or of equal images', async () => {
    expect(firstImageDifference(await tar([{ path: 'a', data: Buffer.from('x') }]), await image([[app]]))).toBeUndefined();
    expect(firstImageDifference(await image([[app]]), await image([[app]]))).toBeUndefined();
  });
});
