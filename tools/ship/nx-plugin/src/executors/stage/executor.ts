import type { ExecutorContext } from '@nx/devkit';
import { loadComponent } from '../../lib/component';
import { readConfig } from '@bllvm/contract';
import { recordTask } from '../../lib/task-record';
import { releaseProblems } from './check-component';
import type { StageExecutorOptions } from './schema';

export default async function stageExecutor(options: StageExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const started = Date.now();
  const project = context.projectName!;
  let problems: string[];
  try {
    const ctx = await loadComponent(context.root, project, readConfig(context.root));
    problems = await releaseProblems(ctx, { verify: !!options.verify, image: !!options.image });
  } catch (e) {
    problems = [(e as Error).message];
  }
  for (const p of problems) console.error(`✖ ${p}`);
  if (!problems.length) console.log(`✔ ${project}: artifacts, tests${options.verify ? ', proofs' : ''}${options.image ? ' and image' : ''} ready to release`);
  await recordTask(context, { startedAt: started, success: !problems.length, toolMs: 0, message: problems[0] });
  return { success: !problems.length };
}
