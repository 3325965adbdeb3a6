/**
 * The operator's `--run` command of a bisection, pure: what is accepted as one, and what its exit
 * says about a state, as `git bisect run` reads a script's: 0 good, 125 skip, 1..127 (but 125)
 * bad, anything else (128 and up, a signal, a limit of the sandbox) stops the bisection, since it
 * says the command broke rather than the state. An exit is read only once the sandbox reported
 * that it started the command: the sandbox's own failures exit 125 (its launcher could not apply
 * the limits) or 1 (bubblewrap could not set it up), the very codes of skip and bad, so a run the
 * sandbox did not start stops the bisection too, with the sandbox's reason, instead of judging.
 */
import { type LimitKind, type SandboxLimits, describeLimit } from '@bllvm/hermetic';
import type { Judgement } from './judge';

/** Long enough for any script worth typing; a bound, as for every input. */
export const MAX_RUN_COMMAND = 4096;

/** The exit `git bisect run` reads as "cannot test this state". */
export const SKIP_EXIT = 125;

/** The --run value as given, or why it is refused (one line, without echoing the command). */
export function checkRunCommand(value: unknown): { command: string } | { problem: string } {
  if (typeof value !== 'string') return { problem: '--run needs a command' };
  if (value.trim() === '') return { problem: '--run needs a command, not an empty string' };
  if (value.length > MAX_RUN_COMMAND) return { problem: `--run takes a command of at most ${MAX_RUN_COMMAND} characters (got ${value.length})` };
  // One argument of `sh -c`: an argv element cannot hold NUL, and a shell would stop reading there.
  if (value.includes('\0')) return { problem: '--run must not contain a NUL character' };
  return { command: value };
}

/** How the command's run ended, as the sandbox reports it. */
export interface CommandExit {
  /** The sandbox started the command: without it the exit code is the sandbox's, not the command's. */
  started: boolean;
  /** What was printed, stderr first: when the command did not start, the sandbox's reason. */
  output?: string;
  exitCode?: number;
  signal?: string;
  timedOut?: boolean;
  limitHit?: LimitKind;
}

/** What the command's exit says: a verdict with its reason, or why the bisection must stop. */
export type CommandVerdict = (Judgement & { exit: number }) | { stop: string };

/** The most of the sandbox's reason a stop message carries: its first line, cut here. */
export const MAX_SANDBOX_REASON = 200;

export function commandVerdict(run: CommandExit, limits: SandboxLimits): CommandVerdict {
  if (!run.started) return { stop: `the sandbox did not start the command: ${sandboxReason(run)}` };
  const code = run.exitCode;
  const limit = run.limitHit ?? (run.timedOut ? 'time' : undefined);
  // The sandbox reports a full tmpfs by exit 86, which the command could also have chosen.
  if (limit === 'tmp' && code === 86) return { stop: `the command exited 86, which the sandbox also uses for a full tmpfs (${describeLimit('tmp', limits)}); use another exit code` };
  if (limit) return { stop: `the command went over ${describeLimit(limit, limits)}` };
  if (run.signal) return { stop: `the command was killed by ${run.signal}` };
  if (code === undefined || !Number.isInteger(code)) return { stop: 'the command ended without an exit code' };
  if (code === 0) return { verdict: 'good', reason: 'the command exited 0', exit: 0 };
  if (code === SKIP_EXIT) return { verdict: 'skip', reason: `the command exited ${SKIP_EXIT} (cannot test this state)`, exit: code };
  if (code >= 1 && code <= 127) return { verdict: 'bad', reason: `the command exited ${code}`, exit: code };
  return { stop: `the command exited ${code} (128 or more: a shell's report of a signal, or a failure of the command itself)` };
}

/** The first line the sandbox printed, one bounded line of plain text, or what is known without it. */
function sandboxReason(run: CommandExit): string {
  // eslint-disable-next-line no-control-regex
  const line = (run.output ?? '').slice(0, 64 * 1024).split('\n').map((l) => l.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim()).find((l) => l !== '');
  if (line) return line.length > MAX_SANDBOX_REASON ? `${line.slice(0, MAX_SANDBOX_REASON)}…` : line;
  return run.exitCode === undefined ? 'it ended with no message' : `it exited ${run.exitCode} with no message`;
}

/**
 * Whether the command runs in a state, from the probe's tasks: only where the bisected target
 * passed (the command runs against what it built). A state where it failed or did not run is
 * skipped, its reason kept: the command, not the target, judges this bisection.
 */
export function beforeCommand(task: Judgement, taskName: string): { run: true } | { skip: Judgement } {
  if (task.verdict === 'good') return { run: true };
  if (task.verdict === 'skip') return { skip: task };
  return { skip: { verdict: 'skip', reason: `${task.reason}; the command runs only where ${taskName} passes` } };
}
