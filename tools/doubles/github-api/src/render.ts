/**
 * GitHub's JSON representations of our records, complete per the description's schemas (every
 * required field present, URLs pointing back at this server so clients can follow them).
 */
import { createHash } from 'node:crypto';
import type { AssetRecord, CheckRunRecord, PullRequestRecord, RefRecord, ReleaseRecord, TagObjectRecord } from './state';

/** The one account every write is attributed to; the server does not model users. */
const BOT = { login: 'bllvm-release-bot', id: 1000001 };

function nodeId(prefix: string, id: number | string): string {
  return `${prefix}_${Buffer.from(`${prefix}:${id}`).toString('base64url')}`;
}

/** A stable positive id for a name the server never registered (an org, a repository). */
function stableId(kind: string, name: string): number {
  return 2_000_000 + (createHash('sha256').update(`${kind}:${name.toLowerCase()}`).digest().readUInt32BE(0) % 1_000_000_000);
}

export function renderUser(base: string) {
  return renderAccount(base, BOT.login, BOT.id, 'Bot');
}

/** GitHub's simple-user for any account: the bot, a repository's owner, a fork's owner. */
export function renderAccount(base: string, login: string, id = stableId('account', login), type = 'Organization') {
  const api = `${base}/users/${enc(login)}`;
  return {
    login,
    id,
    node_id: nodeId('U', id),
    avatar_url: `${base}/avatars/${enc(login)}`,
    gravatar_id: '',
    url: api,
    html_url: `${base}/${enc(login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
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

/** GitHub's full repository object; `fullName` is `owner/name`. */
export function renderRepository(base: string, fullName: string, fork: boolean) {
  const [owner, name] = fullName.split('/') as [string, string];
  const api = `${base}/repos/${enc(owner)}/${enc(name)}`;
  const html = `${base}/${enc(owner)}/${enc(name)}`;
  const id = stableId('repository', fullName);
  return {
    id,
    node_id: nodeId('R', id),
    name,
    full_name: `${owner}/${name}`,
    owner: renderAccount(base, owner),
    private: false,
    html_url: html,
    description: null,
    fork,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git:${new URL(base).host}/${owner}/${name}.git`,
    hooks_url: `${api}/hooks`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@${new URL(base).hostname}:${owner}/${name}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${html}.git`,
    mirror_url: null,
    svn_url: html,
    homepage: null,
    language: 'Rust',
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: 'main',
    open_issues: 0,
    open_issues_count: 0,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    archived: false,
    disabled: false,
    license: null,
    pushed_at: null,
    created_at: null,
    updated_at: null,
  };
}

export function renderPullRequest(base: string, pull: PullRequestRecord) {
  const repoApi = `${base}/repos/${enc(pull.owner)}/${enc(pull.repo)}`;
  const html = `${base}/${enc(pull.owner)}/${enc(pull.repo)}/pull/${pull.number}`;
  const self = `${repoApi}/pulls/${pull.number}`;
  const baseName = `${pull.owner}/${pull.repo}`;
  const fork = pull.headRepository.toLowerCase() !== baseName.toLowerCase();
  const headOwner = pull.headRepository.split('/')[0]!;
  const issue = `${repoApi}/issues/${pull.number}`;
  return {
    url: self,
    id: pull.id,
    node_id: nodeId('PR', pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${self}/commits`,
    review_comments_url: `${self}/comments`,
    review_comment_url: `${repoApi}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${repoApi}/statuses/${pull.headSha}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: renderAccount(base, headOwner, undefined, 'User'),
    body: pull.body,
    labels: [],
    milestone: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.state === 'closed' ? pull.updatedAt : null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    head: {
      label: `${headOwner}:${pull.headRef}`,
      ref: pull.headRef,
      sha: pull.headSha,
      user: renderAccount(base, headOwner),
      repo: renderRepository(base, pull.headRepository, fork),
    },
    base: {
      label: `${pull.owner}:${pull.baseRef}`,
      ref: pull.baseRef,
      sha: pull.baseSha,
      user: renderAccount(base, pull.owner),
      repo: renderRepository(base, baseName, false),
    },
    _links: {
      self: { href: self },
      html: { href: html },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${self}/comments` },
      review_comment: { href: `${repoApi}/pulls/comments{/number}` },
      commits: { href: `${self}/commits` },
      statuses: { href: `${repoApi}/statuses/${pull.headSha}` },
    },
    author_association: fork ? 'CONTRIBUTOR' : 'MEMBER',
    auto_merge: null,
    draft: false,
    merged: false,
    mergeable: null,
    mergeable_state: 'unknown',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 0,
    deletions: 0,
    changed_files: 0,
  };
}

/** The app behind check runs made with a workflow's GITHUB_TOKEN. */
function renderActionsApp(base: string) {
  return {
    id: 15368,
    slug: 'github-actions',
    node_id: 'MDM6QXBwMTUzNjg=',
    owner: renderAccount(base, 'github', 9919, 'Organization'),
    name: 'GitHub Actions',
    description: 'Automate your workflow from idea to production',
    external_url: 'https://help.github.com/en/actions',
    html_url: `${base}/apps/github-actions`,
    created_at: '2018-07-30T09:30:17Z',
    updated_at: '2019-12-10T19:04:12Z',
    permissions: { checks: 'write', contents: 'write', metadata: 'read', pull_requests: 'write' },
    events: ['check_run', 'check_suite', 'pull_request', 'push'],
  };
}

export function renderCheckRun(base: string, run: CheckRunRecord, pulls: PullRequestRecord[]) {
  const repoApi = `${base}/repos/${enc(run.owner)}/${enc(run.repo)}`;
  const self = `${repoApi}/check-runs/${run.id}`;
  const minimalRepo = (fullName: string) => {
    const [owner, name] = fullName.split('/') as [string, string];
    return { id: stableId('repository', fullName), url: `${base}/repos/${enc(owner)}/${enc(name)}`, name };
  };
  return {
    id: run.id,
    node_id: nodeId('CR', run.id),
    head_sha: run.headSha,
    external_id: run.externalId,
    url: self,
    html_url: `${base}/${enc(run.owner)}/${enc(run.repo)}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: { ...run.output, annotations_count: 0, annotations_url: `${self}/annotations` },
    name: run.name,
    check_suite: { id: run.checkSuiteId },
    app: renderActionsApp(base),
    pull_requests: pulls.map((p) => ({
      id: p.id,
      number: p.number,
      url: `${repoApi}/pulls/${p.number}`,
      head: { ref: p.headRef, sha: p.headSha, repo: minimalRepo(p.headRepository) },
      base: { ref: p.baseRef, sha: p.baseSha, repo: minimalRepo(`${p.owner}/${p.repo}`) },
    })),
  };
}
