import type { ReleaseTaskOptions } from '@bllvm/contract';

/**
 * The contract between the CLI and its task runner (runner.ts, a child process inside the
 * workspace): the request goes over execa's IPC channel, the typed results come back on it.
 * Nothing here may load Nx: the CLI process never does.
 */
export interface RunRequest {
  targets: string[];
  /** Project names the targets run on, as `nx run-many --projects`. */
  projects: string[];
  configuration?: string;
  parallel?: number;
  /** Task overrides of the selected targets' tasks (not of the tasks they depend on), as `nx release publish` gives its own. */
  overrides: ReleaseTaskOptions;
  /**
   * Run only the requested targets, none of the tasks they depend on (Nx's excludeTaskDependencies):
   * publish-only runs the release gates on what dist/ already holds and never builds.
   */
  excludeTaskDependencies?: boolean;
}

export type TaskStatus = 'built' | 'cached' | 'failed' | 'skipped';

export interface TaskOutcome {
  /** `project:target` (the configuration, if any, is the run's). */
  task: string;
  project: string;
  target: string;
  status: TaskStatus;
  durationMs?: number;
  /** Time in cargo/docker children, from the executor's task record. */
  toolMs?: number;
  message?: string;
}

export type RunReply =
  | { kind: 'bllvm-run-result'; exitCode: number; tasks: TaskOutcome[] }
  | { kind: 'bllvm-run-error'; message: string };

export function isRunReply(m: unknown): m is RunReply {
  const kind = (m as { kind?: unknown } | null)?.kind;
  return kind === 'bllvm-run-result' || kind === 'bllvm-run-error';
}

export function isRunRequest(m: unknown): m is RunRequest {
  const r = m as Partial<RunRequest> | null;
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  return !!r && strings(r.targets) && strings(r.projects) && typeof r.overrides === 'object' && r.overrides !== null && (r.excludeTaskDependencies === undefined || typeof r.excludeTaskDependencies === 'boolean');
}
