import { join } from 'node:path';

/** The Nx project that depends on every component and owns the release targets: the one place its name is spelled. */
export const RELEASE_SET = 'release-set';
/**
 * The release set's cached target that reads the component mirrors (the only one that does): what
 * changed since the previous release, written under dist/ for the publish step, which reads no
 * source.
 */
export const CHANGELOG_TARGET = 'changelog';
/**
 * The nightly's develop set (libs/crates develop-set.ts), relative to the workspace root: committed
 * in the release set's project beside the pins it was tagged on, and an input of every package task.
 */
export const DEVELOP_SET_FILE = join('apps', RELEASE_SET, 'develop-crates.json');

/** Where the release set's own targets write (under the workspace's dist/), as componentDist does for a component. */
export function releaseSetDist(distDir: string): { dir: string; changelog: { dir: string; record: string } } {
  const dir = join(distDir, RELEASE_SET);
  return { dir, changelog: { dir: join(dir, CHANGELOG_TARGET), record: join(dir, CHANGELOG_TARGET, 'history.json') } };
}
