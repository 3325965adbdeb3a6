import { describe, expect, it } from 'vitest';
import { GitHubApiError } from '@bllvm/github';
import { DeploySignalError, resendDeployCommand } from './deploy';
import { failureMessage } from './executor';
import { ReleaseAssetsError } from './verify-assets';

describe('publish failure messages', () => {
  it('a failed deploy signal says the release is published and how to resend only the signal', () => {
    const e = new DeploySignalError('v1.2.3', 'sendDeploy BTCDecoded/governance-app failed: HTTP 404: Not Found');
    expect(failureMessage(e)).toBe(
      'published v1.2.3; deploy signal failed: sendDeploy BTCDecoded/governance-app failed: HTTP 404: Not Found; resend it with npx nx run release-set:release --tag=v1.2.3 --deployOnly --excludeTaskDependencies',
    );
    expect(resendDeployCommand('v1.2.3')).toContain('--deployOnly');
  });

  it('foreign or wrong assets point at the explicit repair, not at a rerun that would find them again', () => {
    const foreign = new GitHubApiError({ operation: 'uploadAssets', owner: 'o', repo: 'r', tag: 'v1', asset: 'install.sh' }, { code: 'foreign_assets', reason: 'install.sh: foreign asset' });
    for (const e of [foreign, new ReleaseAssetsError('release v1 is inconsistent:\n  install.sh: foreign asset')]) {
      expect(failureMessage(e)).toMatch(/install\.sh: foreign asset\n-- to repair the release .*rerun with BLLVM_REPLACE_ASSETS=1/);
      expect(failureMessage(e)).not.toContain('nothing is lost');
    }
  });

  it('anything else converges: the same command completes the release', () => {
    expect(failureMessage(new Error('upload failed'))).toBe('upload failed -- nothing is lost: rerun the same command to complete the release');
  });
});
