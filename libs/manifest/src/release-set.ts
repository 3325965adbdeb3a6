import { join } from 'node:path';

/** The Nx project that depends on every component and owns the release targets: the one place its name is spelled. */
export const RELEASE_SET = 'release-set';
/**
 * The release set's cached target that reads the component mirrors (the only one that does): what
 * changed since the previous release, written under dist/ for the publish step, which reads no
 * source.
 */
export const CHANGELOG_TARGET = 'changelog';

/** Where the release set's own targets write (under the workspace's dist/), as componentDist does for a component. */
export function releaseSetDist(distDir: string): { dir: string; changelog: { dir: string; record: string } } {
  const dir = join(distDir, RELEASE_SET);
  return { dir, changelog: { dir: join(dir, CHANGELOG_TARGET), record: join(dir, CHANGELOG_TARGET, 'history.json') } };
}
