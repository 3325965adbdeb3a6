import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@bllvm/hermetic';
import { type CommandExit, MAX_RUN_COMMAND, MAX_SANDBOX_REASON, beforeCommand, checkRunCommand, commandVerdict } from './run-verdict';

// A run the sandbox started, unless the case says otherwise.
const verdictOf = (run: Partial<CommandExit>) => commandVerdict({ started: true, ...run }, DEFAULT_LIMITS);

describe('the --run command of a bisection', () => {
  it('reads the exit as git bisect run does: 0 good, 125 skip, every other 1..127 bad', () => {
    expect(verdictOf({ exitCode: 0 })).toEqual({ verdict: 'good', reason: 'the command exited 0', exit: 0 });
    expect(verdictOf({ exitCode: 125 })).toMatchObject({ verdict: 'skip', exit: 125 });
    for (const code of [1, 2, 86 - 1, 124, 126, 127]) expect(verdictOf({ exitCode: code }), String(code)).toEqual({ verdict: 'bad', reason: `the command exited ${code}`, exit: code });
  });

  it('stops the bisection on an exit of 128 or more, a signal, no exit code or a sandbox limit', () => {
    expect(verdictOf({ exitCode: 128 })).toEqual({ stop: expect.stringMatching(/^the command exited 128 \(128 or more/) });
    expect(verdictOf({ exitCode: 255 })).toHaveProperty('stop');
    expect(verdictOf({ signal: 'SIGKILL' })).toEqual({ stop: 'the command was killed by SIGKILL' });
    expect(verdictOf({ exitCode: 1, signal: 'SIGSEGV' })).toHaveProperty('stop');
    expect(verdictOf({})).toEqual({ stop: 'the command ended without an exit code' });
    expect(verdictOf({ exitCode: 0, limitHit: 'memory' })).toEqual({ stop: 'the command went over its memory limit (8192 MiB)' });
    expect(verdictOf({ exitCode: 1, timedOut: true })).toEqual({ stop: 'the command went over its time limit (3600 s)' });
  });

  it('does not read 86 as bad: the sandbox reports a full tmpfs with it, so it stops and says both', () => {
    expect(verdictOf({ exitCode: 86, limitHit: 'tmp' })).toEqual({ stop: expect.stringMatching(/exited 86, which the sandbox also uses for a full tmpfs/) });
  });

  it('reads no exit of a run the sandbox did not start: its 125 and 1 are the sandbox failing, not skip or bad', () => {
    const chdir = "bwrap: Can't chdir to /src/x: No such file or directory";
    expect(verdictOf({ started: false, exitCode: 1, output: `${chdir}\nmore\n` })).toEqual({ stop: `the sandbox did not start the command: ${chdir}` });
    expect(verdictOf({ started: false, exitCode: 125, output: '\n  bllvm-sandbox: cannot join /sys/fs/cgroup/x/cgroup.procs\n' })).toEqual({
      stop: 'the sandbox did not start the command: bllvm-sandbox: cannot join /sys/fs/cgroup/x/cgroup.procs',
    });
    expect(verdictOf({ started: false, exitCode: 125 })).toEqual({ stop: 'the sandbox did not start the command: it exited 125 with no message' });
    expect(verdictOf({ started: false, exitCode: 0, output: ' \n' })).toEqual({ stop: 'the sandbox did not start the command: it exited 0 with no message' });
    expect(verdictOf({ started: false })).toEqual({ stop: 'the sandbox did not start the command: it ended with no message' });
    // Before everything else it would read: a limit, a signal.
    expect(verdictOf({ started: false, exitCode: 1, limitHit: 'process', output: 'bwrap: Creating new namespace failed' })).toEqual({ stop: 'the sandbox did not start the command: bwrap: Creating new namespace failed' });
  });

  it('gives the sandbox reason as one bounded line of plain text', () => {
    const long = verdictOf({ started: false, exitCode: 1, output: `bwrap: ${'x'.repeat(10_000)}\nsecond` });
    expect(long).toEqual({ stop: `the sandbox did not start the command: bwrap: ${'x'.repeat(MAX_SANDBOX_REASON - 7)}…` });
    expect(verdictOf({ started: false, exitCode: 1, output: 'bwrap: a\u001b[31mb\rc\u0000d' })).toEqual({ stop: 'the sandbox did not start the command: bwrap: a [31mb c d' });
  });

  it('runs only where the target passed; a failed or unrun target skips the state, keeping why', () => {
    expect(beforeCommand({ verdict: 'good', reason: 'x:build passed' }, 'x:build')).toEqual({ run: true });
    expect(beforeCommand({ verdict: 'bad', reason: 'x:build failed: error[E0425]' }, 'x:build')).toEqual({
      skip: { verdict: 'skip', reason: 'x:build failed: error[E0425]; the command runs only where x:build passes' },
    });
    const skipped = { verdict: 'skip' as const, reason: 'y:build failed first, so x:build did not run' };
    expect(beforeCommand(skipped, 'x:build')).toEqual({ skip: skipped });
  });

  it('takes the command as given, shell characters and all, and refuses an empty, oversized or NUL-holding one', () => {
    const command = `grep -q "$(cat /etc/x)" src/*.rs; echo '; rm -rf /' && exit 3`;
    expect(checkRunCommand(command)).toEqual({ command });
    expect(checkRunCommand('')).toEqual({ problem: '--run needs a command, not an empty string' });
    expect(checkRunCommand('  \n\t')).toEqual({ problem: '--run needs a command, not an empty string' });
    expect(checkRunCommand(undefined)).toEqual({ problem: '--run needs a command' });
    expect(checkRunCommand('x'.repeat(MAX_RUN_COMMAND))).toHaveProperty('command');
    const long = checkRunCommand('secret'.repeat(MAX_RUN_COMMAND));
    expect(long).toEqual({ problem: `--run takes a command of at most ${MAX_RUN_COMMAND} characters (got ${6 * MAX_RUN_COMMAND})` });
    expect(checkRunCommand('true\0false')).toEqual({ problem: '--run must not contain a NUL character' });
  });
});
