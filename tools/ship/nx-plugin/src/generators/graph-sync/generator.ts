import type { Tree } from '@nx/devkit';
import { OrchestratorError } from '@bllvm/manifest';
import { type OrchestratorConfig, readConfig } from '@bllvm/contract';
import { deriveStack } from '../../executors/graph-check/derive';
import { applyDerivedGraph } from './apply';

export class GraphSyncError extends OrchestratorError {
  override name = 'GraphSyncError';
}

/**
 * Nx sync generator (global: registered in nx.json `sync.globalGenerators`, so it runs on
 * `nx sync` and `nx sync:check` only, never before a task): the component graph in
 * apps/*\/project.json follows the pinned manifests, as `cargo metadata` reads them.
 */
export default async function graphSyncGenerator(tree: Tree): Promise<GraphSyncResult | undefined> {
  return syncGraph(tree, tree.root, readConfig(tree.root));
}

export interface GraphSyncResult {
  outOfSyncMessage: string;
  outOfSyncDetails: string[];
}

/** The generator's work: pins and manifests read from `workspaceRoot` on disk, project.json written through `tree`. */
export async function syncGraph(tree: Tree, workspaceRoot: string, cfg: OrchestratorConfig): Promise<GraphSyncResult | undefined> {
  const derived = await deriveStack(workspaceRoot, cfg);
  if (derived.problems.length)
    throw new GraphSyncError(
      `the pinned manifests cannot be turned into the component graph (${derived.problems.length} problem${derived.problems.length === 1 ? '' : 's'}):\n${derived.problems.map((p) => `  ${p}`).join('\n')}`,
    );
  const lines = applyDerivedGraph(tree, derived.stack.components, derived);
  if (lines.length === 0) return undefined;
  return {
    outOfSyncMessage: `The component graph in project.json differs from the pinned Cargo manifests (${lines.length} difference${lines.length === 1 ? '' : 's'}); \`nx sync\` writes it.`,
    outOfSyncDetails: lines,
  };
}
