import type { ComponentGraph } from '@bllvm/manifest';
import type { OrchestratorConfig } from '@bllvm/contract';
import { type ProbeRun, ScratchStack } from '../scratch/scratch-stack';
import { probeTargets } from './judge';

export type { ProbeRun } from '../scratch/scratch-stack';

/**
 * The bisection's scratch workspace (scratch/scratch-stack.ts): this checkout's shared Nx cache,
 * and a probe runs the component's build and the bisected target.
 */
export class BisectStack {
  private constructor(private readonly stack: ScratchStack) {}

  static async open(o: { root: string; dir: string; commit: string; graph: ComponentGraph; config: OrchestratorConfig; env: NodeJS.ProcessEnv; log: (line: string) => void }): Promise<BisectStack> {
    return new BisectStack(await ScratchStack.open(o));
  }

  moveTo(...args: Parameters<ScratchStack['moveTo']>): Promise<void> {
    return this.stack.moveTo(...args);
  }

  /** Runs `targets` (the component's build and `target`) on `projects`, and what they depend on, in the current state. */
  run(project: string, target: string, projects: string[] = [project], targets: string[] = probeTargets(target)): Promise<ProbeRun> {
    return this.stack.run(projects, targets);
  }
}
