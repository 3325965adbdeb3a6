import type { ExecutorContext } from '@nx/devkit';
import { configSecrets, readConfig } from '@bllvm/contract';
import { redactCredentials } from '@bllvm/manifest';
import { resolveReleaseTag } from '../../lib/release-tag';
import { recordTask } from '../../lib/task-record';
import { GitHubApiError } from '@bllvm/github';
import { CratesNotPublishedError } from './crates';
import { DeploySignalError } from './deploy';
import { type PublishProgress, afterPublishedMessage, isUnanswered, publishOutcome, stoppedMessage } from './progress';
import { publishReleaseSet } from './run-publish';
import { ReleaseAssetsError } from './verify-assets';
import type { PublishExecutorOptions } from './schema';

export default async function publishExecutor(options: PublishExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const started = Date.now();
  let ok = true;
  let message = '';
  // Until the configuration is read only the shapes of credentials are known; then their values.
  let secrets: string[] = [];
  const say = (l: string) => console.log(redactCredentials(l, secrets));
  let progress: PublishProgress | undefined;
  try {
    const config = readConfig(context.root);
    secrets = configSecrets(config);
    const tag = await resolveReleaseTag(context.root, options.tag);
    const dryRun = options.dryRun === true;
    const result = await publishReleaseSet(options, {
      workspaceRoot: context.root,
      tag,
      dryRun,
      pushRemote: options.pushRemote || undefined,
      config,
      log: say,
      onProgress: (p) => (progress = p),
    });
    message = options.stageOnly ? `staged ${tag} (${result.assets.length} files), published nothing` : dryRun ? `dry run of ${tag}: ${result.writes.length} write(s) would be made, none was` : `published ${tag}: ${result.releaseUrl}`;
    if (dryRun) for (const w of result.writes) say(`  would ${w}`);
    say(`✔ ${message}`);
  } catch (e) {
    ok = false;
    message = redactCredentials(failureMessage(e, progress), secrets);
    console.error(`✖ publish: ${message}`);
  }
  await recordTask(context, { startedAt: started, success: ok, toolMs: 0, message, ...(progress ? { publish: publishOutcome(progress) } : {}) });
  return { success: ok };
}

/**
 * What a person reads when publishing fails. Every publishing step converges, so the same command
 * completes the release; except when the release holds assets that are not ours (a rerun would
 * find them again: the repair is explicit), or when only the deploy signal failed (its message
 * says how to resend just that). When GitHub stopped answering, or a step after the release went
 * public failed, it says what is done, what is not, and what the rerun does. Pure.
 */
export function failureMessage(e: unknown, progress?: PublishProgress): string {
  const message = (e as Error).message;
  // Already says the release is published and how to resend only the signal.
  if (e instanceof DeploySignalError) return message;
  // Already says which crates are out, that nothing else is, and that the rerun continues.
  if (e instanceof CratesNotPublishedError) return message;
  if (progress && isUnanswered(e)) return stoppedMessage(progress, e);
  if (progress?.published) return afterPublishedMessage(progress, message);
  // These already say that nothing is lost and to rerun.
  if (e instanceof GitHubApiError && (e.code === 'deadline' || e.code === 'gateway')) return message;
  if (e instanceof ReleaseAssetsError || (e instanceof GitHubApiError && (e.code === 'foreign_assets' || e.code === 'asset_conflict'))) {
    return `${message.trimEnd()}\n-- to repair the release (replace the wrong assets, delete the foreign ones, then verify), rerun with BLLVM_REPLACE_ASSETS=1 (the replaceAssets option)`;
  }
  return `${message} -- nothing is lost: rerun the same command to complete the release`;
}
