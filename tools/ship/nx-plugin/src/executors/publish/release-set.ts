import { type ComponentGraph, readBuildRecord, readImageRecord, readStack } from '@bllvm/manifest';
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

/** Read every component's pin, its build record and, for an image component, its image record (each checked when read). */
export async function readReleaseSet(req: PublishRequest, orchestratorCommit: string): Promise<ReleaseSet> {
  const { graph, components: stack } = await readStack(req.root);
  const components: StageComponent[] = [];
  const current: Record<string, string> = {};
  const repositories: Record<string, string> = {};
  for (const c of stack) {
    current[c.id] = c.pin.commit;
    repositories[c.id] = c.repository;
    const buildRecord = await readBuildRecord(c.dist.build.record);
    const image = c.kinds.includes('image') ? await readImageRecord(c.dist.image.record) : undefined;
    components.push({ name: c.id, buildRecord, image });
  }
  return { orchestratorCommit, graph, components, current, repositories };
}
