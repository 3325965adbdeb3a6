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
