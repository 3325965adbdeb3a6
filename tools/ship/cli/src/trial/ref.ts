/**
 * What a trial's <ref> names, pure: a commit (7 to 40 hex digits), a pull request's head
 * (`pull/<n>/head`, as GitHub publishes it) or a branch. A ref is never passed to git unchecked.
 */
import { refProblem } from '@bllvm/manifest';

export type TrialRef = { kind: 'sha'; sha: string } | { kind: 'pull'; number: number } | { kind: 'branch'; branch: string };

export class TrialRefError extends Error {
  override name = 'TrialRefError';
}

const SHA = /^[0-9a-f]{7,40}$/;
const PULL = /^(?:refs\/)?pull\/([1-9][0-9]{0,8})\/head$/;

export function parseTrialRef(ref: string): TrialRef {
  if (SHA.test(ref)) return { kind: 'sha', sha: ref };
  const pull = PULL.exec(ref);
  if (pull) return { kind: 'pull', number: Number(pull[1]) };
  if (/^pull\//.test(ref)) throw new TrialRefError(`ref "${printable(ref)}" is not a pull request head: write pull/<number>/head`);
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
  const problem = refProblem(branch);
  if (problem) throw new TrialRefError(`ref "${printable(ref)}" is neither a commit, pull/<n>/head nor a branch: ${problem}`);
  return { kind: 'branch', branch };
}

/** The name to resolve in a bare mirror, which holds every ref of its remote (refs/pull/* too, on GitHub). */
export function mirrorRefName(ref: TrialRef): string {
  switch (ref.kind) {
    case 'sha':
      return `${ref.sha}^{commit}`;
    case 'pull':
      return `refs/pull/${ref.number}/head^{commit}`;
    case 'branch':
      return `refs/heads/${ref.branch}^{commit}`;
  }
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').slice(0, 80);
}
