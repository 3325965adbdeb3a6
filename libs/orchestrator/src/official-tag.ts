import { join } from 'node:path';
import { readVersions } from '@bllvm/manifest';
import { releaseSetTag } from '@bllvm/release';

/** The official release tag of a versions.toml: `vX.Y.Z` of its highest version. Derived here only. */
export function officialTagOf(versions: { entries: Readonly<Record<string, { version: string }>> }): string {
  return releaseSetTag(Object.values(versions.entries).map((e) => e.version));
}

/** The official release tag of the workspace's versions.toml. */
export async function officialTag(root: string): Promise<string> {
  return officialTagOf(await readVersions(join(root, 'versions.toml')));
}
