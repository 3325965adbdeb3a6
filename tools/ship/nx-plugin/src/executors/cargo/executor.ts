import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { loadComponent } from '../../lib/component';
import { readConfig } from '@bllvm/contract';
import { redactCredentials } from '@bllvm/manifest';
import { recordTask } from '../../lib/task-record';
import { runCargoTask } from './run-cargo';
import { runPackageTask } from './package-crate';
import { runApiTask } from './api-crate';
import type { CargoExecutorOptions } from './schema';

export default async function cargoExecutor(options: CargoExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const started = Date.now();
  const project = context.projectName!;
  const target = context.targetName!;
  let result: { success: boolean; message: string; toolMs: number };
  try {
    const ctx = await loadComponent(context.root, project, readConfig(context.root));
    const outDir = options.command === 'package' ? ctx.self.dist.crate.dir : options.command === 'api' ? join(ctx.self.dist.dir, 'api') : ctx.self.dist[options.command].dir;
    const io = { outDir, log: (l: string) => console.log(l) };
    result = options.command === 'package' ? await runPackageTask(ctx, options, io) : options.command === 'api' ? await runApiTask(ctx, options, io) : await runCargoTask(ctx, options, io);
  } catch (e) {
    result = { success: false, message: redactCredentials((e as Error).message), toolMs: 0 };
  }
  (result.success ? console.log : console.error)(`${result.success ? '✔' : '✖'} ${result.message}`);
  await recordTask(context, { startedAt: started, success: result.success, toolMs: result.toolMs, message: result.message });
  return { success: result.success };
}
