/**
 * versions.toml back to the last good set: the file as the previous release's commit had it,
 * committed on its own (nothing else staged goes with it). Nothing is pushed: the operator
 * reviews and pushes, as after `version`.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { VERSIONS_FILE } from '@bllvm/manifest';
import { identityArgs } from '@bllvm/orchestrator';
import { git, gitReason } from '@bllvm/sources';
import { CommandError } from '../command';

export type RestoreOutcome = { done: 'committed'; commit: string } | { done: 'unchanged' };

/** The file at `commit`, byte for byte (git's output as it is, final newline included). */
async function fileAt(root: string, commit: string): Promise<string> {
  const r = await execa('git', ['cat-file', 'blob', `${commit}:${VERSIONS_FILE}`], { cwd: root, reject: false, stripFinalNewline: false, env: { GIT_CONFIG_NOSYSTEM: '1' } });
  if (r.exitCode !== 0) throw new CommandError(`cannot read ${VERSIONS_FILE} at ${commit.slice(0, 7)}: ${String(r.stderr).trim().split('\n').pop()}`);
  return String(r.stdout);
}

/** What `restoreVersions` would write, and whether it differs from the file now. */
export async function versionsAt(root: string, commit: string): Promise<{ text: string; differs: boolean }> {
  const text = await fileAt(root, commit);
  const now = await readFile(join(root, VERSIONS_FILE), 'utf8').catch(() => undefined);
  return { text, differs: now !== text };
}

export async function restoreVersions(root: string, goodCommit: string, message: string): Promise<RestoreOutcome> {
  const dirty = await git(['status', '--porcelain', '--', VERSIONS_FILE], { cwd: root });
  if (!dirty.ok) throw new CommandError(`cannot read the state of ${VERSIONS_FILE}: ${gitReason(dirty)}`);
  const { text, differs } = await versionsAt(root, goodCommit);
  if (dirty.stdout && differs) throw new CommandError(`${VERSIONS_FILE} has uncommitted changes; commit or drop them, then rerun with --resume`);
  if (!differs && !dirty.stdout) return { done: 'unchanged' };
  if (differs) {
    const file = join(root, VERSIONS_FILE);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, text);
    await rename(tmp, file);
  }
  // --only: the commit holds versions.toml and nothing else that may be staged.
  const c = await git([...(await identityArgs(root)), 'commit', '--quiet', '--only', '-m', message, '--', VERSIONS_FILE], { cwd: root });
  if (!c.ok) throw new CommandError(`${VERSIONS_FILE} written but not committed: ${gitReason(c)}`);
  const head = await git(['rev-parse', 'HEAD'], { cwd: root });
  return { done: 'committed', commit: head.stdout };
}
