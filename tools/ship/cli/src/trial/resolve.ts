/** A trial's <ref> resolved to the commit it names in the component's mirror (fetched first: a pull request's head moves). */
import type { SourcesConfig } from '@bllvm/sources';
import { ensureMirror, git } from '@bllvm/sources';
import { CommandError } from '../command';
import { mirrorRefName, parseTrialRef, TrialRefError } from './ref';

export async function resolveTrialRef(config: SourcesConfig, repository: string, component: string, ref: string): Promise<string> {
  let parsed;
  try {
    parsed = parseTrialRef(ref);
  } catch (e) {
    if (e instanceof TrialRefError) throw new CommandError(e.message);
    throw e;
  }
  // A full sha needs a fetch only when the mirror lacks it; a branch or a pull request head is fetched every time.
  const full = parsed.kind === 'sha' && parsed.sha.length === 40 ? parsed.sha : undefined;
  const mirror = await ensureMirror(config, repository, full ? { component } : { component, refresh: true });
  // A commit the mirror lacks: fetched; one no ref reaches stays missing, and the message below says so.
  if (full) await ensureMirror(config, repository, { component, commit: full }).catch(() => undefined);
  const r = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', mirrorRefName(parsed)], { cwd: mirror });
  const sha = r.ok ? r.stdout.trim() : '';
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new CommandError(`ref "${ref}" does not exist in ${repository} (a branch, pull/<n>/head or a commit of it)`);
  return sha;
}
