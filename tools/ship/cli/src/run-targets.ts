import { join } from 'node:path';
import { execa } from 'execa';
import type { ReleaseTaskOptions } from '@bllvm/contract';
import { CommandError } from './command';
import { nxEnv, TOOL_BUNDLE_TARGET } from './nx';
import { type RunRequest, type TaskOutcome, isRunReply } from './nx-runner/protocol';

export type { TaskOutcome, TaskStatus } from './nx-runner/protocol';

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
export async function runTargets(o: RunTargetsOptions): Promise<RunTargetsResult> {
  const request: RunRequest = {
    targets: o.targets,
    projects: o.projects,
    ...(o.configuration ? { configuration: o.configuration } : {}),
    ...(o.parallel ? { parallel: o.parallel } : {}),
    overrides: o.overrides ?? {},
    ...(o.excludeTaskDependencies ? { excludeTaskDependencies: true } : {}),
  };
  const started = Date.now();
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
  const wallMs = Date.now() - started;
  // Nx passes its task processes' own messages on too; ours is the one with our kind.
  const reply = (r.ipcOutput as unknown[]).find(isRunReply);
  if (!reply) {
    const tail = String(r.all ?? '').trim().split('\n').slice(-20).join('\n');
    throw new CommandError(`nx did not report its task results (${r.signal ? `killed by ${r.signal}` : `exit ${r.exitCode}`})${tail ? `:\n${tail}` : ''}`);
  }
  if (reply.kind === 'bllvm-run-error') throw new CommandError(`nx could not run ${o.targets.join(',')}: ${reply.message}`);
  // The tools' own bundle tasks are plumbing, not pipeline steps: listed only when one failed.
  const tasks = reply.tasks.filter((t) => t.target !== TOOL_BUNDLE_TARGET || t.status === 'failed');
  return { exitCode: reply.exitCode, wallMs, tasks };
}

/** The table printed at the end of every run. */
export function formatTaskTable(tasks: TaskOutcome[], commits: Record<string, string> = {}): string {
  const rows = tasks.map((t) => [
    t.project,
    t.target,
    commits[t.project]?.slice(0, 7) ?? '',
    t.status,
    t.durationMs !== undefined ? `${(t.durationMs / 1000).toFixed(1)}s` : '',
    t.status === 'failed' || t.status === 'skipped' ? (t.message ?? '') : '',
  ]);
  const head = ['component', 'target', 'commit', 'result', 'time', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const counts = (['built', 'cached', 'failed', 'skipped'] as const).map((s) => `${tasks.filter((t) => t.status === s).length} ${s}`);
  return [fmt(head), ...rows.map(fmt), counts.join(', ')].join('\n');
}
