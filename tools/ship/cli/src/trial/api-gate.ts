/**
 * The compatibility gate in a trial: the tried library's public API at its pin and at the head,
 * each from its `api` target (rustdoc JSON made in the build sandbox) in the scratch stack,
 * compared. The downstream builds remain the ground truth; the report shows both and flags where
 * they disagree (renderTrialReport).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type ApiComparison, ApiReadError, type PublicApi, compareApi, readRustdocApiFile } from '@bllvm/crates';
import { DIST_DIR, componentDist } from '@bllvm/manifest';
import type { TrialOutcome } from '@bllvm/orchestrator';
import type { ScratchStack } from '../scratch/scratch-stack';

/** The most changes a trial's outcome carries; the report bounds what it shows again. */
const MAX_ITEMS = 200;

export const API_TARGET = 'api';

/** The verdict the outcome carries: the classification and each change's line, breaking first. Pure. */
export function apiVerdict(c: ApiComparison): NonNullable<TrialOutcome['api']> {
  return { classification: c.classification, items: [...c.breaking, ...c.additive].slice(0, MAX_ITEMS).map((x) => x.line.slice(0, 500)) };
}

/** The component's public API in the stack's current state, or why there is none (its api task failed, or what it wrote was refused). */
export async function apiInState(stack: Pick<ScratchStack, 'dir' | 'run'>, component: string, configuration?: string): Promise<{ api: PublicApi } | { problem: string }> {
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

/** Compares what two states gave; undefined (with the reason) when either had no API. Pure. */
export function gateVerdict(before: { api: PublicApi } | { problem: string }, after: { api: PublicApi } | { problem: string }): { api: NonNullable<TrialOutcome['api']> } | { problem: string } {
  if ('problem' in before) return { problem: `no API at the pin: ${before.problem}` };
  if ('problem' in after) return { problem: `no API at the head: ${after.problem}` };
  return { api: apiVerdict(compareApi(before.api, after.api)) };
}
