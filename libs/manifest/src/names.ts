import type { Component } from './component';
import { OrchestratorError } from './errors';
import { printable } from './refs';

/**
 * Names as data. A component is named differently by different senders: its id here, its
 * repository (with or without owner), its crate, or a name it had before a rename (old senders keep
 * sending those). Every one of them comes from the component's pin, so a rename is a pin change,
 * never a code change: nothing here knows any particular name.
 */

/** A name that names no component, or more than one: exit code 1 unless the caller says otherwise. */
export class NameError extends OrchestratorError {
  override name = 'NameError';
  constructor(
    message: string,
    /** unknown: no component answers to the name; ambiguous: several do. */
    readonly reason: 'unknown' | 'ambiguous',
    options: { exitCode?: number } = {},
  ) {
    super(message, options);
  }
}

export interface ResolvedName {
  component: Component;
  /** Set when `name` is a former name: says which name to use instead. */
  warning?: string;
}

/** What a name matched, strongest first: a current name beats a former one. */
type Match = 'id' | 'current' | 'former';

/** The names a component answers to now: id, owner/name, name, crate. */
export function currentNames(c: Component): string[] {
  return unique([c.id, c.repository, c.checkoutFolder, ...(c.crate.name !== undefined ? [c.crate.name] : [])]);
}

/** Every name of a component, current then former (former names also with the repository's owner). */
export function allNames(c: Component): string[] {
  const owner = c.repository.slice(0, c.repository.indexOf('/'));
  return unique([...currentNames(c), ...c.formerNames, ...c.formerNames.map((f) => `${owner}/${f}`)]);
}

function matchOf(c: Component, name: string): Match | undefined {
  if (c.id === name) return 'id';
  if (currentNames(c).includes(name)) return 'current';
  if (allNames(c).includes(name)) return 'former';
  return undefined;
}

/**
 * The component `name` names. The id wins outright (ids are unique, and every file here is named
 * by them, so a component can always be named by its id); otherwise a current name, then a former
 * name, each of which must name exactly one component. A former name resolves with a warning that
 * names the current one, so a sender can be updated before the name is dropped from the pin.
 */
export function resolveComponent(components: readonly Component[], name: string, options: { exitCode?: number } = {}): ResolvedName {
  for (const tier of ['id', 'current', 'former'] as const) {
    const found = components.filter((c) => matchOf(c, name) === tier);
    if (found.length > 1)
      throw new NameError(
        `"${printable(name, 60)}" is ambiguous: it names ${found.map(describe).join(' and ')}; use one of their ids (${found.map((c) => c.id).join(', ')})`,
        'ambiguous',
        options,
      );
    const [component] = found;
    if (!component) continue;
    if (tier !== 'former') return { component };
    return { component, warning: `"${name}" is a former name of ${describe(component)}; use "${component.id}"` };
  }
  throw new NameError(
    `unknown component "${printable(name, 60)}" (known: ${components.map((c) => c.id).join(', ')}; ` +
      `or a repository, crate or former name: ${components.map((c) => allNames(c).filter((n) => n !== c.id).join(', ')).filter(Boolean).join('; ')})`,
    'unknown',
    options,
  );
}

function describe(c: Component): string {
  return `${c.id} (${c.repository})`;
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}

/**
 * The component a legacy `build_<word>` event type names, from the stack's names alone: `word` is
 * a name of exactly one component (as resolveComponent reads it), or else exactly one `-`-separated
 * word of exactly one component's names ("node" for a component whose repository is x-node). Former
 * names count, so a type an old sender derived from an old name keeps working (with a warning).
 * Returns undefined when no component, or more than one, fits: the caller refuses the type.
 */
export function componentOfWord(components: readonly Component[], word: string): ResolvedName | undefined {
  try {
    return resolveComponent(components, word);
  } catch (e) {
    if (!(e instanceof NameError)) throw e;
  }
  const current = components.filter((c) => currentNames(c).some((n) => hasWord(n, word)));
  if (current.length === 1) return { component: current[0]! };
  if (current.length > 1) return undefined;
  const former = components.filter((c) => allNames(c).some((n) => hasWord(n, word)));
  if (former.length !== 1) return undefined;
  return { component: former[0]!, warning: `"${word}" names ${describe(former[0]!)} only through a former name; use "${former[0]!.id}"` };
}

function hasWord(name: string, word: string): boolean {
  const bare = name.slice(name.indexOf('/') + 1);
  return bare.split('-').includes(word);
}
