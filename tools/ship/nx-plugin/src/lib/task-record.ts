import type { ExecutorContext } from '@nx/devkit';
import { type TaskRecord, writeTaskRecord } from '@bllvm/contract';

/** Leave this task's record (outcome line, tool time) where the CLI's task runner looks for it. */
export async function recordTask(context: ExecutorContext, r: Omit<TaskRecord, 'task' | 'endedAt'>): Promise<void> {
  await writeTaskRecord(context.root, { project: context.projectName!, target: context.targetName!, configuration: context.configurationName }, r);
}
