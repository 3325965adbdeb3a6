/** What the remote already has of a release tag, and of the branch the release commit would go on. */
export interface ObjectFacts {
  commit: string;
  tree: string;
}

export type TagDecision =
  | { action: 'push' }
  | { action: 'done'; commit: string }
  | { action: 'refuse'; reason: string };

/**
 * A release tag is made once: absent, it is pushed; present on a commit with exactly the tree the
 * release commit has, it is done (whoever made it, that commit is the release); on anything else,
 * it is refused, never moved. Pure.
 */
export function decideTag(tag: string, repository: string, ours: ObjectFacts & { parent: string }, existing: ObjectFacts | undefined): TagDecision {
  if (!existing) return { action: 'push' };
  if (existing.tree === ours.tree) return { action: 'done', commit: existing.commit };
  return {
    action: 'refuse',
    reason:
      `tag ${tag} of ${repository} is on commit ${existing.commit} (tree ${existing.tree.slice(0, 7)}), not on a commit with the release tree ` +
      `${ours.tree.slice(0, 7)} expected (release commit ${ours.commit} on ${ours.parent}); a tag is never moved: delete it in ${repository}, or plan another version`,
  };
}

export type BranchDecision =
  | { action: 'push' }
  | { action: 'done' }
  | { action: 'refuse'; reason: string };

/**
 * --push-branch: the branch takes the release commit only as a fast-forward. Already containing it
 * is done; a branch that moved on past the pin is refused (the release commit is not built on it). Pure.
 */
export function decideBranch(
  branch: string,
  repository: string,
  release: { commit: string; parent: string },
  head: { commit: string; containsRelease: boolean; behindRelease: boolean } | undefined,
): BranchDecision {
  if (!head) return { action: 'refuse', reason: `branch ${branch} does not exist in ${repository}` };
  if (head.containsRelease) return { action: 'done' };
  if (head.behindRelease) return { action: 'push' };
  return {
    action: 'refuse',
    reason: `branch ${branch} of ${repository} is at ${head.commit}, which the release commit ${release.commit} does not build on (it builds on the pin ${release.parent}); move the pin to the branch head and plan again, or tag without --push-branch`,
  };
}
