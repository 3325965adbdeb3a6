import { type Component, componentOfWord, printable, refProblem, repositoryProblem, withDependents } from '@bllvm/manifest';
import type { EventAction } from './event-action';
import { type EventType, eventType, only } from './event-type';
import {
  EventError, type Json, commitAndBranch, namedComponent, optionalString, optionalType, optionalVersion, requiredString, sameComponent, warnings,
} from './fields';

/** "This upstream changed, rebuild downstream": what the component repositories send each other now. */
export const CHAIN_TYPES = ['develop-chain', 'build-chain', 'upstream-changed'] as const;

/** The governance app's build_<x> shape: a commit, its ref and the sending repository. */
const COMMIT_KEYS = ['ref', 'sha', 'repo'];
/** The seed's build_<x> shape. */
const LEGACY_KEYS = ['triggered_by', 'source_ref', 'source_sha', 'version'];

/** A type that names its component in the type itself, by any of the component's names. */
interface Named {
  component: Component;
  warning?: string;
}

/** A fixed event_type: matched by its exact name. */
const exactly = (name: string) => (type: string) => (type === name ? true : undefined);

/** The component whose names hold the one word an event_type pattern captured. */
function byWord(pattern: RegExp) {
  return (type: string, components: readonly Component[]): Named | undefined => {
    const word = pattern.exec(type)?.[1];
    return (word !== undefined && componentOfWord(components, word)) || undefined;
  };
}

/** Sent by the component repositories' CI through notify-orchestrator.yml: move a pin to a commit. */
const componentUpdated = eventType({
  name: 'component-updated',
  match: exactly('component-updated'),
  shape: only(['component', 'sha', 'ref', 'force']),
  handle(p, { type, source, components }): EventAction {
    const { component, warning } = namedComponent(components, requiredString(p, 'component', type), type);
    optionalType(p, 'force', 'boolean', type);
    return { kind: 'move-pin', component: component.id, ...commitAndBranch(p.sha, p.ref, source), force: p.force === true, source, ...warnings(warning) };
  },
});

/**
 * An upstream changed: its pin moves to its branch head, and it and its dependents rebuild. build-chain
 * as blvm-consensus sends it after publishing also names the commit it published (`source_sha`):
 * then the pin moves to that commit, which must be on the branch the pin tracks (applyEvent refuses
 * it otherwise), so what is built is what the sender built, not a newer head.
 */
const chain = (name: (typeof CHAIN_TYPES)[number]) =>
  eventType({
    name,
    match: exactly(name),
    shape: only(name === 'build-chain' ? ['version', 'source', 'source_sha'] : ['version', 'source']),
    handle(p, { type, source, components }): EventAction {
      const version = optionalVersion(p, 'version', type);
      const { component, warning } = namedComponent(components, requiredString(p, 'source', type), `${type}: source`);
      if (p.source_sha !== undefined && p.source_sha !== null) {
        const { sha } = commitAndBranch(p.source_sha, undefined, type, 'source_sha');
        return { kind: 'move-pin', component: component.id, sha, force: false, source: version ? `${source} (version ${version})` : source, ...warnings(warning) };
      }
      const graph = { components: components.map((c) => c.id), dependencies: Object.fromEntries(components.map((c) => [c.id, [...c.dependencies]])) };
      const scope = withDependents(graph, [component.id]);
      return { kind: 'move-to-head', component: component.id, scope, ...(version ? { version } : {}), source, ...warnings(warning) };
    },
  });

const buildAll = eventType({
  name: 'build_all',
  match: exactly('build_all'),
  shape: only(['nightly', 'version']),
  handle(p, { type, source }): EventAction {
    optionalType(p, 'nightly', 'boolean', type);
    optionalString(p, 'version', type);
    return { kind: 'refresh-all', source };
  },
});

/** An image the deploy signal names: a registry reference or the release asset's URL, one printable word. */
const IMAGE = /^[A-Za-z0-9][\x21-\x7e]{0,255}$/;

/**
 * deploy, the seed orchestrator's signal to the governance app's deployment ({tag, image}): a
 * release has been published and which image to run. It builds nothing, so here it is accepted,
 * checked and answered with nothing to do, as a release notice is.
 */
const deploy = eventType({
  name: 'deploy',
  match: exactly('deploy'),
  shape: only(['tag', 'image']),
  handle(p, { type, source }): EventAction {
    const tag = requiredString(p, 'tag', type);
    const tagProblem = refProblem(tag);
    if (tagProblem) throw new EventError(`${type}: tag ${tagProblem}`);
    const image = optionalString(p, 'image', type);
    if (image !== undefined && !IMAGE.test(image)) throw new EventError(`${type}: image "${printable(image, 60)}" is not an image reference (one word of printable characters)`);
    return {
      kind: 'none',
      source,
      reason: `a deploy signal for ${tag}${image ? ` (image ${image})` : ''}: it tells a deployment which release to run; nothing for the orchestrator to build (pins move on component-updated, build_<x> and the chain events)`,
    };
  },
});

/**
 * build_<x>, in either shape its senders use: the seed's {triggered_by, source_ref, source_sha,
 * version}, or the governance app's {ref, sha, repo}. The type names the component; a field that
 * names it again (triggered_by, repo) must name the same one, by any of its names.
 */
const buildOne = eventType<Named>({
  name: 'build_<x> (x: a name of a component, or one word of exactly one component\'s names)',
  match: byWord(/^build_([a-z0-9][a-z0-9_.-]{0,99})$/),
  shape: (p) =>
    !LEGACY_KEYS.some((k) => k in p) && COMMIT_KEYS.some((k) => k in p)
      ? { name: 'commit', keys: COMMIT_KEYS, alternatively: LEGACY_KEYS }
      : { name: 'legacy', keys: LEGACY_KEYS, alternatively: COMMIT_KEYS },
  handle(p, { type, source, match: { component, warning: typeWarning }, shape, components }): EventAction {
    if (shape === 'commit') {
      const repo = optionalString(p, 'repo', type);
      const repoWarning = repo === undefined ? undefined : sameComponent(components, component, repo, 'repo', type);
      return { kind: 'move-pin', component: component.id, ...commitAndBranch(p.sha, p.ref, source), force: false, source, ...warnings(typeWarning, repoWarning) };
    }
    const by = optionalString(p, 'triggered_by', type);
    const byWarning = by === undefined ? undefined : sameComponent(components, component, by, 'triggered_by', type);
    // Informational, as it always was: never shown or compared, so only its size is bounded.
    optionalString(p, 'version', type);
    const target = commitAndBranch(p.source_sha, p.source_ref, source, 'source_sha', 'source_ref');
    return { kind: 'move-pin', component: component.id, ...target, force: false, source, ...warnings(typeWarning, byWarning) };
  },
});

/**
 * <repository>-release: a component's repository telling its websites that it published a
 * release. The orchestrator builds from pins, not from others' releases, so it is a no-op here:
 * accepted (a sender that also addresses us is not an attack) and checked, but it moves nothing.
 */
const releaseNotice = eventType<Named>({
  name: '<repository>-release',
  match: byWord(/^([A-Za-z0-9][A-Za-z0-9._-]{0,99})-release$/),
  shape: only(['tag', 'source_repo']),
  handle(p: Json, { type, source, match: { component, warning: typeWarning }, components }): EventAction {
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
  },
});

/** A pull request number: a positive integer, as a JSON number or its decimal digits (jq --arg sends a string). */
function pullRequestNumber(p: Json, type: string): number {
  const v = p.number;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[1-9][0-9]{0,8}$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 999_999_999) throw new EventError(`${type}: number must be a pull request number (a positive integer)`);
  return n;
}

/**
 * A component repository's pull request (notify-orchestrator.yml on pull_request_target): try its
 * head (trial.yml). The payload is untrusted: the repository must be the component's own, and the
 * trial checks the head sha against the pull request through the API before building anything.
 */
const pullRequest = eventType({
  name: 'pull-request',
  match: exactly('pull-request'),
  shape: only(['repository', 'number', 'sha']),
  handle(p, { type, source, components }): EventAction {
    const repository = requiredString(p, 'repository', type);
    const problem = repositoryProblem(repository);
    if (problem) throw new EventError(`${type}: repository ${problem}`);
    const { component, warning } = namedComponent(components, repository, type);
    if (repository.toLowerCase() !== component.repository.toLowerCase())
      throw new EventError(`${type}: repository "${printable(repository, 60)}" is not ${component.id}'s repository (${component.repository})`);
    const number = pullRequestNumber(p, type);
    const { sha } = commitAndBranch(p.sha, undefined, type);
    return { kind: 'trial', component: component.id, repository: component.repository, pullRequest: number, sha, source, ...warnings(warning) };
  },
});

/**
 * Every repository_dispatch type handle-event accepts, one entry each. An event_type is the first
 * entry that matches it, so the fixed names come before the patterns (build_all before build_<x>).
 * Component-specific types are read from the stack's names, not listed here.
 */
export const DISPATCH_TYPES: readonly EventType[] = [componentUpdated, ...CHAIN_TYPES.map(chain), buildAll, deploy, pullRequest, buildOne, releaseNotice];
