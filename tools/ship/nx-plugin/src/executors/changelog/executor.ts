import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { readConfig } from '@bllvm/contract';
import { DIST_DIR, readStack, redactCredentials, releaseSetDist } from '@bllvm/manifest';
import { headCommit } from '@bllvm/orchestrator';
import { serializeReleaseHistory } from '@bllvm/release';
import { writeOutputDir } from '../../lib/atomic-output';
import { recordTask } from '../../lib/task-record';
import { collectReleaseHistory } from './history';
import type { ChangelogExecutorOptions } from './schema';

export default async function changelogExecutor(_options: ChangelogExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const started = Date.now();
  let ok = true;
  let message: string;
  try {
    const config = readConfig(context.root);
    const { graph, components } = await readStack(context.root);
    const commit = await headCommit(context.root);
    const record = await collectReleaseHistory({ root: context.root, config, log: (l) => console.log(l) }, graph, components, commit);
    const where = releaseSetDist(join(context.root, DIST_DIR)).changelog;
    // Renamed into place whole: Nx caches the folder as it finds it.
    await writeOutputDir(where.dir, async (out) => {
      await writeFile(join(out, basename(where.record)), serializeReleaseHistory(record));
      return { success: true };
    });
    const since = record.previous ? `since ${record.previous.tag ?? record.previous.commit.slice(0, 7)}` : 'first release';
    message = `release history of ${commit.slice(0, 7)} (${since})${record.changelog ? '' : ', without changelog'}`;
    console.log(`✔ ${message}`);
  } catch (e) {
    ok = false;
    message = redactCredentials((e as Error).message);
    console.error(`✖ ${message}`);
  }
  await recordTask(context, { startedAt: started, success: ok, toolMs: 0, message });
  return { success: ok };
}
