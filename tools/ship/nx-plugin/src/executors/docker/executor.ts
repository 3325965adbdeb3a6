import type { ExecutorContext } from '@nx/devkit';
import { join } from 'node:path';
import { DIST_DIR, componentDist, redactCredentials } from '@bllvm/manifest';
import { readConfig } from '@bllvm/contract';
import { recordTask } from '../../lib/task-record';
import { runDockerTask } from './run-docker';
import type { DockerExecutorOptions } from './schema';

export default async function dockerExecutor(options: DockerExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const started = Date.now();
  const project = context.projectName!;
  let result: { success: boolean; message: string; toolMs: number };
  try {
    const { workDir } = readConfig(context.root);
    result = await runDockerTask(options, {
      workspaceRoot: context.root,
      component: project,
      dist: componentDist(join(context.root, DIST_DIR), project),
      workDir,
      contextDir: join(workDir, 'docker-context', project),
      log: (l) => console.log(l),
    });
  } catch (e) {
    result = { success: false, message: redactCredentials((e as Error).message), toolMs: 0 };
  }
  (result.success ? console.log : console.error)(`${result.success ? '✔' : '✖'} ${result.message}`);
  await recordTask(context, { startedAt: started, success: result.success, toolMs: result.toolMs, message: result.message });
  return { success: result.success };
}
