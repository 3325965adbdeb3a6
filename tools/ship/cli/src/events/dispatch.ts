import { type Component, componentOfWord, printable, refProblem, repositoryProblem, withDependents } from '@bllvm/manifest';
import {
  EventError, type Json, commitAndBranch, namedComponent, onlyKeys, optionalString, optionalType, optionalVersion, requiredString, sameComponent, warnings,
} from './fields';
import type { EventAction } from './event-action';

const MAX_PAYLOAD_BYTES = 4 * 1024;

/** "This upstream changed, rebuild downstream": what the component repositories send each other now. */
export const CHAIN_TYPES = ['develop-chain', 'build-chain', 'upstream-changed'] as const;
/** Sent by the component repositories' CI through notify-orchestrator.yml. */
const COMPONENT_UPDATED = 'component-updated';
const BUILD_ALL = 'build_all';
const LEGACY_KEYS = ['triggered_by', 'source_ref', 'source_sha', 'version'];
/** The governance app's build_<x> shape: a commit, its ref and the sending repository. */
const COMMIT_KEYS = ['ref', 'sha', 'repo'];
const RELEASE_KEYS = ['tag', 'source_repo'];

export function dispatchTypesHelp(): string {
  return [COMPONENT_UPDATED, ...CHAIN_TYPES, BUILD_ALL, 'build_<x> (x: a name of a component, or one word of exactly one component\'s names)', '<repository>-release'].join(', ');
}

export function parseDispatch(event: Json, components: readonly Component[]): EventAction {
  const type = event.action;
  if (typeof type !== 'string') throw new EventError('repository_dispatch: "action" (the event_type) is missing or not a string');
  const payload = event.client_payload ?? {};
  const kind = typeKind(type, components);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new EventError('repository_dispatch: client_payload is not an object');
  if (JSON.stringify(payload).length > MAX_PAYLOAD_BYTES) throw new EventError(`repository_dispatch: client_payload is larger than ${MAX_PAYLOAD_BYTES} bytes`);
  const p = payload as Json;
  const source = `repository_dispatch ${type}`;

  switch (kind.kind) {
    case 'build-all':
      onlyKeys(p, ['nightly', 'version'], type);
      optionalType(p, 'nightly', 'boolean', type);
      optionalString(p, 'version', type);
      return { kind: 'refresh-all', source };
    case 'component-updated': {
      onlyKeys(p, ['component', 'sha', 'ref', 'force'], type);
      const { component, warning } = namedComponent(components, requiredString(p, 'component', type), type);
      optionalType(p, 'force', 'boolean', type);
      return { kind: 'move-pin', component: component.id, ...commitAndBranch(p.sha, p.ref, source), force: p.force === true, source, ...warnings(warning) };
    }
    case 'chain': {
      onlyKeys(p, ['version', 'source'], type);
      const version = optionalVersion(p, 'version', type);
      const { component, warning } = namedComponent(components, requiredString(p, 'source', type), `${type}: source`);
      const graph = { components: components.map((c) => c.id), dependencies: Object.fromEntries(components.map((c) => [c.id, [...c.dependencies]])) };
      const scope = withDependents(graph, [component.id]);
      return { kind: 'move-to-head', component: component.id, scope, ...(version ? { version } : {}), source, ...warnings(warning) };
    }
    case 'build-one':
      return parseBuildOne(type, p, kind.component, kind.warning, components, source);
    case 'release':
      return parseReleaseNotice(type, p, kind.component, kind.warning, components, source);
  }
}

type TypeKind =
  | { kind: 'build-all' | 'component-updated' | 'chain' }
  | { kind: 'build-one' | 'release'; component: Component; warning?: string };

/** What a type asks for. Component-specific types are read from the stack's names, not from a table. */
function typeKind(type: string, components: readonly Component[]): TypeKind {
  if (type === BUILD_ALL) return { kind: 'build-all' };
  if (type === COMPONENT_UPDATED) return { kind: 'component-updated' };
  if ((CHAIN_TYPES as readonly string[]).includes(type)) return { kind: 'chain' };
  const build = /^build_([a-z0-9][a-z0-9_.-]{0,99})$/.exec(type);
  const word = build && componentOfWord(components, build[1]!);
  if (word) return { kind: 'build-one', ...word };
  const release = /^([A-Za-z0-9][A-Za-z0-9._-]{0,99})-release$/.exec(type);
  const released = release && componentOfWord(components, release[1]!);
  if (released) return { kind: 'release', ...released };
  throw new EventError(`repository_dispatch: unknown event type "${printable(type, 60)}" (expected one of ${dispatchTypesHelp()})`);
}

/**
 * build_<x>, in either shape its senders use: the seed's {triggered_by, source_ref, source_sha,
 * version}, or the governance app's {ref, sha, repo}. The type names the component; a field that
 * names it again (triggered_by, repo) must name the same one, by any of its names.
 */
function parseBuildOne(type: string, p: Json, component: Component, typeWarning: string | undefined, components: readonly Component[], source: string): EventAction {
  const commitShape = !LEGACY_KEYS.some((k) => k in p) && COMMIT_KEYS.some((k) => k in p);
  if (commitShape) {
    onlyKeys(p, COMMIT_KEYS, type, LEGACY_KEYS);
    const repo = optionalString(p, 'repo', type);
    const repoWarning = repo === undefined ? undefined : sameComponent(components, component, repo, 'repo', type);
    return { kind: 'move-pin', component: component.id, ...commitAndBranch(p.sha, p.ref, source), force: false, source, ...warnings(typeWarning, repoWarning) };
  }
  onlyKeys(p, LEGACY_KEYS, type, COMMIT_KEYS);
  const by = optionalString(p, 'triggered_by', type);
  const byWarning = by === undefined ? undefined : sameComponent(components, component, by, 'triggered_by', type);
  // Informational, as it always was: never shown or compared, so only its size is bounded.
  optionalString(p, 'version', type);
  const target = commitAndBranch(p.source_sha, p.source_ref, source, 'source_sha', 'source_ref');
  return { kind: 'move-pin', component: component.id, ...target, force: false, source, ...warnings(typeWarning, byWarning) };
}

/**
 * <repository>-release: a component's repository telling its websites that it published a
 * release. The orchestrator builds from pins, not from others' releases, so it is a no-op here:
 * accepted (a sender that also addresses us is not an attack) and checked, but it moves nothing.
 */
function parseReleaseNotice(type: string, p: Json, component: Component, typeWarning: string | undefined, components: readonly Component[], source: string): EventAction {
  onlyKeys(p, RELEASE_KEYS, type);
  const tag = requiredString(p, 'tag', type);
  const tagProblem = refProblem(tag);
  if (tagProblem) throw new EventError(`${type}: tag ${tagProblem}`);
  const repo = optionalString(p, 'source_repo', type);
  let repoWarning: string | undefined;
  if (repo !== undefined) {
    const problem = repositoryProblem(repo);
    if (problem) throw new EventError(`${type}: source_repo ${problem}`);
    repoWarning = sameComponent(components, component, repo, 'source_repo', type);
  }
  return {
    kind: 'none',
    source,
    reason: `${component.repository} released ${tag}; a release notice for its websites, nothing for the orchestrator to build (pins move on component-updated, build_<x> and the chain events)`,
    ...warnings(typeWarning, repoWarning),
  };
}
