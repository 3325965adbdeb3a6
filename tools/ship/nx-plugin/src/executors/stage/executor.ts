import type { ExecutorContext } from '@nx/devkit';
import { loadComponent } from '../../lib/component';
import { appendRunLog } from '../../lib/run-log';
import { releaseProblems } from './check-component';
import type { StageExecutorOptions } from './schema';

export default async function stageExecutor(options: StageExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const started = Date.now();
  const project = context.projectName!;
  let problems: string[];
  try {
    const ctx = await loadComponent(context.root, project);
    problems = await releaseProblems(ctx, { verify: !!options.verify, image: !!options.image });
  } catch (e) {
    problems = [(e as Error).message];
  }
  for (const p of problems) console.error(`✖ ${p}`);
  if (!problems.length) console.log(`✔ ${project}: artifacts, tests${options.verify ? ', proofs' : ''}${options.image ? ' and image' : ''} ready to release`);
  await appendRunLog({ project, target: context.targetName!, success: !problems.length, durationMs: Date.now() - started, toolMs: 0, message: problems[0] });
  return { success: !problems.length };
}
