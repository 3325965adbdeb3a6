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
import { probeTargets } from './judge';

/** Variables no bisection build needs: the publishing tokens stay with the job that publishes. */
const WITHHELD = new Set(['GITHUB_TOKEN', 'GH_TOKEN', 'BLLVM_DEPLOY_TOKEN', 'BLLVM_CARGO_REGISTRY_TOKEN']);

export interface ProbeRun {
  tasks: TaskOutcome[];
  /** The tail of what Nx printed: the failing task's output for the report. */
  output: string;
  wallMs: number;
}

/**
 * The scratch workspace a bisection builds in: a clone of this checkout, moved from state to state
 * (a commit of this repository, with some pins set elsewhere), never pushed and never published
 * from. It shares this checkout's work dir (mirrors, checkouts) and Nx cache, so a component a
 * state does not change is a cache hit; the command holds the checkout's run lock meanwhile.
 */
export class ScratchStack {
  private constructor(
    readonly dir: string,
    private readonly graph: ComponentGraph,
    private readonly config: OrchestratorConfig,
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: (line: string) => void,
  ) {}

  static async open(o: { root: string; dir: string; commit: string; graph: ComponentGraph; config: OrchestratorConfig; env: NodeJS.ProcessEnv; log: (line: string) => void }): Promise<ScratchStack> {
    const ws = await freshWorkspace(o.root, o.commit, join(o.dir, 'workspace'));
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(o.env)) if (!WITHHELD.has(k)) env[k] = v;
    const cache = env.NX_CACHE_DIRECTORY;
    env.NX_CACHE_DIRECTORY = cache ? (isAbsolute(cache) ? cache : join(o.root, cache)) : join(o.root, '.nx', 'cache');
    env.BLLVM_WORK_DIR = o.config.workDir;
    return new ScratchStack(ws, o.graph, o.config, nxEnv(env), o.log);
  }

  /**
   * Puts the workspace at `commit` of this repository with `pins` (component → commit) written over
   * the pins it records; derives the graph as `nx sync` does when a moved pin changes a manifest.
   */
  async moveTo(commit: string, pins: PinSet = {}): Promise<void> {
    const checkout = await git(['checkout', '--quiet', '--force', '--detach', commit], { cwd: this.dir });
    if (!checkout.ok) throw new CommandError(`cannot check out ${commit.slice(0, 12)} in the bisection workspace: ${gitReason(checkout)}`);
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

  /** Runs `targets` (the component's build and `target`) on `projects`, and what they depend on, in the current state. */
  async run(project: string, target: string, projects: string[] = [project], targets: string[] = probeTargets(target)): Promise<ProbeRun> {
    let output = '';
    const r = await runTargets({
      workspaceRoot: this.dir, targets, projects, env: this.env,
      onOutput: (chunk) => { output = (output + chunk).slice(-20_000); },
    });
    return { tasks: r.tasks, output, wallMs: r.wallMs };
  }
}
