import { describe, expect, it } from 'vitest';
import type { ImageRecord } from '@bllvm/manifest';
import type { ReleaseAsset } from '@bllvm/github';
import { archiveReference, deployTarget } from './deploy';

const image: ImageRecord = {
  component: 'governance-app', image: 'ghcr.io/o/governance-app:abc', tags: [], imageId: 'sha256:1', labels: {},
  archive: { name: 'governance-app.oci.tar', size: 1, sha256: 's' }, commit: 'abc', builtAt: '',
};

describe('deploy signal', () => {
  it('goes to the deploy component\'s repository, only when it built an image', () => {
    const set = {
      components: [{ name: 'governance-app', repository: 'Org/governance-app', image }, { name: 'bllvm', repository: 'Org/bllvm' }],
    };
    expect(deployTarget('governance-app', set)).toEqual({ image, owner: 'Org', repo: 'governance-app' });
    expect(deployTarget('bllvm', set)).toBeUndefined();
    expect(deployTarget('absent', set)).toBeUndefined();
  });

  it('names the image archive on the release, else the image reference', () => {
    const a = { name: 'governance-app-abc.oci.tar', browserDownloadUrl: 'https://h/dl/governance-app-abc.oci.tar' } as ReleaseAsset;
    expect(archiveReference(image, [{ name: 'SHA256SUMS' } as ReleaseAsset, a])).toBe('https://h/dl/governance-app-abc.oci.tar');
    expect(archiveReference(image, [{ name: 'SHA256SUMS' } as ReleaseAsset])).toBe('ghcr.io/o/governance-app:abc');
  });
});
