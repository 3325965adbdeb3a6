import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BuildRecord, type ComponentGraph, type ImageRecord, pinPath, readComponentGraph, readPin } from '@bllvm/manifest';
import type { StageComponent } from '@bllvm/release';
import type { PublishRequest } from './request';

/** The release set as recorded: the pins at HEAD and what the builds made of them. */
export interface ReleaseSet {
  orchestratorCommit: string;
  graph: ComponentGraph;
  components: StageComponent[];
  /** Component -> pinned commit. */
  current: Record<string, string>;
  /** Component -> owner/repo of its source. */
  repositories: Record<string, string>;
}

/** Read every component's pin, its build record and, for an image component, its image record. */
export async function readReleaseSet(req: PublishRequest, orchestratorCommit: string): Promise<ReleaseSet> {
  const root = req.root;
  const graph = await readComponentGraph(root);
  const components: StageComponent[] = [];
  const current: Record<string, string> = {};
  const repositories: Record<string, string> = {};
  for (const name of graph.components) {
    const pin = await readPin(pinPath(root, graph.roots[name]!));
    current[name] = pin.commit;
    repositories[name] = pin.repository;
    const buildRecord = JSON.parse(await readFile(join(root, 'dist', name, 'build', 'build.json'), 'utf8')) as BuildRecord;
    let image: ImageRecord | undefined;
    if (graph.tags[name]?.includes('kind:image')) image = JSON.parse(await readFile(join(root, 'dist', name, 'image.json'), 'utf8')) as ImageRecord;
    components.push({ name, buildRecord, image });
  }
  return { orchestratorCommit, graph, components, current, repositories };
}
