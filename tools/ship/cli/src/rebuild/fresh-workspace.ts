import { existsSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { CommandError } from '../command';

/**
 * A fresh workspace at `commit`: a clone of this checkout (its tags too, so the release history
 * the notes are written from is the same), with this checkout's node_modules linked in (the same
 * package-lock, as the preconditions make sure). Nothing of this checkout's dist/, Nx cache or
 * work dir comes along, so every component is built again.
 */
export async function freshWorkspace(root: string, commit: string, dir: string): Promise<string> {
  const clone = await execa('git', ['clone', '--quiet', '--no-checkout', root, dir], { reject: false });
  if (clone.exitCode !== 0) throw new CommandError(`cannot clone ${root} into ${dir}: ${String(clone.stderr).trim()}`);
  const checkout = await execa('git', ['-C', dir, 'checkout', '--quiet', '--detach', commit], { reject: false });
  if (checkout.exitCode !== 0) throw new CommandError(`cannot check out ${commit.slice(0, 7)} in ${dir}: ${String(checkout.stderr).trim()}`);
  // `git clone` of a local path makes remote-tracking refs only; the release history is tags.
  await execa('git', ['-C', dir, 'fetch', '--quiet', '--tags', root], { reject: false });
  const modules = join(root, 'node_modules');
  if (!existsSync(modules)) throw new CommandError(`${root} has no node_modules: run \`npm ci\` first`);
  await symlink(modules, join(dir, 'node_modules'));
  return dir;
}
