import { type Component, type Pin, allNames, repositoryName } from '@bllvm/manifest';
import type { DiscoveredRepository } from '@bllvm/sources';

/** One repository to adopt, as given on the command line: `owner/name`, or `owner/name=<component id>`. */
export interface ImportTarget {
  repository: string;
  /** The component's id here; default: the component that already has this repository, else the repository's name. */
  id?: string;
  crateDir?: string;
}

export type ImportAction =
  /** `version`: what its versions.toml entry gets (the crate's, crate-version.ts); `note` says why when it is not the crate's own. */
  | { kind: 'add'; id: string; pin: Pin; crateKind: 'library' | 'binary'; version?: string; note?: string }
  | { kind: 'move'; id: string; from: Pin; pin: Pin }
  | { kind: 'unchanged'; id: string; pin: Pin };

const lower = (s: string) => s.toLowerCase();

/**
 * Every name in a component's lineage, bare and lowercase: its id, its repository and checkout
 * folder, its crate, and the former names its pin keeps (the repository's and crate's names
 * before renames, and the earlier names the org's old files used, such as consensus-proof). Pure.
 */
export function lineage(c: Component): Set<string> {
  return new Set(allNames(c).map((n) => lower(n.includes('/') ? repositoryName(n) : n)));
}

/**
 * The component a repository belongs to: the one named on the command line, else the one pinned
 * to this repository, else the one whose lineage has the repository's name (a rename seen from
 * the new name, or a name from before it). Pure.
 */
export function matchComponent(components: readonly Component[], target: ImportTarget): Component | undefined {
  if (target.id !== undefined) return components.find((c) => c.id === target.id);
  const name = lower(repositoryName(target.repository));
  return components.find((c) => lower(c.repository) === lower(target.repository)) ?? components.find((c) => lineage(c).has(name));
}

/** A repository a --from file names for a component that follows another repository now. */
export interface FromConflict {
  /** The key in the file. */
  key: string;
  repository: string;
  component: string;
  follows: string;
}

/**
 * The targets a --from file gives, checked against the stack and the explicit targets of the
 * command line. A key whose repository is not the one its component follows now would re-point
 * the component: that is a conflict (shown with both repositories) unless the command line maps
 * the component explicitly, which then replaces the key. Pure.
 */
export function fromTargets(
  components: readonly Component[],
  explicit: readonly ImportTarget[],
  keyed: readonly { key: string; target: ImportTarget }[],
): { targets: ImportTarget[]; conflicts: FromConflict[] } {
  const covered = new Set(explicit.map((t) => matchComponent(components, t)?.id).filter((id): id is string => id !== undefined));
  const named = new Set(explicit.map((t) => lower(t.repository)));
  const targets: ImportTarget[] = [];
  const conflicts: FromConflict[] = [];
  for (const { key, target } of keyed) {
    const existing = matchComponent(components, target);
    if (named.has(lower(target.repository)) || (existing && covered.has(existing.id))) continue;
    if (existing && lower(existing.repository) !== lower(target.repository))
      conflicts.push({ key, repository: target.repository, component: existing.id, follows: existing.repository });
    else targets.push(target);
  }
  return { targets, conflicts };
}

/** One line per conflict: both repositories, and the two explicit mappings that settle it. Pure. */
export function describeConflict(file: string, c: FromConflict): string {
  return (
    `${file}: "${c.key}" is ${c.repository}, but component ${c.component} follows ${c.follows}; ` +
    `name the one it should follow: ${c.follows}=${c.component} (keep it) or ${c.repository}=${c.component} (re-point it)`
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
