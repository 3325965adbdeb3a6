import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VERSIONS_FILE } from '@bllvm/manifest';
import { identityArgs } from '@bllvm/orchestrator';
import { git, gitReason } from '@bllvm/sources';
import { CommandError } from '../command';

/**
 * Refuse to tag from a versions.toml no commit records: the tags must be of a reviewed plan, and
 * the commit this command makes would otherwise take the uncommitted plan along unseen.
 */
export async function assertVersionsCommitted(root: string): Promise<void> {
  const tracked = await git(['ls-files', '--error-unmatch', '--', VERSIONS_FILE], { cwd: root });
  const clean = tracked.ok && (await git(['diff', '--quiet', 'HEAD', '--', VERSIONS_FILE], { cwd: root })).ok;
  if (!clean) throw new CommandError(`${VERSIONS_FILE} has changes no commit records; commit the planned versions first (the tags are made from a committed plan)`);
}

/**
 * Write versions.toml (already checked to say what the tags are) and commit it alone: other staged
 * or changed files are neither taken along nor touched. When the commit cannot be made, the file
 * is put back as it was. Returns the commit.
 */
export async function commitVersionsFile(root: string, before: string, text: string, message: string): Promise<string> {
  const file = join(root, VERSIONS_FILE);
  const put = async (t: string) => {
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, t);
    await rename(tmp, file);
  };
  await put(text);
  const committed = await git([...(await identityArgs(root)), 'commit', '--quiet', '-m', message, '--', VERSIONS_FILE], { cwd: root });
  if (!committed.ok) {
    await put(before);
    throw new CommandError(`cannot commit ${VERSIONS_FILE}: ${gitReason(committed)} (the file is as it was; the tags stay pushed: rerun to record them)`);
  }
  const head = await git(['rev-parse', 'HEAD'], { cwd: root });
  if (!head.ok) throw new CommandError(`cannot read HEAD of ${root}: ${gitReason(head)}`);
  return head.stdout;
}
