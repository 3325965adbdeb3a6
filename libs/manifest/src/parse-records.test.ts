import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManifestError, ManifestErrors } from './errors';
import { parseBuildRecord, parseCommandRecord, parseCrateRecord, parseImageRecord, parseNotPublishedRecord, readBuildRecord } from './parse-records';
import type { BuildRecord, CommandRecord, ImageRecord } from './records';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const UP = 'fedcba9876543210fedcba9876543210fedcba98';
const H64 = 'ab'.repeat(32);
const FILE = 'dist/bllvm-node/build/build.json';

const build: BuildRecord = {
  component: 'bllvm-node',
  repository: 'BTCDecoded/bllvm-node',
  branch: 'main',
  commit: SHA,
  version: '0.1.0',
  toolchain: 'rustc 1.88.0',
  features: ['production'],
  profile: 'release',
  upstream: { 'bllvm-protocol': UP },
  artifacts: [{ name: 'libbllvm_node.rlib', kind: 'library', size: 12, sha256: H64 }],
};
const command: CommandRecord = { component: 'bllvm-node', commit: SHA, command: ['cargo', 'test'], success: true, durationMs: 1234, finishedAt: '2026-11-27T03:04:05.000Z' };
const image: ImageRecord = {
  component: 'governance-app',
  image: 'ghcr.io/btcdecoded/governance-app:' + SHA,
  tags: ['ghcr.io/btcdecoded/governance-app:' + SHA],
  imageId: 'sha256:' + H64,
  labels: { 'org.opencontainers.image.revision': SHA },
  archive: { name: 'image.tar', size: 2048, sha256: H64 },
  commit: SHA,
  builtAt: '2026-11-27T03:04:05.000Z',
};

/** The message of what `parse` throws, or a failure when it accepts the record. */
function rejection(parse: (json: unknown, file: string) => unknown, json: unknown, file = FILE): string {
  try {
    parse(json, file);
  } catch (e) {
    expect(e instanceof ManifestError || e instanceof ManifestErrors).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected the record to be rejected');
}

describe('build records', () => {
  it('accepts a record as the cargo executor writes it, with and without a target', () => {
    expect(parseBuildRecord(JSON.parse(JSON.stringify(build)), FILE)).toEqual(build);
    expect(parseBuildRecord({ ...build, target: 'x86_64-unknown-linux-gnu' }, FILE)).toEqual({ ...build, target: 'x86_64-unknown-linux-gnu' });
  });

  it.each([
    ['not an object', [], /build\.json: record: must be an object, found array/],
    ['a short commit', { ...build, commit: '0123456' }, /build\.json: commit: "0123456" is not a 40-character lowercase hex commit/],
    ['a missing version', { ...build, version: undefined }, /: version: must be a string, found undefined/],
    ['an empty profile', { ...build, profile: '' }, /: profile: must not be empty/],
    ['a bad repository', { ...build, repository: 'x/../y' }, /: repository: .*is not (of the form owner\/name|a repository name)/],
    ['a feature that is not a string', { ...build, features: ['a', 3] }, /: features\[1\]: must be a string, found number/],
    ['an upstream commit that is not a sha', { ...build, upstream: { 'bllvm-protocol': 'main' } }, /: upstream\.bllvm-protocol: "main" is not a 40-character/],
    ['artifacts that are not a list', { ...build, artifacts: {} }, /: artifacts: must be an array, found object/],
    ['an artifact of an unknown kind', { ...build, artifacts: [{ ...build.artifacts[0], kind: 'dylib' }] }, /: artifacts\[0\]\.kind: "dylib" is not "binary" or "library"/],
    ['a negative size', { ...build, artifacts: [{ ...build.artifacts[0], size: -1 }] }, /: artifacts\[0\]\.size: number is not a size in bytes/],
    ['a size as text', { ...build, artifacts: [{ ...build.artifacts[0], size: '12' }] }, /: artifacts\[0\]\.size: "12" is not a size in bytes/],
    ['an uppercase sha256', { ...build, artifacts: [{ ...build.artifacts[0], sha256: H64.toUpperCase() }] }, /: artifacts\[0\]\.sha256: "AB.*" is not a 64-character lowercase hex sha256/],
    ['an artifact without a name', { ...build, artifacts: [{ ...build.artifacts[0], name: undefined }] }, /: artifacts\[0\]\.name: must be a string/],
  ])('rejects %s, naming the file and the field', (_n, json, message) => {
    expect(rejection(parseBuildRecord, json)).toMatch(message);
  });

  it('keeps the build settings a rebuilder needs, and names a wrong one', () => {
    const settings = { sourceDateEpoch: 1700000000, cargo: 'cargo 1.88.0', rustflags: ['--remap-path-prefix=/toolchain=/rust'], command: ['cargo', 'build'], sandbox: { target: '/target' } };
    expect(parseBuildRecord({ ...build, settings }, FILE).settings).toEqual(settings);
    expect(parseBuildRecord(build, FILE)).not.toHaveProperty('settings');
    expect(rejection(parseBuildRecord, { ...build, settings: { ...settings, sourceDateEpoch: 'now' } })).toMatch(/settings\.sourceDateEpoch: "now" is not/);
  });

  it('keeps the lock the build compiled from, and names a wrong one', () => {
    const lock = { sha256: 'c'.repeat(64), origin: 'generated' };
    expect(parseBuildRecord({ ...build, lock }, FILE).lock).toEqual(lock);
    expect(parseBuildRecord(build, FILE)).not.toHaveProperty('lock');
    expect(rejection(parseBuildRecord, { ...build, lock: { ...lock, origin: 'guessed' } })).toMatch(/lock\.origin: "guessed" is neither "committed" nor "generated"/);
    expect(rejection(parseBuildRecord, { ...build, lock: { ...lock, sha256: 'x' } })).toMatch(/lock\.sha256: "x" is not a 64-character/);
  });

  it('reports every wrong field at once', () => {
    const message = rejection(parseBuildRecord, { ...build, commit: 'x', branch: 7, artifacts: [{ name: 'a', kind: 'binary', size: 1, sha256: 'no' }] });
    expect(message.split('\n')).toEqual([
      expect.stringMatching(/^dist\/bllvm-node\/build\/build\.json: branch: must be a string, found number$/),
      expect.stringMatching(/^dist\/bllvm-node\/build\/build\.json: commit: "x" is not/),
      expect.stringMatching(/^dist\/bllvm-node\/build\/build\.json: artifacts\[0\]\.sha256: "no" is not/),
    ]);
  });

  it('reads from disk, naming the file when it is missing, not JSON, or wrong', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'records-'));
    try {
      const file = join(dir, 'build.json');
      await expect(readBuildRecord(file)).rejects.toThrow(`${file}: cannot read build record: ENOENT`);
      await writeFile(file, '{"component": ');
      await expect(readBuildRecord(file)).rejects.toThrow(new RegExp(`^${file}: build record is not valid JSON`));
      await writeFile(file, JSON.stringify({ ...build, commit: 'abc' }));
      await expect(readBuildRecord(file)).rejects.toThrow(`${file}: commit: "abc" is not a 40-character lowercase hex commit`);
      await writeFile(file, JSON.stringify(build));
      expect(await readBuildRecord(file)).toEqual(build);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('command records', () => {
  it('accepts a test or verify record', () => {
    expect(parseCommandRecord({ ...command }, 'test.json')).toEqual(command);
  });

  it.each([
    ['success as text', { ...command, success: 'true' }, /test\.json: success: must be true or false, found string/],
    ['an empty command', { ...command, command: [] }, /test\.json: command: must not be empty/],
    ['a negative duration', { ...command, durationMs: -5 }, /test\.json: durationMs: number is not a duration/],
    ['a finish time that is not a date', { ...command, finishedAt: 'yesterday' }, /test\.json: finishedAt: "yesterday" is not a date and time/],
    ['a missing commit', { ...command, commit: undefined }, /test\.json: commit: undefined is not a 40-character/],
  ])('rejects %s', (_n, json, message) => {
    expect(rejection(parseCommandRecord, json, 'test.json')).toMatch(message);
  });
});

describe('image records', () => {
  it('accepts the record the docker executor writes', () => {
    expect(parseImageRecord(JSON.parse(JSON.stringify(image)), 'image.json')).toEqual(image);
  });

  it.each([
    ['an image ID without its algorithm', { ...image, imageId: H64 }, /image\.json: imageId: "ab.*" is not an image ID/],
    ['no archive', { ...image, archive: undefined }, /image\.json: archive: must be an object, found undefined/],
    ['an archive without a digest', { ...image, archive: { name: 'image.tar', size: 1 } }, /image\.json: archive\.sha256: undefined is not a 64-character/],
    ['a label that is not text', { ...image, labels: { a: 1 } }, /image\.json: labels\.a: must be a string, found number/],
    ['no tags', { ...image, tags: [] }, /image\.json: tags: must not be empty/],
  ])('rejects %s', (_n, json, message) => {
    expect(rejection(parseImageRecord, json, 'image.json')).toMatch(message);
  });
});

describe('crate records', () => {
  const record = {
    component: 'bllvm-protocol', crate: 'bllvm-protocol', version: '0.1.1', file: 'bllvm-protocol-0.1.1.crate',
    size: 2048, sha256: H64, commit: 'c'.repeat(40), tag: 'v0.1.1', dependsOn: ['bllvm-consensus', 'mid'],
  };

  it('accepts the record the package target writes, with and without a tag', () => {
    expect(parseCrateRecord(JSON.parse(JSON.stringify(record)), 'crate.json')).toEqual(record);
    const { tag: _tag, ...untagged } = record;
    expect(parseCrateRecord(untagged, 'crate.json')).toEqual(untagged);
  });

  it.each([
    ['a file that is not <crate>-<version>.crate', { ...record, file: '../x.crate' }, /crate\.json: file: "\.\.\/x\.crate" must be "bllvm-protocol-0\.1\.1\.crate"/],
    ['a version that is not semver', { ...record, version: '1.0' }, /crate\.json: version: "1\.0" is not a semantic version/],
    ['a crate name with a slash', { ...record, crate: 'a/b' }, /crate\.json: crate: "a\/b" is not a crate name/],
    ['a short digest', { ...record, sha256: 'ab' }, /crate\.json: sha256: "ab" is not a 64-character/],
    ['a dependency that is not a crate name', { ...record, dependsOn: ['ok', ' x'] }, /crate\.json: dependsOn\[1\]: " x" is not a crate name/],
    ['a tag with a space', { ...record, tag: 'v 1' }, /crate\.json: tag: "v 1" is not a tag name/],
  ])('rejects %s', (_n, json, message) => {
    expect(rejection(parseCrateRecord, json, 'crate.json')).toMatch(message);
  });
});

describe('not-published records', () => {
  const record = { component: 'bllvm-sdk', commit: 'c'.repeat(40), reason: 'publish = false' };

  it('accepts what the package target writes for a crate that is not for the registry', () => {
    expect(parseNotPublishedRecord(JSON.parse(JSON.stringify(record)), 'not-published.json')).toEqual(record);
  });

  it.each([
    ['another reason', { ...record, reason: 'later' }, /not-published\.json: reason: "later" must be "publish = false"/],
    ['a short commit', { ...record, commit: 'abc' }, /not-published\.json: commit/],
  ])('rejects %s', (_n, json, message) => {
    expect(rejection(parseNotPublishedRecord, json, 'not-published.json')).toMatch(message);
  });
});
