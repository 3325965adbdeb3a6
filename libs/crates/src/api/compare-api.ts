import { type ApiItem, type ApiItemKind, type PublicApi, apiKey } from './read-api';

export type ApiClassification = 'breaking' | 'additive' | 'none';

export interface ApiChange {
  path: string;
  kind: ApiItemKind;
  change: 'removed' | 'renamed' | 'changed' | 'added' | 'new-required-item' | 'new-variant' | 'new-field' | 'no-longer-exhaustive' | 'now-required' | 'now-provided' | 'now-exhaustive';
  /** What changed, on one line, naming the item. */
  line: string;
}

export interface ApiComparison {
  classification: ApiClassification;
  breaking: ApiChange[];
  additive: ApiChange[];
}

/** The kinds other entries belong to (their `parent`). */
const OWNERS = new Set<ApiItemKind>(['struct', 'union', 'enum', 'trait']);

const LABEL: Record<ApiItemKind, string> = {
  module: 'module', function: 'fn', struct: 'struct', union: 'union', field: 'field', enum: 'enum', variant: 'variant', trait: 'trait',
  'trait-alias': 'trait alias', 'trait-item': 'trait item', method: 'method', constant: 'const', static: 'static', 'type-alias': 'type',
  macro: 'macro', impl: 'impl', 're-export': 're-export', 'extern-type': 'extern type',
};

/**
 * What changed from `before` to `after`, as semver sees it, conservatively: an item gone or
 * renamed, a changed signature, a variant or field gone, a new required trait item, a new variant
 * of an exhaustive enum or a new field of a struct built by literal, a type that stopped being
 * exhaustive → breaking; anything new that breaks no user → additive. Members of an item that is
 * itself removed or added are not listed again. Pure.
 */
export function compareApi(before: PublicApi, after: PublicApi): ApiComparison {
  const was = byKey(before.items);
  const now = byKey(after.items);
  const removed = [...was.values()].filter((i) => !now.has(apiKey(i)));
  const added = [...now.values()].filter((i) => !was.has(apiKey(i)));
  const breaking: ApiChange[] = [];
  const additive: ApiChange[] = [];

  // A removed item with one twin among the added (same kind, place and signature but for its name), and no other: a rename.
  const shape = (i: ApiItem) => `${i.kind}\u0001${i.parent ?? ''}\u0001${parentPath(i.path)}\u0001${unnamed(i)}`;
  const group = (items: ApiItem[]) => {
    const m = new Map<string, ApiItem[]>();
    for (const i of items) m.get(shape(i))?.push(i) ?? m.set(shape(i), [i]);
    return m;
  };
  const removedShapes = group(removed);
  const addedShapes = group(added);
  const renamedFrom = new Map<ApiItem, ApiItem>();
  const renamedTo = new Set<ApiItem>();
  for (const [k, from] of removedShapes) {
    const to = addedShapes.get(k);
    if (from.length !== 1 || to?.length !== 1) continue;
    renamedFrom.set(from[0]!, to[0]!);
    renamedTo.add(to[0]!);
  }
  const gone = new Set(removed.map((i) => i.path));
  const fresh = new Set(added.map((i) => i.path));
  const owners = new Map(before.items.filter((i) => OWNERS.has(i.kind)).map((i) => [i.path, i]));
  const under = (item: ApiItem, set: Set<string>) => ancestors(item).some((p) => set.has(p));

  for (const r of removed) {
    if (under(r, gone)) continue;
    const to = renamedFrom.get(r);
    if (to) breaking.push(change(r, 'renamed', `renamed ${LABEL[r.kind]} ${r.path} → ${to.path}`));
    else breaking.push(change(r, 'removed', `removed ${LABEL[r.kind]} ${r.path}: ${r.signature}`));
  }
  for (const a of added) {
    if (renamedTo.has(a) || under(a, fresh)) continue;
    const owner = a.parent === undefined ? undefined : owners.get(a.parent);
    if (a.kind === 'trait-item' && a.required && owner)
      breaking.push(change(a, 'new-required-item', `new required item ${a.path} in trait ${owner.path}: ${a.signature} (every implementor must now write it)`));
    else if (a.kind === 'variant' && owner?.kind === 'enum' && owner.exhaustive)
      breaking.push(change(a, 'new-variant', `new variant ${a.path}: ${a.signature} of enum ${owner.path}, which is not #[non_exhaustive] (matches without a wildcard stop compiling)`));
    else if (a.kind === 'field' && owner?.kind === 'struct' && owner.exhaustive)
      breaking.push(change(a, 'new-field', `new field ${a.path}: ${a.signature} of struct ${owner.path}, which users can build by literal`));
    else additive.push(change(a, 'added', `added ${LABEL[a.kind]} ${a.path}: ${a.signature}`));
  }
  for (const [key, b] of was) {
    const a = now.get(key);
    if (!a) continue;
    if (a.signature !== b.signature) breaking.push(change(a, 'changed', `changed ${LABEL[a.kind]} ${a.path}: ${b.signature} → ${a.signature}`));
    if (b.exhaustive === true && a.exhaustive === false)
      breaking.push(change(a, 'no-longer-exhaustive', `${LABEL[a.kind]} ${a.path} became #[non_exhaustive] or gained private fields: users can no longer ${a.kind === 'enum' ? 'match it without a wildcard' : 'build it by literal'}`));
    if (b.exhaustive === false && a.exhaustive === true) additive.push(change(a, 'now-exhaustive', `${LABEL[a.kind]} ${a.path} became exhaustive`));
    if (b.required === false && a.required === true) breaking.push(change(a, 'now-required', `trait item ${a.path} lost its default: every implementor must now write it`));
    if (b.required === true && a.required === false) additive.push(change(a, 'now-provided', `trait item ${a.path} gained a default`));
  }
  const order = (x: ApiChange, y: ApiChange) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0);
  breaking.sort(order);
  additive.sort(order);
  return { classification: breaking.length ? 'breaking' : additive.length ? 'additive' : 'none', breaking, additive };
}

function byKey(items: readonly ApiItem[]): Map<string, ApiItem> {
  return new Map(items.map((i) => [apiKey(i), i]));
}

function change(item: ApiItem, kind: ApiChange['change'], line: string): ApiChange {
  return { path: item.path, kind: item.kind, change: kind, line: line.replace(/\s+/g, ' ') };
}

function parentPath(path: string): string {
  const i = path.lastIndexOf('::');
  return i < 0 ? '' : path.slice(0, i);
}

/** Every path `item` lives under: its parent entry and the modules above it. */
function ancestors(item: ApiItem): string[] {
  const out = item.parent ? [item.parent] : [];
  for (let p = parentPath(item.parent ?? item.path); p; p = parentPath(p)) out.push(p);
  return out;
}

/** The signature with the item's own name taken out, so a rename compares equal. */
function unnamed(item: ApiItem): string {
  const name = item.path.slice(item.path.lastIndexOf('::') + 2);
  return item.signature.replace(new RegExp(`(^|[^A-Za-z0-9_])${name.replace(/[^A-Za-z0-9_]/g, '\\$&')}(?![A-Za-z0-9_])`), '$1\u0000');
}
