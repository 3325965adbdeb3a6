import { isAttestationFile } from '@bllvm/attest';
import type { ExpectedAsset, GitHubClient, Release } from '@bllvm/github';
import { OrchestratorError } from '@bllvm/manifest';
import type { AssetsOutcome } from './upload-assets';

/**
 * What to verify after the upload step, or undefined for nothing: a kept release is always
 * checked against what it holds; our upload against what was staged, except in a dry run (nothing
 * was uploaded). Pure.
 */
export function verificationOf(outcome: AssetsOutcome, tag: string, dryRun: boolean): { release: Release; expected: ExpectedAsset[]; failure: string } | undefined {
  if (outcome.kind === 'theirs') return { release: outcome.release, expected: outcome.expected, failure: `release ${tag} is inconsistent` };
  if (dryRun) return undefined;
  const expected = outcome.staged.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256 }));
  return { release: outcome.release, expected, failure: `release ${tag} does not match what was staged` };
}

/** Check the release's assets (size and sha256) against what they must be. */
export async function verifyAssets(client: GitHubClient, outcome: AssetsOutcome, tag: string, dryRun: boolean): Promise<void> {
  const check = verificationOf(outcome, tag, dryRun);
  if (!check) return;
  const problems = await client.verifyReleaseAssets(check.release, check.expected, undefined, isAttestationFile);
  if (problems.length) throw new ReleaseAssetsError(`${check.failure}:\n  ${problems.join('\n  ')}`);
}

/** The release holds wrong, missing or foreign assets: every one is named; a repair is explicit. */
export class ReleaseAssetsError extends OrchestratorError {
  override readonly name = 'ReleaseAssetsError';
}
