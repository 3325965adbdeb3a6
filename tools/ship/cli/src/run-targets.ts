import { join } from 'node:path';
import { execa } from 'execa';
import type { ReleaseTaskOptions } from '@bllvm/contract';
import { CommandError } from './command';
import { nxEnv, TOOL_BUNDLE_TARGET } from './nx';
import { type GraphTask, type RestoredTask, type RunReply, type RunRequest, type TaskOutcome, isRunReply } from './nx-runner/protocol';

export type { GraphTask, RestoredTask, TaskOutcome, TaskStatus } from './nx-runner/protocol';

export interface RunTargetsOptions {
  workspaceRoot: string;
  targets: string[];
  /** Project names the targets run on (their dependencies run too). */
  projects: string[];
  configuration?: string;
  parallel?: number;
  /** Typed options of the selected targets' tasks (the release targets declare them in their schema). */
  overrides?: ReleaseTaskOptions;
  /** Run the targets alone, without the tasks they depend on (see RunRequest). */
  excludeTaskDependencies?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Where Nx's own output goes as it happens (progress on long work). */
  onOutput?: (chunk: string) => void;
}

export interface RunTargetsResult {
  exitCode: number;
  wallMs: number;
  tasks: TaskOutcome[];
}

/**
 * Run targets through Nx and say, per task, whether it was built, restored from cache, failed or
 * skipped. Nx runs in a child process inside the workspace (tools/ship/cli/bin/run-tasks.cjs, so this
 * process never loads Nx and can serve several workspaces); it reports Nx's typed task results
 * over the IPC channel, while its terminal output is only passed on to the user.
 */
export async function runTargets(o: RunTargetsOptions & { onlyTasks?: string[] }): Promise<RunTargetsResult> {
  const started = Date.now();
  const reply = await askRunner(o, { ...request(o), ...(o.onlyTasks ? { onlyTasks: o.onlyTasks } : {}) });
  const wallMs = Date.now() - started;
  if (reply.kind !== 'bllvm-run-result') throw new CommandError(`nx could not run ${o.targets.join(',')}: unexpected reply ${reply.kind}`);
  // The tools' own bundle tasks are plumbing, not pipeline steps: listed only when one failed.
  const tasks = reply.tasks.filter((t) => t.target !== TOOL_BUNDLE_TARGET || t.status === 'failed');
  return { exitCode: reply.exitCode, wallMs, tasks };
}

/** Nx's task graph of the targets on the projects (nothing runs), the tools' bundles left out. */
export async function taskGraph(o: RunTargetsOptions): Promise<GraphTask[]> {
  const reply = await askRunner(o, { ...request(o), mode: 'graph' });
  if (reply.kind !== 'bllvm-graph-result') throw new CommandError(`nx could not plan ${o.targets.join(',')}: unexpected reply ${reply.kind}`);
  const bundles = new Set(reply.tasks.filter((t) => t.target === TOOL_BUNDLE_TARGET).map((t) => t.id));
  return reply.tasks.filter((t) => !bundles.has(t.id)).map((t) => ({ ...t, dependencies: t.dependencies.filter((d) => !bundles.has(d)) }));
}

/**
 * Fill the outputs of every task the targets depend on from Nx's cache, running no executor
 * (see nx-runner/restore.ts). Returns each task's status; any `missing` means nothing local was copied.
 */
export async function restoreFromCache(o: RunTargetsOptions): Promise<RestoredTask[]> {
  const reply = await askRunner(o, { ...request(o), mode: 'restore' });
  if (reply.kind !== 'bllvm-restore-result') throw new CommandError(`nx could not restore ${o.targets.join(',')}: unexpected reply ${reply.kind}`);
  return reply.tasks;
}

function request(o: RunTargetsOptions): RunRequest {
  return {
    targets: o.targets,
    projects: o.projects,
    ...(o.configuration ? { configuration: o.configuration } : {}),
    ...(o.parallel ? { parallel: o.parallel } : {}),
    overrides: o.overrides ?? {},
    ...(o.excludeTaskDependencies ? { excludeTaskDependencies: true } : {}),
  };
}

async function askRunner(o: RunTargetsOptions, request: RunRequest): Promise<Exclude<RunReply, { kind: 'bllvm-run-error' }>> {
  const child = execa(process.execPath, [join(o.workspaceRoot, 'tools', 'ship', 'cli', 'bin', 'run-tasks.cjs')], {
    cwd: o.workspaceRoot,
    env: nxEnv({ ...process.env, ...o.env, FORCE_COLOR: '0' }),
    ipc: true,
    ipcInput: request as never,
    reject: false,
    all: true,
    stdin: 'ignore',
  });
  child.all?.on('data', (d: Buffer) => o.onOutput?.(d.toString()));
  const r = await child;
  // Nx passes its task processes' own messages on too; ours is the one with our kind.
  const reply = (r.ipcOutput as unknown[]).find(isRunReply);
  if (!reply) {
    const tail = String(r.all ?? '').trim().split('\n').slice(-20).join('\n');
    throw new CommandError(`nx did not report its task results (${r.signal ? `killed by ${r.signal}` : `exit ${r.exitCode}`})${tail ? `:\n${tail}` : ''}`);
  }
  if (reply.kind === 'bllvm-run-error') throw new CommandError(`nx could not run ${o.targets.join(',')}: ${reply.message}`);
  return reply;
}

/** The table printed at the end of every run. */
export function formatTaskTable(tasks: TaskOutcome[], commits: Record<string, string> = {}): string {
  const rows = tasks.map((t) => [
    t.project,
    t.target,
    commits[t.project]?.slice(0, 7) ?? '',
    t.cache ? `${t.status} (${t.cache})` : t.status,
    t.durationMs !== undefined ? `${(t.durationMs / 1000).toFixed(1)}s` : '',
    t.status === 'failed' || t.status === 'skipped' ? (t.message ?? '') : '',
  ]);
  const head = ['component', 'target', 'commit', 'result', 'time', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const counts = (['built', 'cached', 'failed', 'skipped'] as const).map((s) => `${tasks.filter((t) => t.status === s).length} ${s}`);
  return [fmt(head), ...rows.map(fmt), counts.join(', ')].join('\n');
}
