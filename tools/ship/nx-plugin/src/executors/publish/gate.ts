import { headCommit, uncommittedPins } from '@bllvm/orchestrator';
import type { PublishRequest } from './request';

/** Why pins with uncommitted changes cannot be released, or undefined when there are none. Pure. */
export function uncommittedPinsProblem(dirty: readonly string[]): string | undefined {
  if (!dirty.length) return undefined;
  return `pins have uncommitted changes (${dirty.join(', ')}); commit them first: a release must be of a recorded set of pins`;
}

/** Why HEAD is not the commit a nightly tag names, or undefined when it is (or the tag names none). Pure. */
export function tagCommitProblem(req: Pick<PublishRequest, 'tag' | 'nightly' | 'tagSha'>, head: string): string | undefined {
  if (!req.nightly || head.startsWith(req.tagSha!)) return undefined;
  return `tag ${req.tag} names orchestrator commit ${req.tagSha}, but HEAD is ${head.slice(0, 7)}`;
}

/**
 * Release only a recorded set of pins, and for a nightly only the commit its tag names.
 * Returns the orchestrator commit being released.
 */
export async function gateReleaseSet(req: PublishRequest): Promise<string> {
  const dirty = uncommittedPinsProblem(await uncommittedPins(req.root));
  if (dirty) throw new Error(dirty);
  const head = await headCommit(req.root);
  const mismatch = tagCommitProblem(req, head);
  if (mismatch) throw new Error(mismatch);
  return head;
}
