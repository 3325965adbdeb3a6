import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { commands } from '@bllvm/cli';
import { componentShape, componentTargetNames } from '@bllvm/manifest';
import { parse } from 'smol-toml';

/** What a workflow may ask of this repository: Nx targets per project, and CLI command names. */
export interface WorkspaceFacts {
  /** project name → the targets its project.json declares. */
  targets: Map<string, Set<string>>;
  cliCommands: Set<string>;
  /** Owners (GitHub organisations) of the component repositories, from each component's pin.toml. */
  owners: Set<string>;
}

export const WORKSPACE_ROOT = resolve(import.meta.dirname, '../../../..');

/**
 * Targets come from the projects' own project.json and, for a component, the targets the Nx plugin
 * infers from its kinds (componentTargets): nx.json configures none, so a target only it mentioned
 * would make `nx affected -t` run nothing.
 * Commands come from the CLI's own list, the one its dispatcher uses.
 */
export async function loadWorkspaceFacts(workspaceRoot = WORKSPACE_ROOT): Promise<WorkspaceFacts> {
  const targets = new Map<string, Set<string>>();
  const owners = new Set<string>();
  const apps = join(workspaceRoot, 'apps');
  for (const entry of await readdir(apps, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const text = await readFile(join(apps, entry.name, 'project.json'), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const project = JSON.parse(text) as { name?: string; tags?: string[]; targets?: Record<string, unknown> };
    const shape = componentShape(project);
    targets.set(project.name ?? entry.name, new Set([...(shape ? componentTargetNames(shape) : []), ...Object.keys(project.targets ?? {})]));
    const pin = await readFile(join(apps, entry.name, 'pin.toml'), 'utf8').catch(() => undefined);
    const repository = pin === undefined ? undefined : (parse(pin) as { repository?: unknown }).repository;
    if (typeof repository === 'string' && repository.includes('/')) owners.add(repository.split('/')[0]!);
  }
  return { targets, cliCommands: new Set(commands.map((c) => c.name)), owners };
}
