import type { ExecutorContext } from '@nx/devkit';
import { readConfig } from '@bllvm/contract';
import { redactCredentials } from '@bllvm/manifest';
import { resolveReleaseTag } from '../../lib/release-tag';
import { recordTask } from '../../lib/task-record';
import { publishReleaseSet } from './run-publish';
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
    message = dryRun ? `dry run of ${tag}: ${result.writes.length} write(s) would be made, none was` : `published ${tag}: ${result.releaseUrl}`;
    if (dryRun) for (const w of result.writes) console.log(`  would ${w}`);
    console.log(`✔ ${message}`);
  } catch (e) {
    ok = false;
    // Every publishing step converges, so the same command is always the repair.
    message = `${redactCredentials((e as Error).message)} -- nothing is lost: rerun the same command to complete the release`;
    console.error(`✖ publish: ${message}`);
  }
  await recordTask(context, { startedAt: started, success: ok, toolMs: 0, message });
  return { success: ok };
}
