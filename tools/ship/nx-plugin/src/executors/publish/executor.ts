import type { ExecutorContext } from '@nx/devkit';
import { readConfig } from '@bllvm/contract';
import { redactCredentials } from '@bllvm/manifest';
import { resolveReleaseTag } from '../../lib/release-tag';
import { recordTask } from '../../lib/task-record';
import { GitHubApiError } from '@bllvm/github';
import { DeploySignalError } from './deploy';
import { publishReleaseSet } from './run-publish';
import { ReleaseAssetsError } from './verify-assets';
import type { PublishExecutorOptions } from './schema';

export default async function publishExecutor(options: PublishExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const started = Date.now();
  let ok = true;
  let message = '';
  try {
    const config = readConfig(context.root);
    const tag = await resolveReleaseTag(context.root, options.tag);
    const dryRun = options.dryRun === true;
    const result = await publishReleaseSet(options, {
      workspaceRoot: context.root,
      tag,
      dryRun,
      pushRemote: options.pushRemote || undefined,
      config,
      log: (l) => console.log(l),
    });
    message = options.stageOnly ? `staged ${tag} (${result.assets.length} files), published nothing` : dryRun ? `dry run of ${tag}: ${result.writes.length} write(s) would be made, none was` : `published ${tag}: ${result.releaseUrl}`;
    if (dryRun) for (const w of result.writes) console.log(`  would ${w}`);
    console.log(`✔ ${message}`);
  } catch (e) {
    ok = false;
    message = redactCredentials(failureMessage(e));
    console.error(`✖ publish: ${message}`);
  }
  await recordTask(context, { startedAt: started, success: ok, toolMs: 0, message });
  return { success: ok };
}

/**
 * What a person reads when publishing fails. Every publishing step converges, so the same command
 * completes the release; except when the release holds assets that are not ours (a rerun would
 * find them again: the repair is explicit), or when only the deploy signal failed (its message
 * says how to resend just that).
 */
export function failureMessage(e: unknown): string {
  const message = (e as Error).message;
  // These already say that nothing is lost and to rerun.
  if (e instanceof DeploySignalError || (e instanceof GitHubApiError && (e.code === 'deadline' || e.code === 'gateway'))) return message;
  if (e instanceof ReleaseAssetsError || (e instanceof GitHubApiError && (e.code === 'foreign_assets' || e.code === 'asset_conflict'))) {
    return `${message.trimEnd()}\n-- to repair the release (replace the wrong assets, delete the foreign ones, then verify), rerun with BLLVM_REPLACE_ASSETS=1 (the replaceAssets option)`;
  }
  return `${message} -- nothing is lost: rerun the same command to complete the release`;
}
