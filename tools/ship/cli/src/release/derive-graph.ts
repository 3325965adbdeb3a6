import { execa } from 'execa';
import { type DeriveGraph, movesMayChangeGraph } from '@bllvm/orchestrator';
import type { SourcesConfig } from '@bllvm/sources';
import { CommandError } from '../command';
import { nxCommand, nxEnv } from '../nx';

/**
 * What the pin-moving commands run between writing the moved pins and committing them: `nx sync`,
 * the graph-sync generator that `nx sync:check` holds every commit to. Its project.json changes go
 * into the same commit; when the pinned manifests do not give a graph, nothing is committed. Moves
 * that change no manifest (most) cannot change the graph, and skip it.
 */
export function syncGraph(workspaceRoot: string, sources: SourcesConfig, env: NodeJS.ProcessEnv, log: (line: string) => void): DeriveGraph {
  return async (moves) => {
    if (!(await movesMayChangeGraph(sources, moves))) {
      log('the moved pins change no Cargo.toml: the graph stays as it is');
      return;
    }
    log('deriving the graph of the moved pins from their manifests (nx sync)');
    const r = await execa(...nxCommand(workspaceRoot, ['sync']), { cwd: workspaceRoot, env: nxEnv(env), reject: false, all: true });
    if (r.exitCode !== 0)
      throw new CommandError(
        `the moved pins' manifests do not give a component graph, so no pin was moved (nothing committed):\n${String(r.all).trim().split('\n').slice(-25).join('\n')}`,
      );
  };
}
