import type { ExecutorContext } from '@nx/devkit';
import { loadComponent } from '../../lib/component';
import { readConfig } from '@bllvm/contract';
import { recordTask } from '../../lib/task-record';
import { releaseProblems } from './check-component';
import { producersOf } from './producers';
import type { StageExecutorOptions } from './schema';

export default async function stageExecutor(_options: StageExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const started = Date.now();
  const project = context.projectName!;
  let problems: string[];
  let expected = { verify: false, image: false };
  try {
    const ctx = await loadComponent(context.root, project, readConfig(context.root));
    // The merged targets (inferred ones included), so each missing file names the task that makes it.
    const targets = context.projectGraph?.nodes[project]?.data.targets ?? context.projectsConfigurations?.projects[project]?.targets;
    // What to expect follows from the component itself: its kinds (an image) and its proofs (a verify target).
    expected = { verify: Object.hasOwn(targets ?? {}, 'verify'), image: ctx.self.kinds.includes('image') };
    problems = await releaseProblems(ctx, expected, producersOf(targets));
  } catch (e) {
    problems = [(e as Error).message];
  }
  for (const p of problems) console.error(`✖ ${p}`);
  if (!problems.length) console.log(`✔ ${project}: artifacts, tests${expected.verify ? ', proofs' : ''}${expected.image ? ' and image' : ''} ready to release`);
  // Every problem in the record, not only the first: with --json the record is all the caller sees.
  await recordTask(context, { startedAt: started, success: !problems.length, toolMs: 0, message: problems.length ? problems.join('; ') : undefined });
  return { success: !problems.length };
}
