/**
 * What bubblewrap says on its --json-status-fd, pure. bwrap 0.8 writes one JSON document a line:
 * `{ "child-pid": N, … }` as soon as it has cloned the sandbox's first process (before it sets up
 * the mounts, the working directory or anything else that can still fail), and
 * `{ "exit-code": N }` when the command has ended, but only if the sandbox was set up and the
 * command was started (its setup-finished pipe says so; a setup that failed reports no exit).
 * So the child pid alone does not mean the command ran: the exit-code document does.
 *
 * The fd is ours and bwrap closes it in the sandbox, so component code cannot write to it; it is
 * still read as bounded, checked data, since a wrong reading here would turn an infrastructure
 * failure into a verdict on the operator's command.
 */

/** The fd (in the launcher and bwrap) the status is written to: the first one after stdio. */
export const STATUS_FD = 3;

/** Far more than bwrap writes (a few hundred bytes); what is past it is not read. */
export const MAX_STATUS_BYTES = 16 * 1024;

export interface BwrapStatus {
  /** bwrap cloned the sandbox's first process (its pid outside); the setup may still have failed. */
  childPid?: number;
  /** The sandbox was set up, the command started, and it ended with this status (bwrap's own exit code). */
  exitCode?: number;
}

/** The status documents in what bwrap wrote; lines that are not one of its documents are ignored, the first of each field is kept. */
export function parseBwrapStatus(text: string): BwrapStatus {
  const status: BwrapStatus = {};
  for (const line of text.slice(0, MAX_STATUS_BYTES).split('\n')) {
    const doc = parseObject(line);
    if (!doc) continue;
    const pid = doc['child-pid'];
    if (status.childPid === undefined && Number.isSafeInteger(pid) && (pid as number) > 0) status.childPid = pid as number;
    const exit = doc['exit-code'];
    if (status.exitCode === undefined && Number.isInteger(exit) && (exit as number) >= 0 && (exit as number) <= 255) status.exitCode = exit as number;
  }
  return status;
}

function parseObject(line: string): Record<string, unknown> | undefined {
  if (!line.trim().startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(line);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    // A line cut short (bwrap killed mid-write, past the bound): no document.
    return undefined;
  }
}

/**
 * Whether the sandbox started the command. Yes when bwrap reported the command's exit. When bwrap
 * was killed (the wall time, a limit) it reports no exit at all: then yes if it had cloned the
 * sandbox, whose setup takes milliseconds against the seconds of any limit, and such a run is
 * judged by the limit or the signal anyway, never by an exit code. Otherwise no: bwrap (exit 1)
 * or our launcher before it (exit 125) failed, and the exit code is theirs, not the command's.
 */
export function sandboxStarted(status: BwrapStatus, run: { killed: boolean }): boolean {
  if (status.exitCode !== undefined) return true;
  return run.killed && status.childPid !== undefined;
}
