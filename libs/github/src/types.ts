/**
 * The small typed values the rest of the project works with. GitHub's JSON is parsed into these
 * once, here, so no caller depends on the shape of an API response.
 */

export interface ReleaseAsset {
  id: number;
  name: string;
  size: number;
  /** 'uploaded' when complete; 'starter' (or 'open') is an interrupted or in-flight upload. */
  state: string;
  /** Hex sha256 from GitHub's `digest` field, when GitHub reports one. */
  sha256: string | null;
  contentType: string;
  /** API URL; GET it with Accept: application/octet-stream for the bytes. */
  apiUrl: string;
  browserDownloadUrl: string;
}

export interface Release {
  owner: string;
  repo: string;
  id: number;
  tag: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  targetCommitish: string;
  createdAt: string;
  publishedAt: string | null;
  htmlUrl: string;
  /** The asset upload URL template, already pointed at the configured API host. */
  uploadUrl: string;
  assets: ReleaseAsset[];
  /** Set on a release that a dry run would have created: it does not exist on GitHub. */
  planned?: true;
}

/** The fields of GitHub's release-asset we read; Octokit's generated type is assignable to it. */
export interface ApiAsset {
  id: number;
  name: string;
  size: number;
  state: string;
  digest?: string | null;
  content_type: string;
  url: string;
  browser_download_url: string;
}

export interface ApiRelease {
  id: number;
  tag_name: string;
  name: string | null;
  body?: string | null;
  draft: boolean;
  prerelease: boolean;
  target_commitish: string;
  created_at: string;
  published_at: string | null;
  html_url: string;
  upload_url: string;
  assets: ApiAsset[];
}

export function parseAsset(data: ApiAsset): ReleaseAsset {
  const digest = /^sha256:([0-9a-f]{64})$/i.exec(data.digest ?? '');
  return {
    id: data.id,
    name: data.name,
    size: data.size,
    state: data.state,
    sha256: digest ? digest[1]!.toLowerCase() : null,
    contentType: data.content_type,
    apiUrl: data.url,
    browserDownloadUrl: data.browser_download_url,
  };
}

export function parseRelease(owner: string, repo: string, data: ApiRelease, uploadUrl: string): Release {
  return {
    owner,
    repo,
    id: data.id,
    tag: data.tag_name,
    name: data.name,
    body: data.body ?? null,
    draft: data.draft,
    prerelease: data.prerelease,
    targetCommitish: data.target_commitish,
    createdAt: data.created_at,
    publishedAt: data.published_at,
    htmlUrl: data.html_url,
    uploadUrl,
    assets: data.assets.map(parseAsset),
  };
}
