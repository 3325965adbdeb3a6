/**
 * The bench's view of a sandbox pipeline: environments for "ours" and for the baseline, cold
 * wipes, and the three kinds of run it measures (one task alone, the baseline's serial chain,
 * ours through the CLI). Ours and the baseline never share state: the baseline has its own work
 * dir (checkouts, target dirs) and its own Nx cache and workspace data.
 */
import { readFile, readdir, rm, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pipeline } from '@bllvm/demo';
import { type ComponentGraph, pinPath, readComponentGraph, readComponents, readPin } from '@bllvm/manifest';
import { readConfig, readTaskRecord } from '@bllvm/contract';
import { prepareSources } from '@bllvm/sources';
import { type TaskDeps, normaliseDeps, taskKey } from './critical-path';
import { type Measured, combine, measure } from './measure';
import { type BaselineTask, baselineTasks } from './scope';
import { workspaceEnv } from './workspace-env';

export const TARGETS = ['build', 'verify'];
export const CONFIGURATION = 'sandbox';

/** What the bench reads of a task the executor really ran: its own wall time and the time in cargo/docker. */
export interface RunLogEntry {
  success: boolean;
  durationMs: number;
  toolMs: number;
}

export interface TaskOutcome {
  task: string;
  project: string;
  target: string;
  status: 'built' | 'cached' | 'failed' | 'skipped';
  /** Nx's task time (the CLI's summary takes it from Nx's task start and end), not the executor's. */
  durationMs?: number;
  toolMs?: number;
  /** The executor's own time, from its task record (read by the bench after the run); built tasks only. */
  executorMs?: number;
}

/** Nx's own view of each task (NX_PROFILE): when it started and ended it, in epoch ms. */
export interface NxTaskTiming {
  task: string;
  startMs: number;
  endMs: number;
  status: string;
}

export interface OursRun extends Omit<Measured, 'stdout' | 'stderr'> {
  /** wallMs as the CLI reports it: the `nx run-many` alone. */
  runManyMs: number;
  tasks: TaskOutcome[];
  nx: NxTaskTiming[];
  calls: ToolCall[];
  /** CPU time (user+sys) of the cargo/docker processes of this run, from the shims. */
  toolCpuMs: number;
}

export interface BaselineRun extends Omit<Measured, 'stdout' | 'stderr' | 'command'> {
  tasks: { task: string; wallMs: number; durationMs: number; toolMs: number; cpuMs: number }[];
  calls: ToolCall[];
}

export interface AloneRun {
  task: string;
  wallMs: number;
  durationMs: number;
  toolMs: number;
  cpuMs: number;
  foreignLoad: number;
}

/**
 * What the executors keep in their work dir per commit or toolchain: containment passes, dependency
 * passes, crate facts, commit dates, tool versions. A cold run starts without them, as a fresh
 * runner does; a run after a pin moved has them for every commit but the moved ones.
 */
export const WORK_DIR_CACHES = ['containment', 'dependencies', 'graph-facts', 'commit-dates', 'tool-versions'] as const;

/** Where one Nx task process spends its life (see task-anatomy.cjs), in ms since the process started. */
export interface TaskAnatomy {
  /** Node start until the preload ran. */
  nodeStartMs: number;
  /** Loading Nx's run-executor modules until Nx sends the task. */
  nxStartMs: number;
  /** Loading the TypeScript compiler (Nx reads tsconfig.base.json with it to resolve the local plugin). */
  typescriptMs: number;
  /** Registering the TS transpiler (swc-node, tsconfig-paths). */
  transpilerMs: number;
  /** Importing the executor and everything it imports, transpiled on the fly. */
  executorImportMs: number;
  /** The executor's own time (its task record). */
  executorMs: number;
  /** Whatever else: reading the cached project graph, options, exit. */
  restMs: number;
  totalMs: number;
  /** The task process's own CPU until the executor was imported: Nx's per-task cost before any code of ours runs. */
  cpuBeforeExecutorMs: number;
  /** The task process's own CPU in all (not cargo's: it runs in its own processes). */
  cpuMs: number;
}

/** How CI runs the CLI: the bundle `nx run cli:bundle` builds (tools/ship/cli/bin/fresh-bundle.cjs). */
const CLI_BIN = join('tools', 'ship', 'cli', 'bin', 'bllvm-release.cjs');

const ANATOMY_PRELOAD = join(dirname(fileURLToPath(import.meta.url)), 'task-anatomy.cjs');

export interface ToolCall {
  tool: string;
  cwd: string;
  args: string;
}

export class Harness {
  readonly ws: string;
  readonly baselineWorkDir: string;
  private profileCounter = 0;

  private constructor(
    readonly p: Pipeline<string>,
    readonly graph: ComponentGraph,
    readonly deps: Record<string, string[]>,
    /** Checkout folder → component (the real profile's folders are named after repositories, not ids). */
    readonly folders: Record<string, string> = {},
  ) {
    this.ws = p.sw.ws.dir;
    this.baselineWorkDir = join(this.ws, '.bllvm', 'baseline');
  }

  static async open(p: Pipeline<string>): Promise<Harness> {
    const graph = await readComponentGraph(p.sw.ws.dir);
    const h = new Harness(p, graph, {});
    await h.warmBundles();
    const deps = await h.taskGraph();
    const folders = Object.fromEntries((await readComponents(p.sw.ws.dir, graph, graph.components)).map((c) => [c.checkoutFolder, c.id]));
    return new Harness(p, graph, deps, folders);
  }

  /** The environment every command gets: the sandbox's (git base URL, DOCKER_HOST, shims on PATH). */
  private baseEnv(): NodeJS.ProcessEnv {
    return workspaceEnv(this.p.sw.ws.env, { FORCE_COLOR: '0', CARGO_TERM_COLOR: 'never' });
  }

  /**
   * Ours: the workspace's own work dir, and the Nx cache pinned inside the workspace. (Nx 23 would
   * otherwise put it under ~/.nx/<hash of the repository's identity>, shared by every checkout.)
   */
  oursEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      ...this.baseEnv(),
      NX_CACHE_DIRECTORY: join(this.ws, '.nx', 'cache'),
      NX_WORKSPACE_DATA_DIRECTORY: join(this.ws, '.nx', 'workspace-data'),
      ...extra,
    };
  }

  baselineEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      ...this.baseEnv(),
      BLLVM_WORK_DIR: this.baselineWorkDir,
      NX_CACHE_DIRECTORY: join(this.ws, '.nx', 'baseline', 'cache'),
      NX_WORKSPACE_DATA_DIRECTORY: join(this.ws, '.nx', 'baseline', 'data'),
      ...extra,
    };
  }

  /**
   * Build the CLI's and the executors' bundles once up front (a fresh workspace copy has none), so
   * no measurement includes the one-off esbuild run.
   */
  async warmBundles(): Promise<void> {
    const nx = join(this.ws, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');
    for (const [cmd, args] of [[process.execPath, [nx, 'run-many', '-t', 'bundle', '--outputStyle=static']], [process.execPath, [CLI_BIN, '--help']]] as const) {
      const r = await measure(cmd, [...args], { cwd: this.ws, env: this.oursEnv() });
      if (r.exitCode !== 0) throw new Error(`cannot build the bundles: ${r.stderr.slice(-2000)}`);
    }
  }

  /** The task graph Nx schedules for build+verify of every component (ids p:t). */
  async taskGraph(): Promise<Record<string, string[]>> {
    const r = await measure(
      'npx',
      ['nx', 'run-many', `--targets=${TARGETS.join(',')}`, `--projects=${this.graph.components.join(',')}`, `--configuration=${CONFIGURATION}`, '--graph=stdout'],
      { cwd: this.ws, env: this.oursEnv() },
    );
    if (r.exitCode !== 0) throw new Error(`nx could not plan the task graph: ${r.stderr.slice(-2000)}`);
    const g = JSON.parse(r.stdout) as { tasks: { dependencies: TaskDeps } };
    // Every executor task depends on nx-plugin:bundle; warmBundles built it, and the pipeline's
    // graph is the components' tasks only.
    const isBundle = (t: string) => t.split(':')[1] === 'bundle';
    const deps = Object.fromEntries(Object.entries(g.tasks.dependencies).filter(([t]) => !isBundle(t)).map(([t, ds]) => [t, ds.filter((d) => !isBundle(d))]));
    return normaliseDeps(deps);
  }

  /** Clone mirrors and check out every pin in both work dirs, so no measurement pays for a first clone. */
  async prepareSources(): Promise<void> {
    const sources = [];
    for (const c of this.graph.components) sources.push({ component: c, pin: await readPin(pinPath(this.ws, this.graph.roots[c]!)) });
    await prepareSources(readConfig(this.ws, this.oursEnv()), sources);
    await prepareSources(readConfig(this.ws, this.baselineEnv()), sources);
  }

  /**
   * A cold start for ours: no Nx cache or workspace data, no cargo target dirs, no dist, and none of
   * what the executors remember per commit (WORK_DIR_CACHES). Mirrors, checkouts and the registry's
   * downloads stay: a first clone or download is the network's time, not ours.
   */
  async wipeOurs(): Promise<void> {
    for (const d of [join('.nx', 'cache'), join('.nx', 'workspace-data'), join('.bllvm', 'target'), join('.bllvm', 'docker-context'), 'dist', ...WORK_DIR_CACHES.map((c) => join('.bllvm', c))])
      await rm(join(this.ws, d), { recursive: true, force: true });
  }

  async wipeBaseline(): Promise<void> {
    for (const d of [join(this.baselineWorkDir, 'target'), join(this.ws, '.nx', 'baseline', 'cache')]) await rm(d, { recursive: true, force: true });
    await this.wipeBaselineCaches();
  }

  /** What the executors remember per commit in the baseline's work dir: before a sweep of tasks alone, so its first tasks pay what a cold run's do. */
  async wipeBaselineCaches(): Promise<void> {
    for (const c of WORK_DIR_CACHES) await rm(join(this.baselineWorkDir, c), { recursive: true, force: true });
  }

  /** Every shim call, Nx's own `cargo -V` hashing calls included. */
  async rawCalls(): Promise<ToolCall[]> {
    return this.p.shims.calls({ all: true });
  }

  /** nx itself, not through npx: the baseline's per-task start-up should be Nx's, not npm's. */
  get nxBin(): string {
    return join(this.ws, 'node_modules', '.bin', 'nx');
  }

  private nxRunArgs(t: BaselineTask): string[] {
    const id = `${t.project}:${t.target}${t.configuration ? `:${t.configuration}` : ''}`;
    return ['run', id, '--skip-nx-cache', '--excludeTaskDependencies', '--outputStyle=static'];
  }

  /** Checkout folder of a component (the real profile's folders are named after repositories). */
  folderOf(component: string): string {
    return Object.entries(this.folders).find(([, c]) => c === component)?.[0] ?? component;
  }

  /** The executor's record of `t` (tools/ship/nx-plugin task records), if it ran since `since`. */
  private async readRunLog(t: BaselineTask, since: number): Promise<RunLogEntry | undefined> {
    const r = await readTaskRecord(this.ws, t, since);
    return r && { success: r.success, durationMs: r.endedAt - r.startedAt, toolMs: r.toolMs };
  }

  /**
   * One task alone, cold: its component's target dirs wiped (in the baseline's work dir), no Nx
   * cache, no task dependencies (each component's cargo build compiles its upstream crates into
   * its own target dir, so it needs nothing from them). With `marginal`, the target dir is kept
   * and only the component's own sources are touched: the time to rebuild just its own crate.
   */
  async runAlone(task: string, opts: { marginal?: boolean } = {}): Promise<AloneRun> {
    const [project, target] = task.split(':') as [string, string];
    if (opts.marginal) await touchTree(join(this.baselineWorkDir, 'sources', this.folderOf(project), 'src'));
    else if (target !== 'build' || project !== 'governance-app') await rm(join(this.baselineWorkDir, 'target', project), { recursive: true, force: true });
    const t: BaselineTask = { project, target, configuration: target === 'verify' ? CONFIGURATION : undefined };
    const since = Date.now();
    const r = await measure(this.nxBin, this.nxRunArgs(t), { cwd: this.ws, env: this.baselineEnv() });
    const entry = await this.readRunLog(t, since);
    if (r.exitCode !== 0 || !entry?.success) throw new Error(`${task} failed alone (exit ${r.exitCode}):\n${(r.stdout + r.stderr).slice(-3000)}`);
    return { task, wallMs: r.wallMs, durationMs: entry.durationMs, toolMs: entry.toolMs, cpuMs: r.cpuMs, foreignLoad: r.foreignLoad };
  }

  /** The old pipeline on our executors: its scope for a change in `component`, one `nx run` at a time, nothing cached. */
  async runBaseline(component: string): Promise<BaselineRun> {
    await this.wipeBaseline();
    await this.p.shims.reset();
    const parts: Measured[] = [];
    const tasks: BaselineRun['tasks'] = [];
    for (const t of baselineTasks(component, CONFIGURATION)) {
      const since = Date.now();
      const r = await measure(this.nxBin, this.nxRunArgs(t), { cwd: this.ws, env: this.baselineEnv() });
      parts.push(r);
      const key = `${t.project}:${t.target}`;
      const entry = await this.readRunLog(t, since);
      if (r.exitCode !== 0 || !entry?.success) throw new Error(`baseline ${key} failed (exit ${r.exitCode}):\n${(r.stdout + r.stderr).slice(-3000)}`);
      tasks.push({ task: key, wallMs: r.wallMs, durationMs: entry.durationMs, toolMs: entry.toolMs, cpuMs: r.cpuMs });
    }
    return { ...combine(parts), tasks, calls: await this.p.shims.calls() };
  }

  /**
   * One task through `nx run` with a preload in Nx's task process that times its start-up
   * (task-anatomy.cjs). Uses the baseline's work dir and cache, so ours' state is untouched.
   */
  async taskAnatomy(task: string): Promise<TaskAnatomy | undefined> {
    const [project, target] = task.split(':') as [string, string];
    const n = ++this.profileCounter;
    const anatomyLog = join(this.ws, '.nx', `bench-anatomy-${n}.json`);
    const since = Date.now();
    const r = await measure(this.nxBin, this.nxRunArgs({ project, target }), {
      cwd: this.ws,
      env: this.baselineEnv({ BENCH_ANATOMY_LOG: anatomyLog, NODE_OPTIONS: `--require ${ANATOMY_PRELOAD}` }),
    });
    const entry = await this.readRunLog({ project, target }, since);
    const line = (await readFile(anatomyLog, 'utf8').catch(() => '')).split('\n').find(Boolean);
    await rm(anatomyLog, { force: true });
    if (r.exitCode !== 0 || !entry || !line) return undefined;
    const a = JSON.parse(line) as {
      marks: { preloadMs: number; messageMs?: number; exitMs: number; cpuAtExecutorMs?: number; cpuAtExitMs?: number };
      loads: { typescript: number; transpiler: number; executorImport: number };
    };
    const nxStartMs = (a.marks.messageMs ?? a.marks.preloadMs) - a.marks.preloadMs;
    const known = a.marks.preloadMs + nxStartMs + a.loads.typescript + a.loads.transpiler + a.loads.executorImport + entry.durationMs;
    return {
      nodeStartMs: a.marks.preloadMs,
      nxStartMs,
      typescriptMs: a.loads.typescript,
      transpilerMs: a.loads.transpiler,
      executorImportMs: a.loads.executorImport,
      executorMs: entry.durationMs,
      restMs: a.marks.exitMs - known,
      totalMs: a.marks.exitMs,
      cpuBeforeExecutorMs: a.marks.cpuAtExecutorMs ?? NaN,
      cpuMs: a.marks.cpuAtExitMs ?? NaN,
    };
  }

  /** Ours: the CLI's build (nx affected with --base, else everything), Nx scheduling and caching, default parallelism. */
  async runOurs(opts: { base?: string; targets?: string[]; parallel?: number; env?: NodeJS.ProcessEnv } = {}): Promise<OursRun> {
    await this.p.shims.reset();
    const profile = join('.nx', `bench-profile-${++this.profileCounter}.json`);
    const args = [join(this.ws, CLI_BIN), 'build', '--targets', (opts.targets ?? TARGETS).join(','), '-c', CONFIGURATION, '--json'];
    if (opts.base) args.push('--base', opts.base);
    if (opts.parallel) args.push('--parallel', String(opts.parallel));
    const r = await measure(process.execPath, args, { cwd: this.ws, env: this.oursEnv({ NX_PROFILE: profile, ...opts.env }) });
    const calls = await this.p.shims.calls();
    const toolCpuMs = await this.p.shims.cpuMs();
    const nx = await readNxProfile(join(this.ws, profile));
    await rm(join(this.ws, profile), { force: true });
    const { stdout, stderr, ...m } = r;
    if (r.exitCode !== 0) throw new Error(`ours failed (exit ${r.exitCode}): ${args.join(' ')}\n${(stdout + stderr).slice(-4000)}`);
    let json: { wallMs: number; tasks: TaskOutcome[] } = { wallMs: 0, tasks: [] };
    if (stdout.trim().startsWith('{')) json = JSON.parse(stdout) as typeof json;
    else if (!/nothing to build/.test(stdout)) throw new Error(`ours printed no JSON:\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`);
    return { ...m, runManyMs: json.wallMs, tasks: await this.withExecutorTimes(json.tasks, r.startedAtMs), nx, calls, toolCpuMs };
  }

  /**
   * Each built task's executor time from its record. The summary does not say which configuration
   * Nx resolved for a task (a target without a `sandbox` configuration runs without one), so the
   * record is looked for under both names; each is checked against its task name and `since`.
   */
  private async withExecutorTimes(tasks: TaskOutcome[], since: number): Promise<TaskOutcome[]> {
    const out: TaskOutcome[] = [];
    for (const t of tasks) {
      if (t.status !== 'built') {
        out.push(t);
        continue;
      }
      const id = { project: t.project, target: t.target };
      const entry = (await this.readRunLog({ ...id, configuration: CONFIGURATION }, since)) ?? (await this.readRunLog(id, since));
      out.push(entry ? { ...t, executorMs: entry.durationMs } : t);
    }
    return out;
  }

  /** Any CLI command, measured, in ours' environment, invoked as CI does (node tools/ship/cli/bin/bllvm-release.cjs). */
  async cli(...args: string[]): Promise<Measured> {
    return this.cliWith({}, ...args);
  }

  async cliWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Measured> {
    return measure(process.execPath, [join(this.ws, CLI_BIN), ...args], { cwd: this.ws, env: this.oursEnv(env) });
  }

  async nxCommand(...args: string[]): Promise<Measured> {
    return measure('npx', ['nx', ...args], { cwd: this.ws, env: this.oursEnv() });
  }

  async command(cmd: string, args: string[]): Promise<Measured> {
    return measure(cmd, args, { cwd: this.ws, env: this.oursEnv() });
  }
}

async function touchTree(dir: string): Promise<void> {
  const now = new Date();
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) await utimes(join(e.parentPath, e.name), now, now);
  }
}

async function readNxProfile(file: string): Promise<NxTaskTiming[]> {
  let events: { name?: string; ph?: string; ts?: number; dur?: number; args?: { status?: string } }[];
  try {
    events = JSON.parse(await readFile(file, 'utf8')) as typeof events;
  } catch {
    return [];
  }
  return events
    .filter((e) => e.ph === 'X' && e.name && typeof e.ts === 'number' && typeof e.dur === 'number')
    .map((e) => ({ task: taskKey(e.name!), startMs: e.ts! / 1000, endMs: (e.ts! + e.dur!) / 1000, status: e.args?.status ?? '' }));
}
