import { describe, expect, it } from 'vitest';
import { archiveName, imageArchiveName, plannedAssetNames } from './names';
import { planRelease } from './plan';
import { fakeSha } from './testing';

const TAG = 'nightly-20261127-0123456';

describe('asset names', () => {
  it('derives archive and image names from component and tag', () => {
    expect(archiveName('bllvm', TAG)).toBe('bllvm-nightly-20261127-0123456-linux-x86_64.tar.gz');
    expect(imageArchiveName('governance-app', 'v1.0.0')).toBe('governance-app-v1.0.0-image.oci.tar');
    expect(plannedAssetNames('v1.0.0', [{ name: 'bllvm' }, { name: 'governance-app', hasImage: true }])).toEqual([
      'bllvm-v1.0.0-linux-x86_64.tar.gz',
      'governance-app-v1.0.0-linux-x86_64.tar.gz',
      'governance-app-v1.0.0-image.oci.tar',
      'release-manifest.json',
      'RELEASE_NOTES.md',
      'SHA256SUMS',
    ]);
  });

  it('rejects names that would make odd file names', () => {
    expect(() => archiveName('../x', TAG)).toThrow(/component name/);
    expect(() => archiveName('Bllvm', TAG)).toThrow(/component name/);
    expect(() => archiveName('bllvm', 'latest')).toThrow(/not a release tag/);
  });
});

describe('planRelease', () => {
  it('prints the tag, components with short commits, and assets', () => {
    const files = plannedAssetNames(TAG, [{ name: 'bllvm-consensus' }, { name: 'bllvm' }]);
    const text = planRelease({
      tag: TAG,
      previousTag: 'nightly-20261126-abcdef0',
      components: [
        { component: 'bllvm-consensus', commit: fakeSha('a'), version: '0.1.0', note: 'changed' },
        { component: 'bllvm', commit: fakeSha('b') },
      ],
      files,
    });
    expect(text).toBe(
      [
        'Would publish nightly-20261127-0123456 (nightly prerelease), changes since nightly-20261126-abcdef0',
        'Components (2):',
        `  bllvm-consensus  ${fakeSha('a').slice(0, 7)}  0.1.0  (changed)`,
        `  bllvm            ${fakeSha('b').slice(0, 7)}`,
        'Assets (5):',
        ...files.map((f) => `  ${f}`),
        '',
      ].join('\n'),
    );
  });

  it('names a vX.Y.Z release as such and keeps control characters off the terminal', () => {
    const text = planRelease({ tag: 'v1.0.0', components: [{ component: 'bllvm', commit: fakeSha('b'), version: '1.0.0\u001b[31m' }], files: [] });
    expect(text.split('\n')[0]).toBe('Would publish v1.0.0 (release)');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('1.0.0?[31m');
  });

  it('rejects a bad tag', () => {
    expect(() => planRelease({ tag: 'v1.2', components: [], files: [] })).toThrow(/not a release tag/);
  });
});
