import { describe, expect, it } from 'vitest';
import type { Release, ReleaseAsset, UploadResult } from '@bllvm/github';
import { heldAssets, samePins } from './same-set';
import { releaseAssets } from './upload-assets';
import { verificationOf } from './verify-assets';

function asset(name: string, extra: Partial<ReleaseAsset> = {}): ReleaseAsset {
  return { id: name.length, name, size: 10, state: 'uploaded', sha256: `sha-${name}`, contentType: 'application/octet-stream', apiUrl: `api/${name}`, browserDownloadUrl: `dl/${name}`, ...extra };
}

function release(assets: ReleaseAsset[], planned?: true): Release {
  const r: Release = {
    owner: 'o', repo: 'r', id: 1, tag: 'v1.0.0', name: 'v1.0.0', body: '', draft: false, prerelease: false, targetCommitish: 'c',
    createdAt: '', publishedAt: null, htmlUrl: 'html', uploadUrl: 'up', assets,
  };
  return planned ? { ...r, planned } : r;
}

describe('a release that already holds the set', () => {
  it('holds it only when every asset is fully uploaded with a known sha256', () => {
    expect(heldAssets(release([asset('a'), asset('b', { size: 7 })]), ['a', 'b'])).toEqual([
      { name: 'a', size: 10, sha256: 'sha-a' },
      { name: 'b', size: 7, sha256: 'sha-b' },
    ]);
    expect(heldAssets(release([asset('a')]), ['a', 'b'])).toBeUndefined();
    expect(heldAssets(release([asset('a', { state: 'starter' })]), ['a'])).toBeUndefined();
    expect(heldAssets(release([asset('a', { sha256: null })]), ['a'])).toBeUndefined();
    expect(heldAssets(release([asset('a')], true), ['a'])).toBeUndefined();
  });

  it('is the same set when the orchestrator commit and the component commits agree', () => {
    const m = { orchestratorCommit: 'o1', components: [{ component: 'a', commit: 'c1' }] };
    expect(samePins(m, { ...m, components: [{ component: 'a', commit: 'c1' }] })).toBe(true);
    expect(samePins(m, { ...m, orchestratorCommit: 'o2' })).toBe(false);
    expect(samePins(m, { ...m, components: [{ component: 'a', commit: 'c2' }] })).toBe(false);
    expect(samePins({}, { components: [] })).toBe(true);
  });
});

describe('after the upload step', () => {
  const staged = [{ name: 'a', path: '/s/a', size: 3, sha256: 'x' }];
  const upload = (name: string, action: UploadResult['action'], a: ReleaseAsset | null): UploadResult => ({ name, action, size: 3, sha256: 'x', asset: a, dryRun: false });

  it('verifies a kept release against what it holds, even in a dry run', () => {
    const theirs = release([asset('a')]);
    const expected = [{ name: 'a', size: 10, sha256: 'sha-a' }];
    expect(verificationOf({ kind: 'theirs', release: theirs, expected }, 'v1.0.0', true)).toEqual({ release: theirs, expected, failure: 'release v1.0.0 is inconsistent' });
    expect(releaseAssets({ kind: 'theirs', release: theirs, expected })).toEqual(theirs.assets);
  });

  it('verifies our upload against what was staged, except in a dry run', () => {
    const ours = release([asset('old')]);
    const outcome = { kind: 'ours' as const, release: ours, staged, uploads: [upload('a', 'uploaded', asset('a')), upload('b', 'uploaded', null)] };
    expect(verificationOf(outcome, 'v1.0.0', false)).toEqual({ release: ours, expected: [{ name: 'a', size: 3, sha256: 'x' }], failure: 'release v1.0.0 does not match what was staged' });
    expect(verificationOf(outcome, 'v1.0.0', true)).toBeUndefined();
    expect(releaseAssets(outcome).map((a) => a.name)).toEqual(['a', 'old']);
  });
});
