import { execa } from 'execa';
import { CommandError } from './command';

/** Resolve a revision in this repository, with a clear error for a ref that does not exist. */
export async function resolveRevision(cwd: string, rev: string): Promise<string> {
  const r = await execa('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { cwd, reject: false });
  if (r.exitCode !== 0) throw new CommandError(`unknown revision "${rev.slice(0, 80)}" in ${cwd} (fetch it first, e.g. git fetch origin tag ${rev})`);
  return r.stdout.trim();
}

/** Files changed between `base` and the working tree (committed, staged, unstaged and untracked). */
export async function changedFilesSince(cwd: string, base: string): Promise<string[]> {
  const diff = await execa('git', ['diff', '--name-only', '--end-of-options', base], { cwd });
  const untracked = await execa('git', ['ls-files', '--others', '--exclude-standard'], { cwd });
  return [...new Set([...lines(diff.stdout), ...lines(untracked.stdout)])].sort();
}

/** A file's content at a revision, or undefined where it did not exist. */
export async function showFile(cwd: string, rev: string, path: string): Promise<string | undefined> {
  const r = await execa('git', ['show', `${rev}:${path}`], { cwd, reject: false });
  return r.exitCode === 0 ? r.stdout : undefined;
}

function lines(s: string): string[] {
  return s.split('\n').filter(Boolean);
}
