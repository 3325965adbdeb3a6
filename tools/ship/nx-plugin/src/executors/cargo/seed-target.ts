import { mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { execa } from 'execa';
import { paths } from '@bllvm/sources';
import type { ComponentContext } from '../../lib/component';

/**
 * Each component has its own target dir (a shared one races between parallel tasks), so a cold
 * build would compile every upstream crate again. Starting from a copy of the closest direct
 * upstream's finished build dir (complete: `^build` ran first) lets cargo reuse those crates.
 */
export async function seedTargetDir(ctx: ComponentContext, purpose: string, log: (line: string) => void): Promise<void> {
  const target = paths.targetDir(ctx.sources, ctx.component, purpose);
  if (existsSync(target)) return;
  const order = ctx.graph.components;
  const seed = [...(ctx.graph.dependencies[ctx.component] ?? [])]
    .sort((a, b) => order.indexOf(b) - order.indexOf(a))
    .map((up) => paths.targetDir(ctx.sources, up, purpose))
    .find((dir) => existsSync(dir));
  if (!seed) return;
  await mkdir(dirname(target), { recursive: true });
  const r = await execa('cp', ['-a', '--reflink=auto', seed, target], { reject: false });
  if (r.exitCode !== 0) {
    await rm(target, { recursive: true, force: true });
    log(`note: could not seed ${target} from ${seed} (${String(r.stderr).trim()}); building from scratch`);
  } else log(`seeded the target dir from ${seed}`);
}
