import { type GitResult, git, gitReason } from '@bllvm/sources';
import { RepoError } from './errors';

/** The identity pin commits and the `last-release` tag fall back to on a runner with none configured. */
export const FALLBACK_IDENTITY = { name: 'bllvm-release', email: 'bllvm-release@users.noreply.github.com' } as const;

/**
 * `-c` options that give git an identity when this repository has none configured: a fresh CI
 * checkout must still be able to commit pins and tag releases. A configured one always wins.
 */
export async function identityArgs(cwd: string): Promise<string[]> {
  if ((await git(['config', 'user.email'], { cwd })).ok) return [];
  return ['-c', `user.name=${FALLBACK_IDENTITY.name}`, '-c', `user.email=${FALLBACK_IDENTITY.email}`];
}

/** git that must succeed; the error names the subcommand (not a leading `-c`) and git's reason. */
export async function mustGit(cwd: string, args: string[]): Promise<GitResult> {
  const r = await git(args, { cwd });
  if (!r.ok) throw new RepoError(`git ${subcommand(args)} failed in ${cwd}: ${gitReason(r)}`);
  return r;
}

function subcommand(args: string[]): string {
  return args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '-c') ?? args[0] ?? '';
}
