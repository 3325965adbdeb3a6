import { execa } from 'execa';
import { GIT_ENV, gitReason } from '@bllvm/sources';
import { CommandError } from '../command';

export interface PlumbingResult {
  ok: boolean;
  /** Exactly what git printed: file contents keep their last newline. */
  stdout: string;
  stderr: string;
}

/**
 * git as the release commits need it: stdout untouched (a blob's bytes are its text), input on
 * stdin, no hook or file-system monitor, no user or system configuration (an identity, a signing
 * or an encoding setting would change the objects made).
 */
export async function plumbing(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): Promise<PlumbingResult> {
  const r = await execa('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', ...args], {
    cwd: opts.cwd,
    env: { ...GIT_ENV, GIT_CONFIG_GLOBAL: '/dev/null', ...opts.env },
    reject: false,
    stripFinalNewline: false,
    ...(opts.input === undefined ? { stdin: 'ignore' as const } : { input: opts.input }),
  });
  return { ok: r.exitCode === 0, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** plumbing that must succeed; returns its output trimmed (a sha, a line). The error names the subcommand and git's reason, credentials scrubbed. */
export async function mustPlumb(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): Promise<string> {
  const r = await plumbing(args, opts);
  if (!r.ok) throw new CommandError(`git ${args[0]} failed in ${opts.cwd}: ${gitReason(r)}`);
  return r.stdout.trim();
}
