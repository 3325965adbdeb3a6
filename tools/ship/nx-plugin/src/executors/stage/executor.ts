import type { ExecutorContext } from '@nx/devkit';
import { loadComponent } from '../../lib/component';
import { readConfig } from '@bllvm/contract';
import { recordTask } from '../../lib/task-record';
import { releaseProblems } from './check-component';
import { producersOf } from './producers';
import type { StageExecutorOptions } from './schema';

export default async function stageExecutor(options: StageExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const started = Date.now();
  const project = context.projectName!;
  let problems: string[];
  try {
    const ctx = await loadComponent(context.root, project, readConfig(context.root));
    // The merged targets (targetDefaults included), so each missing file names the task that makes it.
    const targets = context.projectGraph?.nodes[project]?.data.targets ?? context.projectsConfigurations?.projects[project]?.targets;
    problems = await releaseProblems(ctx, { verify: !!options.verify, image: !!options.image }, producersOf(targets));
  } catch (e) {
    problems = [(e as Error).message];
  }
  for (const p of problems) console.error(`✖ ${p}`);
  if (!problems.length) console.log(`✔ ${project}: artifacts, tests${options.verify ? ', proofs' : ''}${options.image ? ' and image' : ''} ready to release`);
  // Every problem in the record, not only the first: with --json the record is all the caller sees.
  await recordTask(context, { startedAt: started, success: !problems.length, toolMs: 0, message: problems.length ? problems.join('; ') : undefined });
  return { success: !problems.length };
}
