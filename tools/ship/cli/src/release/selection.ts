import { TOOL_BUNDLE_TARGET } from '../nx';

/** The project whose `release` target publishes the set; every component's `release` gates it. */
export const RELEASE_SET = 'release-set';
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
 * what dist/ already holds and nothing is built. The two dependencies that build no component run
 * first, in a run of their own, because Nx gives the release options to every selected task and
 * the bundle's shell command would take them as arguments: the executors' bundle and the graph
 * check the publish step requires. Pure.
 */
export function releaseRuns(components: readonly string[], publishOnly: boolean): ReleaseRun[] {
  const release = { targets: ['release'], projects: [...components, RELEASE_SET], releaseOptions: true };
  if (!publishOnly) return [{ ...release, excludeTaskDependencies: false }];
  return [
    // With several targets Nx selects a target only on the projects that declare it.
    { targets: [TOOL_BUNDLE_TARGET, 'graph-check'], projects: [PLUGIN_PROJECT, RELEASE_SET], excludeTaskDependencies: true, releaseOptions: false },
    { ...release, excludeTaskDependencies: true },
  ];
}
