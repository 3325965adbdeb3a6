import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CreateNodesV2 } from '@nx/devkit';
import type { ComponentProjectFile } from '@bllvm/manifest';
import { inferComponent } from './infer';

/**
 * The plugin nx.json lists: Nx loads it (from this TypeScript source, before any bundle exists)
 * to infer each component's targets from its pin.toml and the kinds its project.json tags state,
 * as @monodon/rust infers a crate's from its Cargo.toml. The executors are reached through
 * executors.json instead.
 */
export const name = '@bllvm/nx-plugin';

/** Each apps/<component>/pin.toml makes its folder a component with the targets its kinds give. */
export const createNodesV2: CreateNodesV2 = [
  'apps/*/pin.toml',
  // One [file, nodes] pair per pin, as Nx's createNodesFromFiles returns; written out because the
  // value import of @nx/devkit costs most of a second on every Nx start (types only are imported).
  async (pinFiles, _options, context) =>
    pinFiles.map((pinFile) => [pinFile, { projects: inferComponent(pinFile, readProject(join(context.workspaceRoot, dirname(pinFile)))) }] as const),
];

/** The component's project.json (tags, the targets it adds to), or undefined when the folder has none. */
function readProject(dir: string): ComponentProjectFile | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, 'project.json'), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return JSON.parse(text) as ComponentProjectFile;
}
