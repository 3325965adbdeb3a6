import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type ApiComparison, ApiReadError, type PublicApi, compareApi, readRustdocApiFile } from '@bllvm/crates';
import { DIST_DIR, componentDist } from '@bllvm/manifest';
import type { ScratchStack } from './scratch-stack';

/** The target that documents a library's public API as rustdoc JSON (dist/<c>/api/<crate>.json). */
export const API_TARGET = 'api';

/** A library's public API in one state of a scratch stack, or why it has none. */
export type ApiState = { api: PublicApi } | { problem: string };

/** The component's public API in the stack's current state, or why there is none (its api task failed, or what it wrote was refused). */
export async function apiInState(stack: Pick<ScratchStack, 'dir' | 'run'>, component: string, configuration?: string): Promise<ApiState> {
  const run = await stack.run([component], [API_TARGET], configuration);
  const task = run.tasks.find((t) => t.project === component && t.target === API_TARGET);
  if (!task || task.status === 'failed' || task.status === 'skipped') return { problem: `${component}:${API_TARGET} ${task ? task.status : 'did not run'}${task?.message ? `: ${task.message.split('\n')[0]!.slice(0, 200)}` : ''}` };
  const dir = join(componentDist(join(stack.dir, DIST_DIR), component).dir, API_TARGET);
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json'));
  if (files.length !== 1) return { problem: `${component}:${API_TARGET} left ${files.length} JSON files in ${DIST_DIR}/${component}/${API_TARGET}, not one` };
  try {
    return { api: await readRustdocApiFile(join(dir, files[0]!)) };
  } catch (e) {
    if (e instanceof ApiReadError) return { problem: e.message };
    throw e;
  }
}

/** Two states' APIs compared, or why not: the problem of the first side without one, after its label. Pure. */
export function compareStates(before: ApiState, after: ApiState, labels: { before: string; after: string }): { comparison: ApiComparison } | { problem: string } {
  if ('problem' in before) return { problem: `${labels.before}: ${before.problem}` };
  if ('problem' in after) return { problem: `${labels.after}: ${after.problem}` };
  return { comparison: compareApi(before.api, after.api) };
}
