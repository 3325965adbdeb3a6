import { type ComponentGraph, redactCredentials } from '@bllvm/manifest';
import type { OrchestratorConfig } from '@bllvm/contract';
import type { SandboxCommandRun } from '@bllvm/nx-plugin';
import { CommandError } from '../command';
import { type ProbeRun, ScratchStack } from '../scratch/scratch-stack';
import { probeTargets } from './judge';

export type { ProbeRun } from '../scratch/scratch-stack';

/**
 * The bisection's scratch workspace (scratch/scratch-stack.ts): this checkout's shared Nx cache,
 * and a probe runs the component's build and the bisected target.
 */
export class BisectStack {
  private constructor(
    private readonly stack: ScratchStack,
    private readonly o: { config: OrchestratorConfig; env: NodeJS.ProcessEnv; log: (line: string) => void },
  ) {}

  static async open(o: { root: string; dir: string; commit: string; graph: ComponentGraph; config: OrchestratorConfig; env: NodeJS.ProcessEnv; log: (line: string) => void }): Promise<BisectStack> {
    return new BisectStack(await ScratchStack.open(o), o);
  }

  moveTo(...args: Parameters<ScratchStack['moveTo']>): Promise<void> {
    return this.stack.moveTo(...args);
  }

  /** Runs `targets` (the component's build and `target`) on `projects`, and what they depend on, in the current state. */
  run(project: string, target: string, projects: string[] = [project], targets: string[] = probeTargets(target)): Promise<ProbeRun> {
    return this.stack.run(projects, targets);
  }

  /**
   * Runs the operator's command in the current state, beside `project:target` (which must have
   * passed in this state): in that task's build sandbox, through the cargo executor's own
   * sandbox (nx-plugin's runSandboxCommand), never on the host.
   */
  async runCommand(project: string, target: string, command: string): Promise<SandboxCommandRun> {
    // Loaded when a command runs, not with the CLI: the plugin's sources are CommonJS to tsx, which
    // then cannot require execa, and the tools that read the CLI's commands through tsx
    // (workflow-check) would not start. The bundle inlines it all the same.
    const { runSandboxCommand } = await import('@bllvm/nx-plugin');
    try {
      return await runSandboxCommand({ workspaceRoot: this.stack.dir, component: project, target, config: this.o.config, command, env: this.o.env, log: this.o.log });
    } catch (e) {
      // The sandbox could not be set up (a checkout, the target's options): the state is not judged, the bisection stops.
      throw new CommandError(`cannot run the command beside ${project}:${target}: ${redactCredentials((e as Error).message)}`);
    }
  }
}
