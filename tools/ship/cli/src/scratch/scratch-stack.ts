import { isAbsolute, join } from 'node:path';
import type { OrchestratorConfig } from '@bllvm/contract';
import { type ComponentGraph, pinPath, readPin, writePin } from '@bllvm/manifest';
import type { PinSet } from '@bllvm/orchestrator';
import { ensureMirror, git, gitReason } from '@bllvm/sources';
import { CommandError } from '../command';
import { nxEnv } from '../nx';
import { syncGraph } from '../release/derive-graph';
import { freshWorkspace } from '../rebuild/fresh-workspace';
import { type TaskOutcome, runTargets } from '../run-targets';

/** Variables no scratch build needs: the publishing tokens stay with the job that publishes. */
const WITHHELD = new Set(['GITHUB_TOKEN', 'GH_TOKEN', 'BLLVM_DEPLOY_TOKEN', 'BLLVM_CARGO_REGISTRY_TOKEN']);

export interface ProbeRun {
  tasks: TaskOutcome[];
  /** The tail of what Nx printed (at most `outputLimit` characters): the failing task's output for the report. */
  output: string;
  wallMs: number;
}

/** Where the scratch workspace's Nx cache is: the checkout's own, or one the caller made (see private-cache.ts). */
export interface ScratchCache {
  /** NX_CACHE_DIRECTORY and NX_WORKSPACE_DATA_DIRECTORY (Nx's index of the cache folder), absolute. */
  directory: string;
  workspaceData: string;
}

export interface ScratchOptions {
  root: string;
  dir: string;
  commit: string;
  graph: ComponentGraph;
  config: OrchestratorConfig;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** Default: the checkout's shared cache, read and written. */
  cache?: ScratchCache;
  /** More variables to keep from the builds than the publishing tokens (the caller decides by name). */
  withhold?: (name: string) => boolean;
  /** How much of Nx's output a run keeps (its tail); default 20 000 characters. */
  outputLimit?: number;
}

/**
 * The scratch workspace a bisection or a trial builds in: a clone of this checkout, moved from
 * state to state (a commit of this repository, with some pins set elsewhere), never pushed and
 * never published from. It shares this checkout's work dir (mirrors, checkouts) and, unless told
 * otherwise, its Nx cache, so a component a state does not change is a cache hit; the command
 * holds the checkout's run lock meanwhile.
 */
export class ScratchStack {
  private constructor(
    readonly dir: string,
    private readonly graph: ComponentGraph,
    private readonly config: OrchestratorConfig,
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: (line: string) => void,
    private readonly outputLimit: number,
  ) {}

  static async open(o: ScratchOptions): Promise<ScratchStack> {
    const ws = await freshWorkspace(o.root, o.commit, join(o.dir, 'workspace'));
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(o.env)) if (!WITHHELD.has(k) && !o.withhold?.(k)) env[k] = v;
    if (o.cache) {
      env.NX_CACHE_DIRECTORY = o.cache.directory;
      env.NX_WORKSPACE_DATA_DIRECTORY = o.cache.workspaceData;
    } else {
      env.NX_CACHE_DIRECTORY = sharedCacheDirectory(o.root, env);
    }
    env.BLLVM_WORK_DIR = o.config.workDir;
    return new ScratchStack(ws, o.graph, o.config, nxEnv(env), o.log, o.outputLimit ?? 20_000);
  }

  /**
   * Puts the workspace at `commit` of this repository with `pins` (component → commit) written over
   * the pins it records; derives the graph as `nx sync` does when a moved pin changes a manifest.
   */
  async moveTo(commit: string, pins: PinSet = {}): Promise<void> {
    const checkout = await git(['checkout', '--quiet', '--force', '--detach', commit], { cwd: this.dir });
    if (!checkout.ok) throw new CommandError(`cannot check out ${commit.slice(0, 12)} in the scratch workspace: ${gitReason(checkout)}`);
    const moves = [];
    for (const [component, to] of Object.entries(pins)) {
      const root = this.graph.roots[component];
      if (!root || !to) continue;
      const file = pinPath(this.dir, root);
      const pin = await readPin(file);
      if (pin.commit === to) continue;
      await ensureMirror(this.config, pin.repository, { commit: to, component });
      moves.push({ component, from: pin.commit, to, repository: pin.repository });
      await writePin(file, { ...pin, commit: to });
    }
    if (moves.length) await syncGraph(this.dir, this.config, this.env, this.log)(moves);
  }

  /** Runs `targets` on `projects`, and what they depend on, in the current state. */
  async run(projects: string[], targets: string[], configuration?: string): Promise<ProbeRun> {
    let output = '';
    const r = await runTargets({
      workspaceRoot: this.dir, targets, projects, env: this.env, ...(configuration ? { configuration } : {}),
      onOutput: (chunk) => { output = (output + chunk).slice(-this.outputLimit); },
    });
    return { tasks: r.tasks, output, wallMs: r.wallMs };
  }
}

/** This checkout's Nx cache folder: NX_CACHE_DIRECTORY (relative to the checkout) or nx.json's default. */
export function sharedCacheDirectory(root: string, env: NodeJS.ProcessEnv): string {
  const cache = env.NX_CACHE_DIRECTORY;
  return cache ? (isAbsolute(cache) ? cache : join(root, cache)) : join(root, '.nx', 'cache');
}

/** The folder of Nx's index of that cache: NX_WORKSPACE_DATA_DIRECTORY or the default. */
export function sharedWorkspaceData(root: string, env: NodeJS.ProcessEnv): string {
  const data = env.NX_WORKSPACE_DATA_DIRECTORY;
  return data ? (isAbsolute(data) ? data : join(root, data)) : join(root, '.nx', 'workspace-data');
}
