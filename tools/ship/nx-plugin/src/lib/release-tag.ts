import { officialTag } from '@bllvm/orchestrator';
import { requireTag } from '@bllvm/release';

/**
 * The tag being released: the `tag` option the CLI's nightly/prerelease commands give the release
 * tasks; without it (a plain `nx run-many -t release`) the official release of versions.toml.
 */
export async function resolveReleaseTag(workspaceRoot: string, given?: string): Promise<string> {
  if (given) {
    requireTag(given);
    return given;
  }
  return officialTag(workspaceRoot);
}
