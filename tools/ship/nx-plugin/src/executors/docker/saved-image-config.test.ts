import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type TarEntry, tarStream } from '@bllvm/release';
import { configTriggers, savedImageConfig } from './saved-image-config';

const file = (path: string, data: Buffer | string): TarEntry => {
  const bytes = Buffer.from(data);
  return { type: 'file', path, mode: 0o644, size: bytes.length, content: () => Readable.from([bytes]) };
};

/** A `docker save` archive as podman writes it: layers first, then the config, the manifest last. */
async function archive(entries: TarEntry[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of tarStream(entries)) chunks.push(c);
  return Buffer.concat(chunks);
}

/** A one-member archive's member turned into a pax extended header ('x'), its end blocks dropped. */
function paxHeader(tar: Buffer): Buffer {
  const size = parseInt(tar.subarray(124, 136).toString('ascii').replace(/\0.*$/, '').trim(), 8);
  const out = Buffer.from(tar.subarray(0, 512 + Math.ceil(size / 512) * 512));
  out.write('x', 156, 1, 'ascii');
  out.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of out.subarray(0, 512)) sum += b;
  out.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return out;
}

/** The archive in pieces of `size` bytes, as a pipe delivers it. */
async function* pieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const CONFIG = { architecture: 'amd64', config: { Env: ['PATH=/bin'], OnBuild: ['RUN ["/x"]', 'COPY . /src'] }, rootfs: { type: 'layers', diff_ids: [] } };

describe('savedImageConfig', () => {
  it('reads the config manifest.json names, however the stream is cut, skipping the layers', async () => {
    const bytes = await archive([
      file('a'.repeat(64) + '.tar', Buffer.alloc(70_000, 7)),
      file('b'.repeat(64) + '.json', JSON.stringify({ not: 'the config' })),
      file('c'.repeat(64) + '.json', JSON.stringify(CONFIG)),
      file('manifest.json', JSON.stringify([{ Config: 'c'.repeat(64) + '.json', RepoTags: ['localhost/base:1'], Layers: ['a'.repeat(64) + '.tar'] }])),
    ]);
    for (const size of [1, 511, 512, 513, 4096, bytes.length]) expect(await savedImageConfig(pieces(bytes, size)), `pieces of ${size}`).toEqual(CONFIG);
  });

  it('follows a pax long name (a member named past 100 characters)', async () => {
    const long = `${'d'.repeat(120)}.json`;
    const record = (len: number) => `${len} path=${long}\n`;
    let body = record(0);
    body = record(body.length + String(body.length).length - 1);
    const bytes = Buffer.concat([
      paxHeader(await archive([file('PaxHeaders/x', body)])),
      await archive([file('short.json', JSON.stringify(CONFIG)), file('manifest.json', JSON.stringify([{ Config: long, Layers: [] }]))]),
    ]);
    expect(await savedImageConfig(pieces(bytes, 1000))).toEqual(CONFIG);
  });

  it('names what is missing: the manifest, one image, its config', async () => {
    await expect(savedImageConfig(pieces(await archive([file('x.json', '{}')]), 512))).rejects.toThrow('no manifest.json');
    await expect(savedImageConfig(pieces(await archive([file('manifest.json', '[]')]), 512))).rejects.toThrow('exactly one image');
    await expect(savedImageConfig(pieces(await archive([file('manifest.json', '[{"Config":"gone.json"}]')]), 512))).rejects.toThrow('no config gone.json');
  });
});

describe('configTriggers', () => {
  it("is the config's config.OnBuild, empty when it has none", () => {
    expect(configTriggers(CONFIG)).toEqual(['RUN ["/x"]', 'COPY . /src']);
    expect(configTriggers({ config: { OnBuild: null } })).toEqual([]);
    expect(configTriggers({})).toEqual([]);
  });
});
