import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tarStream } from '@bllvm/release';
import { compareRelease } from './compare';
import { firstJsonDifference } from './json-difference';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function tarGz(files: Record<string, string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const entries = Object.entries(files).map(([path, text]) => ({ type: 'file' as const, path, mode: 0o755, size: Buffer.byteLength(text), content: async function* () { yield Buffer.from(text); } }));
  for await (const c of tarStream(entries)) chunks.push(c);
  return gzipSync(Buffer.concat(chunks));
}

/** A release: the given assets, a manifest naming the image archive, and SHA256SUMS over all. */
function release(assets: Record<string, Buffer>, imageId = 'sha256:1'): Map<string, Buffer> {
  const manifest = Buffer.from(JSON.stringify({ tag: 't', components: [{ component: 'app', archive: { name: 'app.tar.gz' }, image: { imageId, archive: { name: 'app-image.oci.tar' } } }] }));
  const all = { ...assets, 'release-manifest.json': manifest };
  const sums = Object.entries(all).sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, b]) => `${sha(b)}  ${n}\n`).join('');
  return new Map(Object.entries({ ...all, SHA256SUMS: Buffer.from(sums) }));
}

describe('compareRelease', () => {
  it('is all equal when every asset is byte-identical', async () => {
    const assets = { 'app.tar.gz': await tarGz({ 'app/bin': 'x' }), 'app-image.oci.tar': Buffer.from('img'), 'RELEASE_NOTES.md': Buffer.from('n') };
    const r = compareRelease({ published: release(assets), rebuilt: release(assets) });
    expect(r.allEqual).toBe(true);
    expect(r.assets.map((a) => [a.name, a.status, a.counted])).toEqual([
      ['RELEASE_NOTES.md', 'equal', false],
      ['SHA256SUMS', 'equal', true],
      ['app-image.oci.tar', 'equal', true],
      ['app.tar.gz', 'equal', true],
      ['release-manifest.json', 'equal', true],
    ]);
  });

  it('leaves the signature, provenance and SBOMs beside SHA256SUMS out of the verdict: they attest a build, a rebuild does not make them', async () => {
    const assets = { 'app.tar.gz': await tarGz({ 'app/bin': 'x' }) };
    const published = release(assets);
    for (const name of ['SHA256SUMS.asc', 'SHA256SUMS.guix-alice.asc', 'provenance.intoto.jsonl', 'app.cdx.json']) published.set(name, Buffer.from(name));
    const r = compareRelease({ published, rebuilt: release(assets) });
    expect(r.allEqual).toBe(true);
    expect(r.assets.filter((a) => !a.counted).map((a) => [a.name, a.status])).toEqual([
      ['SHA256SUMS.asc', 'missing'],
      ['SHA256SUMS.guix-alice.asc', 'missing'],
      ['app.cdx.json', 'missing'],
      ['provenance.intoto.jsonl', 'missing'],
    ]);
    // A file merely named like an SBOM is still not a build output: a tampered archive is still caught.
    const tampered = release({ 'app.tar.gz': await tarGz({ 'app/bin': 'y' }) });
    expect(compareRelease({ published: tampered, rebuilt: release(assets) }).allEqual).toBe(false);
  });

  it('counts the image: a rebuilt image that differs (and the manifest naming its id) is a difference, named', async () => {
    const archive = await tarGz({ 'app/bin': 'x' });
    const published = release({ 'app.tar.gz': archive, 'app-image.oci.tar': Buffer.from('img 1'), 'RELEASE_NOTES.md': Buffer.from('image 1') }, 'sha256:1');
    const rebuilt = release({ 'app.tar.gz': archive, 'app-image.oci.tar': Buffer.from('img 2'), 'RELEASE_NOTES.md': Buffer.from('image 2') }, 'sha256:2');
    const r = compareRelease({ published, rebuilt });
    expect(r.allEqual).toBe(false);
    expect(r.assets.find((a) => a.name === 'app-image.oci.tar')).toMatchObject({ status: 'differs', counted: true });
    expect(r.assets.find((a) => a.name === 'release-manifest.json')).toMatchObject({ status: 'differs', firstDifference: expect.stringContaining('imageId') });
    expect(r.assets.find((a) => a.name === 'SHA256SUMS')).toMatchObject({ status: 'differs', firstDifference: 'line for app-image.oci.tar' });
    // The notes are prose from the release history: their line alone is not a difference.
    const notesOnly = release({ 'app.tar.gz': archive, 'app-image.oci.tar': Buffer.from('img 1'), 'RELEASE_NOTES.md': Buffer.from('other history') }, 'sha256:1');
    expect(compareRelease({ published, rebuilt: notesOnly }).allEqual).toBe(true);
  });

  it('names the differing archive and the first file inside it', async () => {
    const published = release({ 'app.tar.gz': await tarGz({ 'app/a': 'same', 'app/bin': 'one' }) });
    const rebuilt = release({ 'app.tar.gz': await tarGz({ 'app/a': 'same', 'app/bin': 'two' }) });
    const r = compareRelease({ published, rebuilt });
    expect(r.allEqual).toBe(false);
    expect(r.assets.find((a) => a.name === 'app.tar.gz')).toMatchObject({ status: 'differs', counted: true, firstDifference: 'app/bin: content differs (3 bytes published, 3 rebuilt)' });
    expect(r.assets.find((a) => a.name === 'SHA256SUMS')).toMatchObject({ status: 'differs', firstDifference: 'line for app.tar.gz' });
  });

  it('counts a published asset that does not match the published SHA256SUMS, even one otherwise not counted', () => {
    const good = release({ 'RELEASE_NOTES.md': Buffer.from('n') });
    const published = new Map(good);
    published.set('RELEASE_NOTES.md', Buffer.from('tampered'));
    const r = compareRelease({ published, rebuilt: good });
    expect(r.allEqual).toBe(false);
    expect(r.assets.find((a) => a.name === 'RELEASE_NOTES.md')).toMatchObject({ status: 'differs', counted: true, firstDifference: 'the published bytes do not match the published SHA256SUMS' });
  });

  it('reports an asset the rebuild did not stage, and one only the rebuild staged', () => {
    const published = release({ 'a.tar.gz': Buffer.from('a') });
    const rebuilt = release({ 'b.tar.gz': Buffer.from('b') });
    const r = compareRelease({ published, rebuilt });
    expect(r.assets.filter((a) => a.status === 'missing' || a.status === 'extra').map((a) => [a.name, a.status])).toEqual([
      ['a.tar.gz', 'missing'],
      ['b.tar.gz', 'extra'],
    ]);
    expect(r.allEqual).toBe(false);
  });

  it('names the first JSON field that differs', () => {
    expect(firstJsonDifference({ a: 1, c: [{ x: 1 }, { x: 2 }] }, { a: 1, c: [{ x: 1 }, { x: 3 }] }, '')).toBe('c[1].x');
    expect(firstJsonDifference({ a: 1 }, { a: 1 }, '')).toBeUndefined();
  });
});
