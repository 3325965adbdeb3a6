import { type ComponentKind, kindsOfTags } from './component';
import { COMPONENT_TAG } from './graph';
import { DEVELOP_SET_FILE } from './release-set';

/**
 * The Nx targets every component has, inferred from its kinds (the Nx plugin's createNodesV2 hands
 * them to Nx): the one place their executors, caching, inputs, outputs and runner classes are
 * spelled. A component's project.json adds only what differs (features, a Dockerfile and image
 * name, a verify command, the inputs `nx sync` derives); Nx merges it over these. Pure.
 */

/** The plugin that implements the executors, as project configuration names it. */
export const PLUGIN_PATH = './tools/ship/nx-plugin';

/** Every task run by one of the plugin's executors runs the bundle, so it needs it built first. */
export const BUNDLE_DEPENDENCY = { projects: ['nx-plugin'], target: 'bundle' } as const;

/** The target a component's build/test/verify/package/api/release task is, as Nx's project configuration types it (no Nx import here). */
export interface InferredTarget {
  executor: string;
  cache: boolean;
  dependsOn: (string | { projects: string[]; target: string })[];
  inputs?: string[];
  outputs?: string[];
  options?: Record<string, unknown>;
  metadata?: { runnerClass: string };
}

/** What shapes a component's targets besides its kinds. */
export interface ComponentShape {
  kinds: readonly ComponentKind[];
  /** It has proofs: its project.json declares a verify target (with the command that runs them). */
  verify: boolean;
}

const executor = (name: 'cargo' | 'docker' | 'stage') => `${PLUGIN_PATH}:${name}`;
const bundle = () => ({ projects: [...BUNDLE_DEPENDENCY.projects], target: BUNDLE_DEPENDENCY.target });
const CARGO_INPUTS = ['pin', '^pin', 'cargoExecutor', 'toolchain'];

/** The cargo build; an image's is the static `compile` its image is built from. */
function cargoBuild(staticBinaries: boolean): InferredTarget {
  return {
    executor: executor('cargo'),
    cache: true,
    dependsOn: ['^build', bundle()],
    inputs: [...CARGO_INPUTS],
    outputs: ['{workspaceRoot}/dist/{projectName}/build'],
    options: { command: 'build', profile: 'release', ...(staticBinaries ? { static: true } : {}) },
    metadata: { runnerClass: 'builds' },
  };
}

/** The image, built from the static binaries of `compile`; the Dockerfile, image name and binaries are the component's own. */
function imageBuild(): InferredTarget {
  return {
    executor: executor('docker'),
    cache: true,
    dependsOn: ['compile', bundle()],
    inputs: [...CARGO_INPUTS.slice(0, 3), 'dockerExecutor', 'toolchain', '{projectRoot}/Dockerfile'],
    outputs: ['{workspaceRoot}/dist/{projectName}/image.json', '{workspaceRoot}/dist/{projectName}/image.tar'],
    options: { network: 'none' },
    metadata: { runnerClass: 'docker' },
  };
}

/** The test target's inputs when the component names no dev upstream (graph-sync adds one input to these). */
export const TEST_INPUTS: readonly string[] = CARGO_INPUTS;

/** component targets, by name, for a component of `shape`. */
export function componentTargets(shape: ComponentShape): Record<string, InferredTarget> {
  const image = shape.kinds.includes('image');
  const cargo = image ? 'compile' : 'build';
  const targets: Record<string, InferredTarget> = image ? { compile: cargoBuild(true), build: imageBuild() } : { build: cargoBuild(false) };
  targets.test = {
    executor: executor('cargo'),
    cache: true,
    dependsOn: [cargo, bundle()],
    inputs: [...TEST_INPUTS],
    outputs: ['{workspaceRoot}/dist/{projectName}/test'],
    options: { command: 'test', allFeatures: true },
    metadata: { runnerClass: 'builds' },
  };
  if (shape.verify)
    targets.verify = {
      executor: executor('cargo'),
      cache: true,
      dependsOn: [bundle()],
      inputs: ['pin', '^pin', 'toolchain'],
      outputs: ['{workspaceRoot}/dist/{projectName}/verify'],
      options: { command: 'verify' },
      metadata: { runnerClass: 'perf' },
    };
  // A library's crate, packaged (verify build included) in the build sandbox, its upstreams
  // resolved from the crates their own package tasks just made: what the publish job uploads.
  if (shape.kinds.includes('library'))
    targets.package = {
      executor: executor('cargo'),
      cache: true,
      dependsOn: ['^package', bundle()],
      // The nightly packages the develop set's release commits on the pins, when it names them.
      inputs: [...CARGO_INPUTS, `{workspaceRoot}/${DEVELOP_SET_FILE}`],
      outputs: ['{workspaceRoot}/dist/{projectName}/crate'],
      options: { command: 'package' },
      metadata: { runnerClass: 'builds' },
    };
  // A library's public API as rustdoc JSON, made in the build sandbox from the same pins as its
  // build, for the compatibility gate to compare across pins; nothing a release waits for.
  if (shape.kinds.includes('library'))
    targets.api = {
      executor: executor('cargo'),
      cache: true,
      dependsOn: [bundle()],
      inputs: [...CARGO_INPUTS],
      outputs: ['{workspaceRoot}/dist/{projectName}/api'],
      options: { command: 'api', allFeatures: true },
      metadata: { runnerClass: 'builds' },
    };
  // The stage gate reads the kinds and the verify target itself, so release takes no options. A
  // library's release includes its packaged crate: the publish job uploads it, and a release that
  // had not packaged it would publish no crate without saying so.
  const releaseNeeds = ['build', 'test', ...(shape.verify ? ['verify'] : []), ...(targets.package ? ['package'] : [])];
  targets.release = { executor: executor('stage'), cache: false, dependsOn: [...releaseNeeds, bundle()] };
  return targets;
}

/** A project.json as far as inference reads it. */
export interface ComponentProjectFile {
  tags?: string[];
  targets?: Record<string, unknown>;
}

/** The shape of the component a project.json declares, or undefined when it is no component. Pure. */
export function componentShape(project: ComponentProjectFile): ComponentShape | undefined {
  if (!project.tags?.includes(COMPONENT_TAG)) return undefined;
  return { kinds: kindsOfTags(project.tags), verify: Object.hasOwn(project.targets ?? {}, 'verify') };
}

/** The names of the targets of a component of `shape` (what `nx run`/`nx affected -t` can name). */
export function componentTargetNames(shape: ComponentShape): string[] {
  return Object.keys(componentTargets(shape));
}
