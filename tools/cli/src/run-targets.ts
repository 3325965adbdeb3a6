import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { TOOL_BUNDLE_TARGET, nxCommand, nxEnv } from './nx';

export type TaskStatus = 'built' | 'cached' | 'failed' | 'skipped';

export interface TaskOutcome {
  task: string;
  project: string;
  target: string;
  status: TaskStatus;
  durationMs?: number;
  toolMs?: number;
  message?: string;
}

export interface RunTargetsOptions {
  workspaceRoot: string;
  targets: string[];
  /** Project selection passed to run-many (names or tag:x patterns). */
  projects: string[];
  configuration?: string;
  parallel?: number;
  env?: NodeJS.ProcessEnv;
  /** Where Nx's own output goes as it happens (progress on long work). */
  onOutput?: (chunk: string) => void;
}

export interface RunTargetsResult {
  exitCode: number;
  wallMs: number;
  tasks: TaskOutcome[];
}

interface TaskGraph {
  tasks: { tasks: Record<string, { target: { project: string; target: string } }> };
}

function runManyArgs(o: RunTargetsOptions): string[] {
  const args = ['run-many', `--targets=${o.targets.join(',')}`, `--projects=${o.projects.join(',')}`, '--outputStyle=static'];
  if (o.configuration) args.push(`--configuration=${o.configuration}`);
  if (o.parallel) args.push(`--parallel=${o.parallel}`);
  return args;
}

/** The tasks Nx would run, dependencies included, without running them. */
export async function plannedTasks(o: RunTargetsOptions): Promise<{ task: string; project: string; target: string }[]> {
  const r = await execa(...nxCommand(o.workspaceRoot, [...runManyArgs(o), '--graph=stdout']), { cwd: o.workspaceRoot, env: nxEnv({ ...process.env, ...o.env }), reject: false });
  if (r.exitCode !== 0) throw new Error(`nx could not plan ${o.targets.join(',')}: ${String(r.stderr || r.stdout).trim().slice(0, 2000)}`);
  const graph = JSON.parse(String(r.stdout)) as TaskGraph;
  // Task ids carry the configuration (p:t:c); the run log and the summary speak of p:t.
  return Object.values(graph.tasks.tasks).filter((t) => t.target.target !== TOOL_BUNDLE_TARGET).map((t) => ({ task: `${t.target.project}:${t.target.target}`, ...t.target }));
}

/**
 * Run targets through Nx and say, per task, whether it was built, restored from cache, failed or
 * skipped. Executors append to BLLVM_RUN_LOG when they really run; Nx marks cache hits in its output.
 */
export async function runTargets(o: RunTargetsOptions): Promise<RunTargetsResult> {
  // Read-only and needed only for the outcomes: asked beside the run rather than before it, so the
  // run does not wait for a second Nx start. (Nx writes its graph cache atomically for this.)
  const planning = plannedTasks(o);
  planning.catch(() => undefined); // awaited below; a rejection before then is not "unhandled"
  const dir = await mkdtemp(join(tmpdir(), 'bllvm-run-'));
  const runLog = join(dir, 'run.jsonl');
  try {
    const started = Date.now();
    const child = execa(...nxCommand(o.workspaceRoot, runManyArgs(o)), {
      cwd: o.workspaceRoot,
      env: nxEnv({ ...process.env, ...o.env, BLLVM_RUN_LOG: runLog, FORCE_COLOR: '0' }),
      reject: false,
      all: true,
      stdin: 'ignore',
    });
    child.all?.on('data', (d: Buffer) => o.onOutput?.(d.toString()));
    const r = await child;
    const wallMs = Date.now() - started;
    const planned = await planning;
    const ran = new Map<string, { success: boolean; durationMs: number; toolMs: number; message?: string }>();
    const log = await readFile(runLog, 'utf8').catch(() => '');
    for (const line of log.split('\n').filter(Boolean)) {
      const e = JSON.parse(line) as { project: string; target: string; success: boolean; durationMs: number; toolMs: number; message?: string };
      ran.set(`${e.project}:${e.target}`, e);
    }
    const cached = cacheHits(String(r.all ?? ''));
    const failedByNx = failedTasks(String(r.all ?? ''));
    const tasks = planned.map(({ task, project, target }): TaskOutcome => {
      const e = ran.get(task);
      if (e) return { task, project, target, status: e.success ? 'built' : 'failed', durationMs: e.durationMs, toolMs: e.toolMs, message: e.message };
      if (cached.has(task)) return { task, project, target, status: 'cached' };
      if (failedByNx.has(task)) return { task, project, target, status: 'failed' };
      return { task, project, target, status: 'skipped', message: 'a task it depends on failed' };
    });
    return { exitCode: r.exitCode ?? 1, wallMs, tasks: sortTasks(tasks, [...o.projects, ...planned.map((p) => p.project)]) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const TARGET_ORDER = ['compile', 'build', 'test', 'verify', 'graph-check', 'release'];

/** Group by project in the order given (the graph's, dependencies first), then by pipeline step. */
function sortTasks(tasks: TaskOutcome[], order: string[]): TaskOutcome[] {
  const projects = [...new Set(order)];
  const rank = (t: TaskOutcome) => [projects.indexOf(t.project), TARGET_ORDER.indexOf(t.target) >>> 0] as const;
  return [...tasks].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || a.target.localeCompare(b.target);
  });
}

/** Tasks Nx restored from a cache: `> nx run p:t  [local cache]` and its variants. */
export function cacheHits(output: string): Set<string> {
  const hits = new Set<string>();
  const re = /nx run ([^\s:]+):([^\s:]+)(?::\S+)?[^\n]*\[(?:local cache|remote cache|existing outputs match the cache, left as is)\]/g;
  for (const m of output.matchAll(re)) hits.add(`${m[1]}:${m[2]}`);
  return hits;
}

/** Tasks listed under Nx's "Failed tasks:" footer. */
export function failedTasks(output: string): Set<string> {
  const failed = new Set<string>();
  const at = output.indexOf('Failed tasks:');
  if (at < 0) return failed;
  for (const m of output.slice(at).matchAll(/^\s*- ([^\s:]+):([^\s:]+)/gm)) failed.add(`${m[1]}:${m[2]}`);
  return failed;
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
