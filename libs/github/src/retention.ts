/**
 * Nightly retention. Deleting is the one irreversible thing this library does, so the filter is
 * deliberately narrow: only a published prerelease whose tag is exactly nightly-YYYYMMDD-<7 hex>
 * is ever a candidate; official releases, drafts, and look-alikes are never touched.
 */
import type { ClientCore } from './core';
import { statusOf } from './errors';
import { listReleases } from './releases';
import type { Release } from './types';

export const NIGHTLY_TAG = /^nightly-(\d{8})-[0-9a-f]{7}$/;

export interface PruneParams {
  owner: string;
  repo: string;
  /** How many of the newest nightlies to keep (default 14). */
  keep?: number;
}

export interface PruneResult {
  kept: string[];
  /** Tags whose release (and tag) were deleted, or would be in a dry run. */
  deleted: string[];
  dryRun: boolean;
}

export function isNightly(release: Release): boolean {
  return release.prerelease && !release.draft && NIGHTLY_TAG.test(release.tag);
}

/** Newest first: by the date in the tag, then creation time, then id (GitHub ids only grow). */
function newestFirst(a: Release, b: Release): number {
  const dateA = NIGHTLY_TAG.exec(a.tag)![1]!;
  const dateB = NIGHTLY_TAG.exec(b.tag)![1]!;
  if (dateA !== dateB) return dateA < dateB ? 1 : -1;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return b.id - a.id;
}

export async function pruneNightlies(core: ClientCore, params: PruneParams): Promise<PruneResult> {
  const { owner, repo } = params;
  const keep = params.keep ?? 14;
  if (!Number.isInteger(keep) || keep < 0) throw new Error(`pruneNightlies: keep must be a non-negative integer, got ${keep}`);

  const nightlies = (await listReleases(core, owner, repo)).filter(isNightly).sort(newestFirst);
  const kept = nightlies.slice(0, keep);
  const doomed = nightlies.slice(keep);

  for (const release of doomed) {
    const context = { operation: 'pruneNightlies', owner, repo, tag: release.tag };
    await core.write(
      context,
      { method: 'DELETE', route: `/repos/${owner}/${repo}/releases/${release.id}`, description: `delete nightly release ${release.tag}` },
      async () => {
        try {
          await core.octokit.rest.repos.deleteRelease({ owner, repo, release_id: release.id });
        } catch (error) {
          if (statusOf(error) !== 404) throw error; // deleted meanwhile: the tag still goes below
        }
      },
    );
    // Only after its release is gone: a failure above leaves the pair intact for the next run.
    await core.write(
      context,
      { method: 'DELETE', route: `/repos/${owner}/${repo}/git/refs/tags/${release.tag}`, description: `delete tag ${release.tag}` },
      async () => {
        try {
          await core.octokit.rest.git.deleteRef({ owner, repo, ref: `tags/${release.tag}` });
        } catch (error) {
          // 422 "Reference does not exist": someone already removed the tag, which is the goal.
          if (statusOf(error) !== 422 && statusOf(error) !== 404) throw error;
        }
      },
    );
  }
  return { kept: kept.map((r) => r.tag), deleted: doomed.map((r) => r.tag), dryRun: core.dryRun };
}
