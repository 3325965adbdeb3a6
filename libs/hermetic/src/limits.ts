/**
 * What one sandboxed task may use. Component code is hostile until proven otherwise, and a build
 * script that forks without end, fills the disk or never returns must stop that task alone, with
 * a message that says which limit, not take the runner (and every other task on it) down.
 */
export interface SandboxLimits {
  /** Processes and threads at once (rustc and the test harness use threads: count generously). */
  processes: number;
  /** Memory of every process in the task together, its tmpfs included. */
  memoryMiB: number;
  /** Bytes the task may have in its writable host folder (the target dir). */
  diskMiB: number;
  /** Size of each tmpfs (/tmp, /home, the cargo home). */
  tmpMiB: number;
  /** Wall time of the whole task. */
  wallSeconds: number;
}

export type LimitKind = 'process' | 'memory' | 'disk' | 'tmp' | 'time';

/** Sized for the stack's largest crate on a 2-core, 24 GiB runner, with room to spare. */
export const DEFAULT_LIMITS: Readonly<SandboxLimits> = {
  processes: 1024,
  memoryMiB: 8192,
  diskMiB: 20480,
  tmpMiB: 1024,
  wallSeconds: 3600,
};

export class SandboxLimitsError extends Error {}

/** The defaults with the given overrides, each checked (a positive whole number). Pure. */
export function sandboxLimits(overrides: Partial<Record<keyof SandboxLimits, unknown>> = {}): SandboxLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!Object.hasOwn(DEFAULT_LIMITS, name)) throw new SandboxLimitsError(`unknown sandbox limit "${name}" (known: ${Object.keys(DEFAULT_LIMITS).join(', ')})`);
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw new SandboxLimitsError(`sandbox limit ${name} must be a positive whole number, not ${JSON.stringify(value)}`);
    limits[name as keyof SandboxLimits] = value;
  }
  return limits;
}

/** How a limit reads in a task's failure: "its process limit (64 processes and threads)". Pure. */
export function describeLimit(kind: LimitKind, limits: SandboxLimits): string {
  switch (kind) {
    case 'process':
      return `its process limit (${limits.processes} processes and threads)`;
    case 'memory':
      return `its memory limit (${limits.memoryMiB} MiB)`;
    case 'disk':
      return `its disk limit (${limits.diskMiB} MiB in its target dir)`;
    case 'tmp':
      return `its tmp limit (${limits.tmpMiB} MiB in each of /tmp, /home and its cargo home)`;
    case 'time':
      return `its time limit (${limits.wallSeconds} s)`;
  }
}
