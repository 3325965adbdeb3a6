import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { sourceDateEpoch } from '@bllvm/hermetic';
import { checkoutCommit } from '@bllvm/sources';
import { writeFileByRename } from '../../lib/atomic-output';

/**
 * SOURCE_DATE_EPOCH for a task: the newest committer date among the checkouts it builds from (the
 * component and its upstreams, each at its pin). Read with git outside the sandbox: our question
 * to our own checkouts, not component code.
 */
export async function taskSourceDate(checkouts: readonly string[], workDir: string): Promise<number> {
  return sourceDateEpoch(await Promise.all(checkouts.map((dir) => commitDate(dir, workDir))));
}

/**
 * A commit's date is part of the commit (its hash covers it), so it is asked of git once per
 * commit and kept under the work dir, named by the commit: a folder no sandbox mounts, written by
 * this step alone. A checkout not at a plain commit is asked of git every time.
 */
async function commitDate(dir: string, workDir: string): Promise<number> {
  const commit = await checkoutCommit(dir);
  const file = commit && join(workDir, 'commit-dates', commit);
  const known = file ? parseCommitDate(await readFile(file, 'utf8').catch(() => '')) : undefined;
  if (known !== undefined) return known;
  const r = await execa('git', ['-C', dir, 'show', '-s', '--format=%ct', commit ?? 'HEAD'], { reject: false });
  const date = parseCommitDate(String(r.stdout ?? ''));
  if (r.exitCode !== 0 || date === undefined) throw new Error(`cannot read the commit date of the checkout ${dir}: ${String(r.stderr ?? '').trim() || r.shortMessage || `git printed "${String(r.stdout ?? '').trim()}"`}`);
  if (file) await writeFileByRename(file, `${date}\n`);
  return date;
}

/** Seconds since the epoch as git's %ct prints them (one line of digits), or undefined for anything else. Pure. */
export function parseCommitDate(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d{1,15}$/.test(t)) return undefined;
  return Number(t);
}
