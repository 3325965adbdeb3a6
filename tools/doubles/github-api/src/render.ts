/**
 * GitHub's JSON representations of our records, complete per the description's schemas (every
 * required field present, URLs pointing back at this server so clients can follow them).
 */
import type { AssetRecord, RefRecord, ReleaseRecord, TagObjectRecord } from './state';

/** The one account every write is attributed to; the server does not model users. */
const BOT = { login: 'bllvm-release-bot', id: 1000001 };

function nodeId(prefix: string, id: number | string): string {
  return `${prefix}_${Buffer.from(`${prefix}:${id}`).toString('base64url')}`;
}

export function renderUser(base: string) {
  const api = `${base}/users/${BOT.login}`;
  return {
    login: BOT.login,
    id: BOT.id,
    node_id: nodeId('U', BOT.id),
    avatar_url: `${base}/avatars/${BOT.login}`,
    gravatar_id: '',
    url: api,
    html_url: `${base}/${BOT.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: 'Bot',
    site_admin: false,
    user_view_type: 'public',
  };
}

const enc = encodeURIComponent;

/** Same shape as github.com's release download links, served by this server without auth. */
export function browserDownloadUrl(base: string, owner: string, repo: string, tag: string, name: string): string {
  return `${base}/${enc(owner)}/${enc(repo)}/releases/download/${enc(tag)}/${enc(name)}`;
}

export function renderAsset(base: string, asset: AssetRecord, tag: string) {
  return {
    url: `${base}/repos/${enc(asset.owner)}/${enc(asset.repo)}/releases/assets/${asset.id}`,
    browser_download_url: browserDownloadUrl(base, asset.owner, asset.repo, tag, asset.name),
    id: asset.id,
    node_id: nodeId('RA', asset.id),
    name: asset.name,
    label: asset.label,
    state: asset.state,
    content_type: asset.contentType,
    size: asset.bytes.length,
    digest: asset.sha256 ? `sha256:${asset.sha256}` : null,
    download_count: asset.downloadCount,
    created_at: asset.createdAt,
    updated_at: asset.updatedAt,
    uploader: renderUser(base),
  };
}

/**
 * GitHub shows drafts under a placeholder tag until they are published, in the page URL and in
 * every asset's download URL: a draft's download links are not the ones the public will use.
 */
export function visibleTagOf(release: ReleaseRecord): string {
  return release.draft ? `untagged-${release.id}` : release.tagName;
}

export function renderRelease(base: string, release: ReleaseRecord, assets: AssetRecord[]) {
  const repoApi = `${base}/repos/${enc(release.owner)}/${enc(release.repo)}`;
  const self = `${repoApi}/releases/${release.id}`;
  const visibleTag = visibleTagOf(release);
  return {
    url: self,
    html_url: `${base}/${enc(release.owner)}/${enc(release.repo)}/releases/tag/${enc(visibleTag)}`,
    assets_url: `${self}/assets`,
    // Uploads go to the same server; the template is what Octokit expands with name and label.
    upload_url: `${self}/assets{?name,label}`,
    tarball_url: `${repoApi}/tarball/${enc(release.tagName)}`,
    zipball_url: `${repoApi}/zipball/${enc(release.tagName)}`,
    id: release.id,
    node_id: nodeId('RE', release.id),
    tag_name: release.tagName,
    target_commitish: release.targetCommitish,
    name: release.name,
    body: release.body,
    draft: release.draft,
    prerelease: release.prerelease,
    immutable: false,
    created_at: release.createdAt,
    published_at: release.publishedAt,
    updated_at: release.updatedAt,
    author: renderUser(base),
    assets: assets.map((a) => renderAsset(base, a, visibleTag)),
  };
}

export function renderRef(base: string, owner: string, repo: string, ref: RefRecord) {
  const repoApi = `${base}/repos/${enc(owner)}/${enc(repo)}`;
  // An annotated tag's ref names the tag object, which names the commit (peeled with git/get-tag).
  const kind = ref.annotated ? 'tag' : 'commit';
  return {
    ref: ref.ref,
    node_id: nodeId('REF', `${owner}/${repo}/${ref.ref}`),
    url: `${repoApi}/git/${ref.ref}`,
    object: { type: kind, sha: ref.sha, url: `${repoApi}/git/${kind}s/${ref.sha}` },
  };
}

export function renderTagObject(base: string, owner: string, repo: string, tag: TagObjectRecord) {
  const repoApi = `${base}/repos/${enc(owner)}/${enc(repo)}`;
  return {
    node_id: nodeId('TAG', `${owner}/${repo}/${tag.sha}`),
    tag: tag.tag,
    sha: tag.sha,
    url: `${repoApi}/git/tags/${tag.sha}`,
    message: tag.message,
    tagger: { name: 'bllvm sandbox', email: 'sandbox@example.invalid', date: tag.createdAt },
    object: { type: 'commit', sha: tag.commit, url: `${repoApi}/git/commits/${tag.commit}` },
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

/** GitHub's error bodies; `status` is a string in the description's basic-error schema. */
export function errorBody(status: number, message: string, docs = 'https://docs.github.com/rest', errors?: object[]) {
  return { message, documentation_url: docs, status: String(status), ...(errors ? { errors } : {}) };
}
