import { CHANGELOG_TARGET, RELEASE_SET } from '@bllvm/manifest';
import { TOOL_BUNDLE_TARGET } from '../nx';

/** The project whose `release` target publishes the set; every component's `release` gates it. */
export { RELEASE_SET };
/** The project that bundles the executors every release task runs. */
export const PLUGIN_PROJECT = 'nx-plugin';

/** One Nx run of a release. */
export interface ReleaseRun {
  targets: string[];
  projects: string[];
  excludeTaskDependencies: boolean;
  /** Whether the release options (tag, dryRun, pushRemote) go to the selected tasks. */
  releaseOptions: boolean;
}

/**
 * The Nx runs of a release. Normally one: `release` of every component and of the release set,
 * with everything they depend on (build, test, verify, the graph check), so what is not cached is
 * built. Publish-only runs the release tasks alone (Nx's excludeTaskDependencies): the gates check
 * what dist/ already holds and nothing is built. The executors' bundle runs first, in a run of its
 * own, because Nx gives the release options to every selected task and the bundle's shell command
 * would take them as arguments. The graph check is not run here: it reads the components'
 * manifests with cargo (in the build sandbox), which is the build job's business, not the one
 * holding the tokens; the workflows run it beside the builds. Pure.
 */
export function releaseRuns(components: readonly string[], publishOnly: boolean): ReleaseRun[] {
  const release = { targets: ['release'], projects: [...components, RELEASE_SET], releaseOptions: true };
  if (!publishOnly) return [{ ...release, excludeTaskDependencies: false }];
  return [
    // With several targets Nx selects a target only on the projects that declare it.
    { targets: [TOOL_BUNDLE_TARGET], projects: [PLUGIN_PROJECT], excludeTaskDependencies: true, releaseOptions: false },
    { ...release, excludeTaskDependencies: true },
  ];
}

/** The targets a release gates on: a build run that selects them all prepares a release. */
const RELEASE_INPUTS = ['build', 'test', 'verify'] as const;

/**
 * What a build run selects: the targets asked for on the components, and, when they are all a
 * release gates on (the default, and what each builds-job run asks), the release set's changelog,
 * so the job that builds (no token) also reads the mirrors for the release notes and the publish
 * job finds them in dist/ (restored from the cache) like any build output. A partial run (`--targets
 * build`) prepares no release and gets no changelog. Nx runs each target only on the projects that
 * declare it. Pure.
 */
export function buildSelection(targets: readonly string[], projects: readonly string[]): { targets: string[]; projects: string[] } {
  if (!RELEASE_INPUTS.every((t) => targets.includes(t)) || !projects.length) return { targets: [...targets], projects: [...projects] };
  return { targets: [...targets, CHANGELOG_TARGET], projects: [...projects, RELEASE_SET] };
}
