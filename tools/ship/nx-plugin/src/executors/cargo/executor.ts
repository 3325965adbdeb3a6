import type { ExecutorContext } from '@nx/devkit';
import { loadComponent } from '../../lib/component';
import { appendRunLog } from '../../lib/run-log';
import { runCargoTask } from './run-cargo';
import type { CargoExecutorOptions } from './schema';

export default async function cargoExecutor(options: CargoExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const started = Date.now();
  const project = context.projectName!;
  const target = context.targetName!;
  let result: { success: boolean; message: string; toolMs: number };
  try {
    const ctx = await loadComponent(context.root, project);
    result = await runCargoTask(ctx, options, {
      outDir: ctx.self.dist[options.command].dir,
      log: (l) => console.log(l),
    });
  } catch (e) {
    result = { success: false, message: (e as Error).message, toolMs: 0 };
  }
  (result.success ? console.log : console.error)(`${result.success ? '✔' : '✖'} ${result.message}`);
  await appendRunLog({ project, target, success: result.success, durationMs: Date.now() - started, toolMs: result.toolMs, message: result.message });
  return { success: result.success };
}
