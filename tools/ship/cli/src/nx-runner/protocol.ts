import type { PublishOutcome, ReleaseTaskOptions } from '@bllvm/contract';

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
  /**
   * `run` (the default) runs the tasks; `graph` only reports the task graph (nothing runs);
   * `restore` fills the outputs of the tasks the requested ones depend on from Nx's cache and runs
   * nothing, no executor at all.
   */
  mode?: 'run' | 'graph' | 'restore';
  /**
   * With `run`: run only these task ids (and what they depend on), not every task of the targets:
   * a runner class's job runs its own tasks.
   */
  onlyTasks?: string[];
}

/** One task of Nx's task graph, as `graph` reports it. */
export interface GraphTask {
  id: string;
  project: string;
  target: string;
  /** The target's metadata.runnerClass as configured (unchecked: the CLI checks it). */
  runnerClass?: unknown;
  dependencies: string[];
}

/** How one task's outputs came back (or did not) in a restore. */
export interface RestoredTask {
  id: string;
  project: string;
  target: string;
  runnerClass?: unknown;
  /** Nx's hash of the task: the key its outputs have in the cache (what an operator looks up). */
  hash: string;
  status: 'local-cache' | 'remote-cache' | 'missing';
}

export type TaskStatus = 'built' | 'cached' | 'failed' | 'skipped';

export interface TaskOutcome {
  /** `project:target` (the configuration, if any, is the run's). */
  task: string;
  project: string;
  target: string;
  status: TaskStatus;
  /** Where a cached task's outputs came from: this machine's Nx cache, or the shared remote one. */
  cache?: 'local' | 'remote';
  durationMs?: number;
  /** Time in cargo/docker children, from the executor's task record. */
  toolMs?: number;
  message?: string;
  /** The publish task's account of its release (from its record), also when it failed. */
  publish?: PublishOutcome;
}

export type RunReply =
  | { kind: 'bllvm-run-result'; exitCode: number; tasks: TaskOutcome[] }
  | { kind: 'bllvm-graph-result'; tasks: GraphTask[] }
  /** `missing` non-empty: nothing was restored from the local cache (remote hits may already be on disk). */
  | { kind: 'bllvm-restore-result'; tasks: RestoredTask[] }
  | { kind: 'bllvm-run-error'; message: string };

const REPLY_KINDS = new Set(['bllvm-run-result', 'bllvm-graph-result', 'bllvm-restore-result', 'bllvm-run-error']);

export function isRunReply(m: unknown): m is RunReply {
  return REPLY_KINDS.has((m as { kind?: unknown } | null)?.kind as string);
}

export function isRunRequest(m: unknown): m is RunRequest {
  const r = m as Partial<RunRequest> | null;
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  return !!r && strings(r.targets) && strings(r.projects) && typeof r.overrides === 'object' && r.overrides !== null && (r.excludeTaskDependencies === undefined || typeof r.excludeTaskDependencies === 'boolean') &&
    (r.mode === undefined || r.mode === 'run' || r.mode === 'graph' || r.mode === 'restore') &&
    (r.onlyTasks === undefined || strings(r.onlyTasks));
}
