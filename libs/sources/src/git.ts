import { execa } from 'execa';
import { redactCredentials } from '@bllvm/manifest';

/** Git with no prompts and no user configuration leaking in (hooks, credential helpers asking on a tty). */
export const GIT_ENV: NodeJS.ProcessEnv = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_ASKPASS: 'true',
  GIT_CONFIG_NOSYSTEM: '1',
  LC_ALL: 'C',
};

/**
 * Settings that make a git command run no program a repository names, whatever its config says:
 * no hook (core.hooksPath points at no folder), no file-system monitor. Given on the command line,
 * they win over any config file. Filters and other program-valued settings can only come from a
 * repository's own .git/config, which for a component checkout is ours (checkout.ts verifies it).
 */
export const NO_REPOSITORY_PROGRAMS = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false'];

export interface GitResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

export async function git(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<GitResult> {
  const r = await execa('git', [...NO_REPOSITORY_PROGRAMS, ...args], { cwd: opts.cwd, env: { ...GIT_ENV, ...opts.env }, reject: false, stdin: 'ignore' });
  return { ok: r.exitCode === 0, stdout: String(r.stdout).trim(), stderr: String(r.stderr).trim() };
}

/** The last meaningful line of git's complaint, for error messages; git repeats URLs, so credentials are scrubbed. */
export function gitReason(r: GitResult): string {
  const lines = r.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('hint:'));
  return redactCredentials(lines.slice(-2).join(' / ')) || 'git failed';
}
