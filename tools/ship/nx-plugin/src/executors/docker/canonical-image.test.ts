import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTar, tarStream } from '@bllvm/release';
import { canonicalConfig, canonicalImage } from './canonical-image';

const EPOCH = 1700000000;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A layer as the engine saves it: the folder a COPY made, dated `clock`; the file, dated by the context. */
async function layerTar(clock: number, content = 'binary'): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const entries = [
    { type: 'directory' as const, path: 'usr/local/bin', mode: 0o755 },
    { type: 'file' as const, path: 'usr/local/bin/app', mode: 0o755, size: content.length, content: () => Readable.from([Buffer.from(content)]) },
  ];
  for await (const c of tarStream(entries)) chunks.push(c);
  const tar = Buffer.concat(chunks);
  setMtime(tar, 0, clock);
  setMtime(tar, 512, EPOCH);
  return tar;
}

function setMtime(tar: Buffer, at: number, mtime: number): void {
  const header = tar.subarray(at, at + 512);
  header.write(mtime.toString(8).padStart(11, '0') + '\0', 136, 12, 'ascii');
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
}

let LAYER: Buffer;
beforeAll(async () => {
  LAYER = await layerTar(1796018474);
});

/** A config as podman's legacy builder writes it for one build made at `clock` by container `id`. */
function builtConfig(clock: string, id: string, layer = LAYER) {
  return {
    created: clock,
    container: id,
    container_config: { Hostname: id.slice(0, 12), Labels: { a: 'b' } },
    config: { Hostname: id.slice(0, 12), Env: ['PATH=/bin'], Labels: { a: 'b' } },
    architecture: 'amd64',
    os: 'linux',
    parent: `sha256:${createHash('sha256').update(clock).digest('hex')}`,
    rootfs: { type: 'layers', diff_ids: [`sha256:${createHash('sha256').update(layer).digest('hex')}`] },
    history: [
      { created: clock, created_by: '/bin/sh -c #(nop) COPY file:abc in /a ' },
      { created: clock, created_by: '/bin/sh -c #(nop) LABEL "a"="b"', comment: `FROM ${id.slice(0, 12)}`, empty_layer: true },
    ],
  };
}

/** A `docker save` archive of that build: layer, config, symlinked layer folder, manifest, repositories. */
async function savedArchive(clock: string, id: string, layer?: Buffer): Promise<Buffer> {
  layer ??= LAYER;
  const config = Buffer.from(JSON.stringify(builtConfig(clock, id, layer)));
  const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
  const files: [string, Buffer][] = [
    ['l1.tar', layer],
    [configName, config],
    ['manifest.json', Buffer.from(JSON.stringify([{ Config: configName, RepoTags: ['r/x:1'], Layers: ['l1.tar'] }]))],
    ['repositories', Buffer.from('{"r/x":{"1":"l1"}}')],
  ];
  const chunks: Buffer[] = [];
  for await (const c of tarStream(files.map(([path, data]) => ({ type: 'file' as const, path, mode: 0o444, size: data.length, content: () => Readable.from([data]) })))) chunks.push(c);
  return Buffer.concat(chunks);
}

describe('the canonical image', () => {
  it('is the same archive and id for two builds of one context at different times', async () => {
    const a = await canonicalImage(await savedArchive('2026-11-30T05:46:53.612853406Z', 'c'.repeat(64)), EPOCH);
    const b = await canonicalImage(await savedArchive('2026-12-01T01:02:03.4Z', 'd'.repeat(64)), EPOCH);
    expect(a.archive.equals(b.archive)).toBe(true);
    expect(a.imageId).toBe(b.imageId);
  });

  it('dates the config and its history by SOURCE_DATE_EPOCH and drops what names the build', () => {
    const c = canonicalConfig(builtConfig('2026-11-30T05:46:53Z', 'e'.repeat(64)), EPOCH) as ReturnType<typeof builtConfig>;
    expect(c.created).toBe('2023-11-14T22:13:20Z');
    expect(c.history.map((h) => h.created)).toEqual(['2023-11-14T22:13:20Z', '2023-11-14T22:13:20Z']);
    expect(c).not.toHaveProperty('container');
    expect(c).not.toHaveProperty('container_config');
    expect(c).not.toHaveProperty('parent');
    expect(c.history[1]).not.toHaveProperty('comment');
    expect(c.config).toEqual({ Hostname: '', Env: ['PATH=/bin'], Labels: { a: 'b' } });
    expect(c.rootfs).toEqual(builtConfig('x', 'y').rootfs);
    // A comment that names something stable (a base image by name) stays.
    const based = canonicalConfig({ history: [{ created: 'x', comment: 'FROM docker.io/library/debian:bookworm' }] }, EPOCH);
    expect(based.history).toEqual([{ created: '2023-11-14T22:13:20Z', comment: 'FROM docker.io/library/debian:bookworm' }]);
  });

  it('puts the label steps podman makes of --label flags in one order: it makes them in Go map order, another each build', () => {
    const label = (k: string) => ({ created: 'x', created_by: `/bin/sh -c #(nop) LABEL "${k}"="v"`, empty_layer: true });
    const step = (by: string) => ({ created: 'x', created_by: `/bin/sh -c #(nop) ${by}`, empty_layer: true });
    const history = (...labels: string[]) => [step('COPY'), label('z'), step('USER 1'), ...labels.map(label)];
    const a = canonicalConfig({ history: history('revision', 'version', 'source', 'title') }, EPOCH);
    const b = canonicalConfig({ history: history('title', 'source', 'revision', 'version') }, EPOCH);
    expect(a).toEqual(b);
    // Only runs of label steps move: the steps around them stay where the Dockerfile put them.
    expect((a.history as { created_by: string }[]).map((h) => h.created_by.replace('/bin/sh -c #(nop) ', ''))).toEqual([
      'COPY',
      'LABEL "z"="v"',
      'USER 1',
      'LABEL "revision"="v"',
      'LABEL "source"="v"',
      'LABEL "title"="v"',
      'LABEL "version"="v"',
    ]);
  });

  it('names the image by the digest of its config, clamps the layers\' times, and is written with fixed members', async () => {
    const c = await canonicalImage(await savedArchive('2026-11-30T05:46:53Z', 'f'.repeat(64)), EPOCH);
    const members = readTar(c.archive);
    const layer = members[0]!;
    const config = JSON.parse(members[1]!.data.toString()) as { rootfs: { diff_ids: string[] } };
    expect(members.map((m) => m.path)).toEqual([`${sha(layer.data)}.tar`, `${c.imageId.slice('sha256:'.length)}.json`, 'manifest.json']);
    expect(sha(members[1]!.data)).toBe(c.imageId.slice('sha256:'.length));
    expect(config.rootfs.diff_ids).toEqual([`sha256:${sha(layer.data)}`]);
    // The folder the COPY made is dated by the pins now, the file keeps its own date and bytes.
    expect(readTar(layer.data).map((m) => [m.path, m.mtime, m.data.toString()])).toEqual([
      ['usr/local/bin/', EPOCH, ''],
      ['usr/local/bin/app', EPOCH, 'binary'],
    ]);
    expect(members.every((m) => m.mode === 0o644 && m.mtime === 0)).toBe(true);
    expect(JSON.parse(members[2]!.data.toString())).toEqual([{ Config: members[1]!.path, RepoTags: ['r/x:1'], Layers: [layer.path] }]);
  });

  it('is the same image when only the layer folders\' build times differ', async () => {
    const a = await canonicalImage(await savedArchive('t1', 'c'.repeat(64), await layerTar(1796018474)), EPOCH);
    const b = await canonicalImage(await savedArchive('t2', 'd'.repeat(64), await layerTar(1796099999)), EPOCH);
    expect(a.archive.equals(b.archive)).toBe(true);
  });

  it('names the image as the caller says when it was saved by id (no names of its own)', async () => {
    const c = await canonicalImage(await savedArchive('t', 'c'.repeat(64)), EPOCH, ['ghcr.io/o/app:abc']);
    const manifest = readTar(c.archive).find((m) => m.path === 'manifest.json')!;
    expect((JSON.parse(manifest.data.toString()) as { RepoTags: string[] }[])[0]!.RepoTags).toEqual(['ghcr.io/o/app:abc']);
  });

  it('gives another id when a layer differs', async () => {
    const a = await canonicalImage(await savedArchive('t', 'c'.repeat(64)), EPOCH);
    const b = await canonicalImage(await savedArchive('t', 'c'.repeat(64), await layerTar(1796018474, 'another binary')), EPOCH);
    expect(a.imageId).not.toBe(b.imageId);
  });

  it('refuses layers that are not the ones the config names', async () => {
    const saved = await savedArchive('t', 'c'.repeat(64));
    const swapped = Buffer.from(saved);
    swapped[1024 + 512] = swapped[1024 + 512]! ^ 0xff; // a byte of the layer's file, inside the archive
    await expect(canonicalImage(swapped, EPOCH)).rejects.toThrow("layer l1.tar is not the config's layer 1 (sha256:");
  });

  it('refuses an archive that is not one docker-archive image, saying what is missing', async () => {
    const chunks: Buffer[] = [];
    for await (const c of tarStream([{ type: 'file', path: 'index.json', mode: 0o644, size: 2, content: () => Readable.from([Buffer.from('{}')]) }])) chunks.push(c);
    await expect(canonicalImage(Buffer.concat(chunks), EPOCH)).rejects.toThrow('no manifest.json');
  });
});
