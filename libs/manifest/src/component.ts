import { join } from 'node:path';
import { type ComponentGraph, readComponentGraph } from './graph';
import { type Pin, pinPath, readPin, repositoryName } from './pins';

/**
 * What a component ships, from its `kind:*` tags in project.json: the one place its kinds are
 * stated. The Nx plugin infers the component's targets from them, the stage gate checks by them.
 */
export const COMPONENT_KINDS = ['library', 'binary', 'image'] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

const KIND_TAG_PREFIX = 'kind:';

/** The kinds `tags` state, in COMPONENT_KINDS order. Pure. */
export function kindsOfTags(tags: readonly string[]): ComponentKind[] {
  return COMPONENT_KINDS.filter((k) => tags.includes(`${KIND_TAG_PREFIX}${k}`));
}

/** The tags of a component of `kind`: an image ships binaries too. Pure. */
export function kindTags(kind: ComponentKind): string[] {
  return (kind === 'image' ? (['binary', 'image'] as const) : [kind]).map((k) => `${KIND_TAG_PREFIX}${k}`);
}

/** The workspace folder every target writes into (and Nx caches as outputs). */
export const DIST_DIR = 'dist';

/** The Cargo.lock a build compiled from, kept in its build folder (not an artifact: never shipped). */
export const RESOLVED_LOCK = 'Cargo.lock';

/** Where a component's targets write their outputs and records: the one place this layout is spelled. */
export interface ComponentDist {
  /** dist/<id>: all of the component's outputs. */
  dir: string;
  /** Artifacts, a <file>.sha256 each, and build.json (BuildRecord). */
  build: { dir: string; record: string };
  /** test.json (CommandRecord). */
  test: { dir: string; record: string };
  /** verify.json (CommandRecord), where the component has proofs. */
  verify: { dir: string; record: string };
  /** image.json (ImageRecord); the saved image sits beside it under the name the record gives. */
  image: { record: string };
  /** crate.json (CrateRecord); the packaged .crate sits beside it under the name the record gives. Or, for a crate not for the registry, not-published.json (NotPublishedRecord). */
  crate: { dir: string; record: string; notPublished: string };
}

/** The dist paths of component `id` under `distDir` (the workspace's dist/ folder). */
export function componentDist(distDir: string, id: string): ComponentDist {
  const dir = join(distDir, id);
  const command = (name: 'build' | 'test' | 'verify') => ({ dir: join(dir, name), record: join(dir, name, `${name}.json`) });
  return {
    dir, build: command('build'), test: command('test'), verify: command('verify'), image: { record: join(dir, 'image.json') },
    crate: { dir: join(dir, 'crate'), record: join(dir, 'crate', 'crate.json'), notPublished: join(dir, 'crate', 'not-published.json') },
  };
}

/**
 * One component of the stack, everything about it in one value, instead of maps indexed by name.
 * Its id is the name used here; its repository, crate and former names come from its pin, so they
 * may differ from the id and change from one pin to the next (a rename, a crate moved to the root).
 */
export interface Component {
  /** The Nx project name: names the component in dist/, events, versions.toml and tags. */
  id: string;
  /** The Nx project root relative to the workspace (apps/<folder>), which holds pin.toml. */
  projectRoot: string;
  /** apps/<folder>/pin.toml, absolute. */
  pinFile: string;
  /** The commit of `repository` this workspace builds. */
  pin: Pin;
  /** owner/name on GitHub (from the pin). */
  repository: string;
  /** The repository's name without owner: the folder of its checkout, beside its siblings'. */
  checkoutFolder: string;
  /** The crate inside the repository: its folder ('.' is the root); its name as in its Cargo.toml when undefined. */
  crate: { dir: string; name?: string };
  /** Names the component, its repository or its crate had before (pin.toml former-names). */
  formerNames: readonly string[];
  /** Components it depends on directly (ids, sorted). */
  dependencies: readonly string[];
  kinds: readonly ComponentKind[];
  dist: ComponentDist;
}

/** Pure: the component `id` of `graph`, given its pin. */
export function toComponent(workspaceRoot: string, graph: ComponentGraph, id: string, pin: Pin): Component {
  const projectRoot = graph.roots[id]!;
  const tags = graph.tags[id] ?? [];
  return {
    id,
    projectRoot,
    pinFile: pinPath(workspaceRoot, projectRoot),
    pin,
    repository: pin.repository,
    checkoutFolder: repositoryName(pin.repository),
    crate: { dir: pin.crateDir ?? '.', ...(pin.crate !== undefined ? { name: pin.crate } : {}) },
    formerNames: pin.formerNames ?? [],
    dependencies: graph.dependencies[id] ?? [],
    kinds: kindsOfTags(tags),
    dist: componentDist(join(workspaceRoot, DIST_DIR), id),
  };
}

/**
 * The components `ids` (all by default) in graph order, dependencies first, each with its pin read.
 * Only the pins asked for are read, so a broken pin elsewhere does not fail an unrelated task.
 */
export async function readComponents(workspaceRoot: string, graph: ComponentGraph, ids: Iterable<string> = graph.components): Promise<Component[]> {
  const wanted = new Set(ids);
  const out: Component[] = [];
  for (const id of graph.components)
    if (wanted.has(id)) out.push(toComponent(workspaceRoot, graph, id, await readPin(pinPath(workspaceRoot, graph.roots[id]!))));
  return out;
}

/** The whole stack: the graph, and every component in graph order with its pin. */
export interface Stack {
  graph: ComponentGraph;
  components: Component[];
}

export async function readStack(workspaceRoot: string): Promise<Stack> {
  const graph = await readComponentGraph(workspaceRoot);
  return { graph, components: await readComponents(workspaceRoot, graph) };
}

/** The component named `id`; throws (a bug in the caller) when the stack has none. */
export function findComponent(components: readonly Component[], id: string): Component {
  const c = components.find((x) => x.id === id);
  if (!c) throw new Error(`no component "${id}" in the stack (${components.map((x) => x.id).join(', ')})`);
  return c;
}

/** component → its pinned commit: what run summaries and release reports show. */
export function pinnedCommits(components: readonly Component[]): Record<string, string> {
  return Object.fromEntries(components.map((c) => [c.id, c.pin.commit]));
}
