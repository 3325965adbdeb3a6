import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OrchestratorConfig } from '@bllvm/contract';
import { type Input, devUpstreamsOf } from '@bllvm/manifest';
import { type GraphCheckFindings, checkDeclaredGraph } from './compare';
import { deriveStack } from './derive';

export interface GraphCheckResult extends GraphCheckFindings {
  /** Components whose manifests cargo had to read (the rest came from the cache), and its time. */
  cargoRuns: number;
  cargoMs: number;
}

/**
 * Compare the declared graph (implicitDependencies, the test targets' dev upstreams) with the
 * edges cargo reads from the pinned manifests, the same derivation `nx sync` writes from.
 */
export async function checkGraphAgainstCargo(workspaceRoot: string, cfg: OrchestratorConfig): Promise<GraphCheckResult> {
  const derived = await deriveStack(workspaceRoot, cfg);
  const declared = await Promise.all(
    derived.stack.components.map(async (c) => {
      const projectJson = `${c.projectRoot}/project.json`;
      const project = JSON.parse(await readFile(join(workspaceRoot, projectJson), 'utf8')) as { targets?: { test?: { inputs?: Input[] } } };
      return { id: c.id, projectJson, dependencies: c.dependencies, testUpstreams: devUpstreamsOf(project.targets?.test?.inputs) };
    }),
  );
  return { ...checkDeclaredGraph(declared, derived.edges, derived.problems), cargoRuns: derived.cargoRuns, cargoMs: derived.cargoMs };
}
