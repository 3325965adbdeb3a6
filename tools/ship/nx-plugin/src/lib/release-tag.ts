import { join } from 'node:path';
import { readVersions } from '@bllvm/manifest';
import { releaseSetTag, requireTag } from '@bllvm/release';

/**
 * The tag being released. The CLI's nightly/prerelease commands set BLLVM_RELEASE_TAG; a plain
 * `nx run-many -t release` means the official release of versions.toml.
 */
export async function resolveReleaseTag(workspaceRoot: string, env = process.env): Promise<string> {
  const given = env.BLLVM_RELEASE_TAG;
  if (given) {
    requireTag(given);
    return given;
  }
  const versions = await readVersions(join(workspaceRoot, 'versions.toml'));
  return releaseSetTag(Object.values(versions.entries).map((e) => e.version));
}
