import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type ComponentGraph, readComponentGraph } from '@bllvm/manifest';
import { CommandError } from './command';

/** The folder holding nx.json, from `start` upwards. */
export function findWorkspaceRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new CommandError(`no nx.json found in ${start} or any parent folder`);
    dir = parent;
  }
}

export async function loadGraph(workspaceRoot: string): Promise<ComponentGraph> {
  return readComponentGraph(workspaceRoot);
}
