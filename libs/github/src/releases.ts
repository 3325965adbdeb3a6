/**
 * Releases by tag, converging: asking for the same release twice leaves one release and, the
 * second time, sends nothing but reads.
 */
import type { ClientCore } from './core';
import { GitHubApiError, statusOf } from './errors';
import { parseRelease, type ApiRelease, type Release } from './types';

export interface EnsureReleaseParams {
  owner: string;
  repo: string;
  tag: string;
  name?: string;
  body?: string;
  /** Default false. */
  prerelease?: boolean;
  /**
   * Branch or commit the tag is created from when it does not exist yet. When this is a full
   * 40-hex sha and the tag already exists elsewhere, ensureRelease refuses rather than publish a
   * release whose tag points at other code.
   */
  targetCommitish?: string;
  /**
   * Create the release as a draft (default false). A draft is public only once publishRelease
   * is called, so a run cut off mid-upload never leaves a public release with missing assets.
   */
  draft?: boolean;
}

export function toRelease(core: ClientCore, owner: string, repo: string, data: ApiRelease): Release {
  return parseRelease(owner, repo, data, core.uploadUrl(data.upload_url));
}

/** The published release for a tag, or null. Drafts are invisible to GitHub's get-by-tag. */
export async function getRelease(core: ClientCore, owner: string, repo: string, tag: string): Promise<Release | null> {
  return core.read({ operation: 'getRelease', owner, repo, tag }, async () => {
    try {
      const { data } = await core.octokit.rest.repos.getReleaseByTag({ owner, repo, tag });
      return toRelease(core, owner, repo, data);
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  });
}

/** Every release, drafts included, newest first (GitHub's order). */
export async function listReleases(core: ClientCore, owner: string, repo: string): Promise<Release[]> {
  return core.read({ operation: 'listReleases', owner, repo }, async () => {
    const all = await core.octokit.paginate(core.octokit.rest.repos.listReleases, { owner, repo, per_page: 100 });
    return all.map((data) => toRelease(core, owner, repo, data));
  });
}

/**
 * A draft for the tag, when no published release has it: only an authenticated caller with push
 * access sees drafts (GitHub's get-by-tag never does), so this is how a rerun finds the draft an
 * interrupted run left. The oldest one wins, so two runs converge on the same draft.
 */
async function draftRelease(core: ClientCore, owner: string, repo: string, tag: string): Promise<Release | null> {
  const drafts = (await listReleases(core, owner, repo)).filter((r) => r.draft && r.tag === tag);
  return drafts.sort((a, b) => a.id - b.id)[0] ?? null;
}

/** The published release for the tag, else a draft of it, else null. */
export async function findRelease(core: ClientCore, owner: string, repo: string, tag: string): Promise<Release | null> {
  return (await getRelease(core, owner, repo, tag)) ?? (await draftRelease(core, owner, repo, tag));
}

/**
 * The commit a tag points at, or null when the tag does not exist. An annotated tag's ref names a
 * tag object, not a commit: it is peeled (object after object) to the commit it tags.
 */
export async function tagCommit(core: ClientCore, owner: string, repo: string, tag: string): Promise<string | null> {
  return core.read({ operation: 'getTag', owner, repo, tag }, async () => {
    let object: { type: string; sha: string };
    try {
      object = (await core.octokit.rest.git.getRef({ owner, repo, ref: `tags/${tag}` })).data.object;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
    // A tag of a tag is legal git; a chain this long is not something anyone meant.
    for (let depth = 0; object.type === 'tag' && depth < 8; depth++) {
      object = (await core.octokit.rest.git.getTag({ owner, repo, tag_sha: object.sha })).data.object;
    }
    if (object.type !== 'commit') {
      throw new GitHubApiError({ operation: 'getTag', owner, repo, tag }, { code: 'tag_mismatch', reason: `tag ${tag} names a ${object.type} (${object.sha}), not a commit` });
    }
    return object.sha;
  });
}

export async function ensureRelease(core: ClientCore, params: EnsureReleaseParams): Promise<Release> {
  const { owner, repo, tag } = params;
  const context = { operation: 'ensureRelease', owner, repo, tag };
  const wanted = {
    ...(params.name !== undefined ? { name: params.name } : {}),
    ...(params.body !== undefined ? { body: params.body } : {}),
    prerelease: params.prerelease ?? false,
  };

  if (params.targetCommitish && /^[0-9a-f]{40}$/i.test(params.targetCommitish)) {
    const sha = await tagCommit(core, owner, repo, tag);
    if (sha && sha.toLowerCase() !== params.targetCommitish.toLowerCase()) {
      throw new GitHubApiError(context, {
        code: 'tag_mismatch',
        reason: `tag ${tag} already points at ${sha}, not ${params.targetCommitish}; refusing to publish it as this release`,
      });
    }
  }

  let existing = await findRelease(core, owner, repo, tag);
  if (!existing) {
    const created = await core
      .write(
        context,
        { method: 'POST', route: `/repos/${owner}/${repo}/releases`, description: `create release ${tag} in ${owner}/${repo}` },
        async () => {
          const { data } = await core.octokit.rest.repos.createRelease({
            owner,
            repo,
            tag_name: tag,
            ...wanted,
            ...(params.targetCommitish ? { target_commitish: params.targetCommitish } : {}),
            draft: params.draft ?? false,
          });
          return toRelease(core, owner, repo, data);
        },
      )
      .catch(async (error: unknown) => {
        // Another run created it between our read and our write: converge on theirs.
        if (statusOf(error) !== 422) throw error;
        const raced = await findRelease(core, owner, repo, tag);
        if (!raced) throw error;
        return raced;
      });
    if (!created) return plannedRelease(params, wanted);
    existing = created;
    if (!needsUpdate(existing, wanted)) return existing;
  }

  const changes = needsUpdate(existing, wanted);
  if (!changes) return existing;
  const current = existing;
  const updated = await core.write(
    context,
    {
      method: 'PATCH',
      route: `/repos/${owner}/${repo}/releases/${current.id}`,
      description: `update release ${tag} in ${owner}/${repo} (${Object.keys(changes).join(', ')})`,
    },
    async () => {
      const { data } = await core.octokit.rest.repos.updateRelease({ owner, repo, release_id: current.id, ...changes });
      return toRelease(core, owner, repo, data);
    },
  );
  return updated ?? { ...current, ...changes, planned: true };
}

/**
 * Make a draft public (draft=false), which is also when GitHub creates its tag from
 * target_commitish. A published release is returned as it is, so this is safe to repeat.
 */
export async function publishRelease(core: ClientCore, release: Release): Promise<Release> {
  if (!release.draft) return release;
  const { owner, repo, tag } = release;
  const updated = await core.write(
    { operation: 'publishRelease', owner, repo, tag },
    { method: 'PATCH', route: `/repos/${owner}/${repo}/releases/${release.id}`, description: `publish draft release ${tag} in ${owner}/${repo}` },
    async () => {
      const { data } = await core.octokit.rest.repos.updateRelease({ owner, repo, release_id: release.id, draft: false });
      return toRelease(core, owner, repo, data);
    },
  );
  return updated ?? { ...release, draft: false, planned: true };
}

/** The fields that differ, or null. A missing body and an empty one are the same to GitHub's UI. */
function needsUpdate(release: Release, wanted: { name?: string; body?: string; prerelease: boolean }) {
  const changes: { name?: string; body?: string; prerelease?: boolean } = {};
  if (wanted.name !== undefined && wanted.name !== (release.name ?? '')) changes.name = wanted.name;
  if (wanted.body !== undefined && wanted.body !== (release.body ?? '')) changes.body = wanted.body;
  if (wanted.prerelease !== release.prerelease) changes.prerelease = wanted.prerelease;
  return Object.keys(changes).length ? changes : null;
}

function plannedRelease(params: EnsureReleaseParams, wanted: { name?: string; body?: string; prerelease: boolean }): Release {
  return {
    owner: params.owner,
    repo: params.repo,
    id: 0,
    tag: params.tag,
    name: wanted.name ?? null,
    body: wanted.body ?? null,
    draft: params.draft ?? false,
    prerelease: wanted.prerelease,
    targetCommitish: params.targetCommitish ?? '',
    createdAt: new Date().toISOString(),
    publishedAt: null,
    htmlUrl: '',
    uploadUrl: '',
    assets: [],
    planned: true,
  };
}
