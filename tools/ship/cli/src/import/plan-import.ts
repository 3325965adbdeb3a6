import { type Component, type Pin, repositoryName } from '@bllvm/manifest';
import type { DiscoveredRepository } from '@bllvm/sources';

/** One repository to adopt, as given on the command line: `owner/name`, or `owner/name=<component id>`. */
export interface ImportTarget {
  repository: string;
  /** The component's id here; default: the component that already has this repository, else the repository's name. */
  id?: string;
  crateDir?: string;
}

export type ImportAction =
  | { kind: 'add'; id: string; pin: Pin; crateKind: 'library' | 'binary' }
  | { kind: 'move'; id: string; from: Pin; pin: Pin }
  | { kind: 'unchanged'; id: string; pin: Pin };

const lower = (s: string) => s.toLowerCase();

/**
 * The component a repository belongs to: the one named on the command line, else the one pinned
 * to this repository, else the one that had its name before (a rename seen from the new name). Pure.
 */
export function matchComponent(components: readonly Component[], target: ImportTarget): Component | undefined {
  if (target.id !== undefined) return components.find((c) => c.id === target.id);
  const name = lower(repositoryName(target.repository));
  return (
    components.find((c) => lower(c.repository) === lower(target.repository)) ??
    components.find((c) => lower(c.id) === name || c.formerNames.some((f) => lower(f) === name))
  );
}

/**
 * What importing one discovered repository does to the stack. An existing component's pin moves to
 * the head and takes the repository, crate name and crate folder found there; names it leaves
 * behind (an old repository or crate name) become former names, so old senders still reach it. Pure.
 */
export function planImport(components: readonly Component[], target: ImportTarget, found: DiscoveredRepository): ImportAction {
  const existing = matchComponent(components, target);
  const pin: Pin = {
    repository: found.repository,
    branch: found.branch,
    commit: found.head,
    crate: found.crate.name,
    ...(found.crate.dir !== '.' ? { crateDir: found.crate.dir } : {}),
  };
  if (!existing) {
    const id = target.id ?? repositoryName(found.repository);
    return { kind: 'add', id, pin, crateKind: found.crate.kind };
  }
  const from = existing.pin;
  const left = [repositoryName(from.repository), from.crate].filter((n): n is string => n !== undefined);
  const keep = new Set([repositoryName(pin.repository), pin.crate, existing.id]);
  const formerNames = [...new Set([...(from.formerNames ?? []), ...left])].filter((n) => !keep.has(n));
  const moved: Pin = { ...pin, ...(formerNames.length ? { formerNames } : {}) };
  return samePin(from, moved) ? { kind: 'unchanged', id: existing.id, pin: from } : { kind: 'move', id: existing.id, from, pin: moved };
}

function samePin(a: Pin, b: Pin): boolean {
  const norm = (p: Pin) => JSON.stringify([p.repository, p.branch, p.commit, p.crate ?? null, p.crateDir ?? '.', [...(p.formerNames ?? [])].sort()]);
  return norm(a) === norm(b);
}

/** `owner/name` or `owner/name=id`, checked before anything is fetched. Pure; returns the problem or the target. */
export function parseImportTarget(arg: string): ImportTarget | string {
  const m = /^([A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100})(?:=([a-z0-9][a-z0-9_-]{0,63}))?$/.exec(arg);
  if (!m || /\/\.\.?(=|$)/.test(arg)) return `"${arg.slice(0, 120)}" is not owner/name or owner/name=<component>`;
  return { repository: m[1]!, ...(m[2] !== undefined ? { id: m[2] } : {}) };
}

/** An Nx project of the workspace as Nx reports it: its name and its folder. */
export interface WorkspaceProject {
  name: string;
  root: string;
}

/** A repository that would become a new component, and the id it would get. */
export interface NewComponentId {
  repository: string;
  id: string;
}

/**
 * The repositories no existing component takes, with the id each would be added as (its =id,
 * else its name): known before anything is fetched, so a bad id is refused first. Pure.
 */
export function newComponentIds(components: readonly Component[], targets: readonly ImportTarget[]): NewComponentId[] {
  return targets.filter((t) => !matchComponent(components, t)).map((t) => ({ repository: t.repository, id: t.id ?? repositoryName(t.repository) }));
}

/**
 * Why new components cannot take their ids. A component's id is the name of its Nx project
 * (apps/<id>/project.json), so it must be no other project's name: not only another component's,
 * but the release set's, a tool's (cli, nx-plugin) or a library's, which Nx would refuse as a
 * duplicate only after the pins were written. Case is ignored (dist folders and tags on a
 * case-insensitive disk), and apps/<id> must not exist yet. Pure; `takenFolders` are the apps/<id>
 * folders found on disk.
 */
export function idCollisions(added: readonly NewComponentId[], projects: readonly WorkspaceProject[], takenFolders: readonly string[]): string[] {
  const problems: string[] = [];
  for (const { repository, id } of added) {
    const instead = `give it another id: ${repository}=<other-id>`;
    const named = projects.find((p) => lower(p.name) === lower(id));
    const folder = `apps/${id}`;
    if (named) {
      problems.push(`${repository} would be component "${id}", the name of the Nx project ${named.name} (${named.root})${named.name === id ? '' : ' but for case'}; ${instead}`);
      continue;
    }
    const housed = projects.find((p) => lower(p.root) === lower(folder));
    if (housed) problems.push(`${repository} would be component "${id}" in ${folder}, the folder of the Nx project ${housed.name}; ${instead}`);
    else if (takenFolders.some((f) => lower(f) === lower(folder))) {
      problems.push(`${repository} would be component "${id}" in ${folder}, a folder that already exists (not an Nx project); move it away or ${instead}`);
    }
  }
  return problems;
}
