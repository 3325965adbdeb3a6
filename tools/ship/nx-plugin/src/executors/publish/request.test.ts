import { describe, expect, it } from 'vitest';
import { readConfig } from '@bllvm/contract';
import { DEFAULT_DEADLINE_MINUTES, normalizePublishRequest, publishDeadline } from './request';

const io = { workspaceRoot: '/w', tag: 'nightly-20260102-abcdef1', dryRun: false, config: readConfig('/w', { GITHUB_REPOSITORY: 'BTCDecoded/bllvm' }), log: () => {} };

describe('publish request', () => {
  it('reads the tag, defaults the options and names the staging folder', () => {
    const req = normalizePublishRequest({}, io);
    expect(req).toMatchObject({
      tag: 'nightly-20260102-abcdef1',
      nightly: true,
      tagSha: 'abcdef1',
      keepNightlies: 14,
      owner: 'BTCDecoded',
      repo: 'bllvm',
      deployComponent: undefined,
      replaceAssets: false,
      pushImage: false,
      outDir: '/w/dist/release/nightly-20260102-abcdef1',
    });
    expect(req.config.workDir).toBe('/w/.bllvm');
  });

  it('takes the repository from the options, else GITHUB_REPOSITORY, and the switches from the options, else the configuration', () => {
    const config = readConfig('/w', { GITHUB_REPOSITORY: 'o/r', BLLVM_REPLACE_ASSETS: '1', BLLVM_IMAGE_PUSH: '1' });
    expect(normalizePublishRequest({}, { ...io, tag: 'v1.2.3', config })).toMatchObject({ owner: 'o', repo: 'r', nightly: false, tagSha: undefined, replaceAssets: true, pushImage: true });
    expect(normalizePublishRequest({ repository: 'a/b', deployComponent: 'x' }, { ...io, config })).toMatchObject({ owner: 'a', repo: 'b', deployComponent: 'x' });
    expect(normalizePublishRequest({ replaceAssets: false, imagePush: false }, { ...io, config })).toMatchObject({ replaceAssets: false, pushImage: false });
  });

  it('publishes nowhere it was not told to: no repository configured is an error, no deployComponent no deploy signal', () => {
    expect(() => normalizePublishRequest({}, { ...io, config: readConfig('/w', {}) })).toThrow(/no repository to publish to: set the release target's "repository" option or GITHUB_REPOSITORY/);
    expect(normalizePublishRequest({ repository: 'a/b' }, { ...io, config: readConfig('/w', {}) }).deployComponent).toBeUndefined();
  });

  it('gives the whole publish one deadline: the configured minutes from its start, else a few minutes plus the upload time of what was staged', () => {
    const at = { ...io, now: 1_000 };
    // Configured (the option, else BLLVM_PUBLISH_DEADLINE_MINUTES): exactly that, whatever was staged.
    expect(publishDeadline(normalizePublishRequest({ deadlineMinutes: 0.5 }, at), 10 ** 9).getTime()).toBe(31_000);
    const fromEnv = readConfig('/w', { GITHUB_REPOSITORY: 'o/r', BLLVM_PUBLISH_DEADLINE_MINUTES: '2' });
    expect(publishDeadline(normalizePublishRequest({}, { ...at, config: fromEnv }), 10 ** 9).getTime()).toBe(121_000);
    expect(publishDeadline(normalizePublishRequest({ deadlineMinutes: 1 }, { ...at, config: fromEnv }), 0).getTime()).toBe(61_000);
    // Unset: a few minutes for the conversation with GitHub, plus the staged bytes at the slowest
    // rate the per-request limits allow (so the deadline never cuts an upload they would let finish).
    expect(DEFAULT_DEADLINE_MINUTES).toBe(5);
    expect(publishDeadline(normalizePublishRequest({}, at), 0).getTime()).toBe(1_000 + 5 * 60_000);
    expect(publishDeadline(normalizePublishRequest({}, at), 256 * 1024 * 60).getTime()).toBe(1_000 + 6 * 60_000);
    expect(() => normalizePublishRequest({ deadlineMinutes: 0 }, io)).toThrow('deadlineMinutes must be a positive number of minutes, got 0');
    expect(normalizePublishRequest({ deployOnly: true }, io).deployOnly).toBe(true);
    expect(normalizePublishRequest({}, io).deployOnly).toBe(false);
  });

  it('refuses a bad tag or a keepNightlies that would delete the nightly just published', () => {
    expect(() => normalizePublishRequest({}, { ...io, tag: 'nightly-latest' })).toThrow(/not a release tag/);
    expect(() => normalizePublishRequest({ keepNightlies: 0 }, io)).toThrow('keepNightlies must be a whole number of at least 1, got 0');
    expect(() => normalizePublishRequest({ keepNightlies: 1.5 }, io)).toThrow('got 1.5');
  });
});
