/**
 * One function per served operation: GitHub's rules applied to the in-memory state.
 * Requests reach these only after authentication and validation against the description, so a
 * handler can trust field types and concentrate on semantics (conflicts, 404s, side effects).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { OperationId } from './openapi/served';
import { errorBody, renderAsset, renderCheckRun, renderPullRequest, renderRef, renderRelease, renderTagObject, visibleTagOf } from './render';
import { timestamp, type CheckRunConclusion, type CheckRunRecord, type CheckRunStatus, type GitHubState, type ReleaseRecord } from './state';

export interface OperationRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (validated), or undefined. */
  json: Record<string, unknown> | undefined;
  /** Raw body bytes: the asset for uploads. */
  raw: Buffer;
  /** Origin clients reach this server at, for the URLs inside responses. */
  base: string;
  /**
   * The caller presented credentials the server accepted. GitHub shows draft releases only to
   * callers with push access; here every accepted token has it, and an anonymous caller has not.
   */
  authenticated: boolean;
}

export interface Reply {
  status: number;
  /** JSON body. */
  body?: unknown;
  /** Raw bytes instead of JSON (downloads); set content-type in headers. */
  raw?: Buffer;
  headers?: Record<string, string>;
}

type Handler = (state: GitHubState, req: OperationRequest) => Reply;

const DOCS = {
  releases: 'https://docs.github.com/rest/releases/releases',
  assets: 'https://docs.github.com/rest/releases/assets',
  refs: 'https://docs.github.com/rest/git/refs',
  dispatch: 'https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event',
  checks: 'https://docs.github.com/rest/checks/runs',
  pulls: 'https://docs.github.com/rest/pulls/pulls#get-a-pull-request',
};

const notFound = (docs: string): Reply => ({ status: 404, body: errorBody(404, 'Not Found', docs) });

const validationFailed = (docs: string, error: Record<string, unknown>): Reply => ({
  status: 422,
  body: errorBody(422, 'Validation Failed', docs, [error]),
});

const unprocessable = (docs: string, message: string): Reply => ({ status: 422, body: errorBody(422, message, docs) });

/** GitHub pages with per_page (max 100) and page, and says where the other pages are in `Link`. */
function paginate<T>(items: T[], req: OperationRequest, listPath: string): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(req.query['per_page'] ?? 30) || 30, 1), 100);
  const page = Math.max(Number(req.query['page'] ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (p: number, rel: string) => `<${req.base}${listPath}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
  const rels: string[] = [];
  if (page > 1) rels.push(link(page - 1, 'prev'), link(1, 'first'));
  if (page < last) rels.push(link(page + 1, 'next'), link(last, 'last'));
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: rels.length ? { link: rels.join(', ') } : {},
  };
}

const repoPath = (p: Record<string, string>) => `/repos/${encodeURIComponent(p['owner']!)}/${encodeURIComponent(p['repo']!)}`;

function releaseJson(state: GitHubState, base: string, release: ReleaseRecord) {
  return renderRelease(base, release, state.listAssets(release.id));
}

/** A published release needs its tag; GitHub creates it from target_commitish when missing. */
function ensureTag(state: GitHubState, release: ReleaseRecord): void {
  if (release.draft || state.getRef(release.owner, release.repo, `tags/${release.tagName}`)) return;
  const sha = state.resolveCommitish(release.owner, release.repo, release.targetCommitish);
  state.setRef(release.owner, release.repo, `refs/tags/${release.tagName}`, sha);
}

/** A draft is invisible (404) to a caller without push access, as on GitHub. */
function releaseOr404(state: GitHubState, p: Record<string, string>, authenticated = true): ReleaseRecord | undefined {
  const release = state.getRelease(p['owner']!, p['repo']!, Number(p['release_id']));
  return release && (authenticated || !release.draft) ? release : undefined;
}

function checkRunJson(state: GitHubState, base: string, run: CheckRunRecord) {
  return renderCheckRun(base, run, state.openPullRequestsAt(run.owner, run.repo, run.headSha));
}

/**
 * The status and conclusion rules of create and update: a conclusion completes the run, a
 * completed run (or a completion time) needs a conclusion, and only GitHub may conclude `stale`.
 * Returns the fields to store, or the 422 GitHub answers.
 */
function checkRunLifecycle(body: Record<string, unknown>, current?: CheckRunRecord): Reply | Partial<CheckRunRecord> {
  const conclusion = body['conclusion'] as string | undefined;
  let status = body['status'] as CheckRunStatus | undefined;
  if (conclusion === 'stale') return unprocessable(DOCS.checks, 'Invalid request.\n\nOnly GitHub can set a conclusion of stale.');
  if (conclusion !== undefined) status = 'completed';
  if ((status === 'completed' || body['completed_at'] !== undefined) && conclusion === undefined) {
    return unprocessable(DOCS.checks, 'Invalid request.\n\n"conclusion" wasn\'t supplied.');
  }
  const now = timestamp();
  const fields: Partial<CheckRunRecord> = {};
  if (status !== undefined) fields.status = status;
  if (status === 'completed') {
    fields.conclusion = conclusion as CheckRunConclusion;
    fields.completedAt = (body['completed_at'] as string | undefined) ?? now;
  } else if (status !== undefined) {
    // Back to queued or in progress: the run is no longer concluded.
    fields.conclusion = null;
    fields.completedAt = null;
  }
  if (typeof body['started_at'] === 'string') fields.startedAt = body['started_at'];
  else if (!current) fields.startedAt = now;
  if (typeof body['name'] === 'string') fields.name = body['name'];
  if (typeof body['details_url'] === 'string') fields.detailsUrl = body['details_url'];
  if (typeof body['external_id'] === 'string') fields.externalId = body['external_id'];
  const output = body['output'] as { title?: string; summary?: string; text?: string } | undefined;
  if (output) {
    fields.output = {
      title: output.title ?? current?.output.title ?? null,
      summary: output.summary ?? null,
      text: output.text ?? null,
    };
  }
  return fields;
}

const isReply = (value: Reply | Partial<CheckRunRecord>): value is Reply => typeof (value as Reply).status === 'number' && 'body' in value;

export const handlers: Record<OperationId, Handler> = {
  'repos/list-releases'(state, req) {
    const { owner, repo } = req.params as { owner: string; repo: string };
    // "Only users with push access will receive listings for draft releases." (GitHub's description)
    const visible = state.listReleases(owner, repo).filter((r) => req.authenticated || !r.draft);
    const { page, headers } = paginate(visible, req, `${repoPath(req.params)}/releases`);
    return { status: 200, body: page.map((r) => releaseJson(state, req.base, r)), headers };
  },

  'repos/create-release'(state, req) {
    const { owner, repo } = req.params as { owner: string; repo: string };
    const body = req.json!;
    const tagName = body['tag_name'] as string;
    if (state.releaseClaimingTag(owner, repo, tagName)) {
      return validationFailed(DOCS.releases, { resource: 'Release', code: 'already_exists', field: 'tag_name' });
    }
    const release = state.insertRelease({
      owner,
      repo,
      tagName,
      targetCommitish: (body['target_commitish'] as string | undefined) ?? 'main',
      name: (body['name'] as string | undefined) ?? null,
      body: (body['body'] as string | undefined) ?? null,
      draft: (body['draft'] as boolean | undefined) ?? false,
      prerelease: (body['prerelease'] as boolean | undefined) ?? false,
    });
    ensureTag(state, release);
    const json = releaseJson(state, req.base, release);
    return { status: 201, body: json, headers: { location: json.url } };
  },

  'repos/get-release'(state, req) {
    const release = releaseOr404(state, req.params, req.authenticated);
    return release ? { status: 200, body: releaseJson(state, req.base, release) } : notFound(DOCS.releases);
  },

  'repos/update-release'(state, req) {
    const release = releaseOr404(state, req.params);
    if (!release) return notFound(DOCS.releases);
    const body = req.json ?? {};
    const tagName = body['tag_name'] as string | undefined;
    if (tagName !== undefined && state.releaseClaimingTag(release.owner, release.repo, tagName, release.id)) {
      return validationFailed(DOCS.releases, { resource: 'Release', code: 'already_exists', field: 'tag_name' });
    }
    const changes: Parameters<GitHubState['updateRelease']>[1] = {};
    if (tagName !== undefined) changes.tagName = tagName;
    if (typeof body['target_commitish'] === 'string') changes.targetCommitish = body['target_commitish'];
    if (typeof body['name'] === 'string') changes.name = body['name'];
    if (typeof body['body'] === 'string') changes.body = body['body'];
    if (typeof body['draft'] === 'boolean') changes.draft = body['draft'];
    if (typeof body['prerelease'] === 'boolean') changes.prerelease = body['prerelease'];
    state.updateRelease(release, changes);
    ensureTag(state, release);
    return { status: 200, body: releaseJson(state, req.base, release) };
  },

  'repos/delete-release'(state, req) {
    const { owner, repo } = req.params as { owner: string; repo: string };
    return state.deleteRelease(owner, repo, Number(req.params['release_id']))
      ? { status: 204 }
      : notFound(DOCS.releases);
  },

  'repos/get-release-by-tag'(state, req) {
    const { owner, repo, tag } = req.params as { owner: string; repo: string; tag: string };
    const release = state.getReleaseByTag(owner, repo, tag);
    return release ? { status: 200, body: releaseJson(state, req.base, release) } : notFound(DOCS.releases);
  },

  'repos/list-release-assets'(state, req) {
    const release = releaseOr404(state, req.params, req.authenticated);
    if (!release) return notFound(DOCS.assets);
    const listPath = `${repoPath(req.params)}/releases/${release.id}/assets`;
    const { page, headers } = paginate(state.listAssets(release.id), req, listPath);
    return { status: 200, body: page.map((a) => renderAsset(req.base, a, visibleTagOf(release))), headers };
  },

  'repos/upload-release-asset'(state, req) {
    const release = releaseOr404(state, req.params);
    if (!release) return notFound(DOCS.assets);
    const name = req.query['name']!;
    // Any existing asset of that name blocks the upload, a leftover `starter` included.
    if (state.listAssets(release.id).some((a) => a.name === name)) {
      return validationFailed(DOCS.assets, { resource: 'ReleaseAsset', code: 'already_exists', field: 'name' });
    }
    const asset = state.insertAsset(release, {
      name,
      label: req.query['label'] ?? null,
      contentType: String(req.headers['content-type'] ?? 'application/octet-stream'),
      state: 'uploaded',
      bytes: req.raw,
    });
    return { status: 201, body: renderAsset(req.base, asset, visibleTagOf(release)) };
  },

  'repos/get-release-asset'(state, req) {
    const { owner, repo } = req.params as { owner: string; repo: string };
    const asset = state.getAsset(owner, repo, Number(req.params['asset_id']));
    const release = asset && state.getRelease(owner, repo, asset.releaseId);
    if (!asset || !release) return notFound(DOCS.assets);
    // Like GitHub: asking for the bytes gets a redirect to a signed object-storage link, which
    // works for a draft's assets too (its public download URL does not until it is published).
    if (String(req.headers['accept'] ?? '').includes('application/octet-stream')) {
      return { status: 302, headers: { location: `${req.base}/objects/${asset.id}/${state.objectSignature(asset.id)}` } };
    }
    return { status: 200, body: renderAsset(req.base, asset, visibleTagOf(release)) };
  },

  'repos/delete-release-asset'(state, req) {
    const { owner, repo } = req.params as { owner: string; repo: string };
    const asset = state.getAsset(owner, repo, Number(req.params['asset_id']));
    if (!asset) return notFound(DOCS.assets);
    state.deleteAsset(asset.id);
    return { status: 204 };
  },

  'git/get-ref'(state, req) {
    const { owner, repo, ref } = req.params as { owner: string; repo: string; ref: string };
    const found = state.getRef(owner, repo, ref);
    return found ? { status: 200, body: renderRef(req.base, owner, repo, found) } : notFound(DOCS.refs);
  },

  'git/get-tag'(state, req) {
    const { owner, repo, tag_sha: sha } = req.params as { owner: string; repo: string; tag_sha: string };
    const found = state.getTagObject(owner, repo, sha);
    return found ? { status: 200, body: renderTagObject(req.base, owner, repo, found) } : notFound('https://docs.github.com/rest/git/tags');
  },

  'git/list-matching-refs'(state, req) {
    const { owner, repo, ref } = req.params as { owner: string; repo: string; ref: string };
    return { status: 200, body: state.matchingRefs(owner, repo, ref).map((r) => renderRef(req.base, owner, repo, r)) };
  },

  'git/create-ref'(state, req) {
    const { owner, repo } = req.params as { owner: string; repo: string };
    const ref = req.json!['ref'] as string;
    const sha = req.json!['sha'] as string;
    if (!/^refs\/[^/]+\/.+/.test(ref)) return unprocessable(DOCS.refs, `${ref} is not a valid ref name.`);
    if (!/^[0-9a-f]{40}$/i.test(sha)) return unprocessable(DOCS.refs, 'Object does not exist');
    if (state.getRef(owner, repo, ref.slice('refs/'.length))) return unprocessable(DOCS.refs, 'Reference already exists');
    const created = state.setRef(owner, repo, ref, sha.toLowerCase());
    const json = renderRef(req.base, owner, repo, created);
    return { status: 201, body: json, headers: { location: json.url } };
  },

  'git/update-ref'(state, req) {
    const { owner, repo, ref } = req.params as { owner: string; repo: string; ref: string };
    const sha = req.json!['sha'] as string;
    if (!state.getRef(owner, repo, ref)) return unprocessable(DOCS.refs, 'Reference does not exist');
    if (!/^[0-9a-f]{40}$/i.test(sha)) return unprocessable(DOCS.refs, 'Object does not exist');
    // Without commit history the server cannot judge fast-forwards, so every update is accepted.
    const updated = state.setRef(owner, repo, `refs/${ref}`, sha.toLowerCase());
    return { status: 200, body: renderRef(req.base, owner, repo, updated) };
  },

  'git/delete-ref'(state, req) {
    const { owner, repo, ref } = req.params as { owner: string; repo: string; ref: string };
    return state.deleteRef(owner, repo, ref) ? { status: 204 } : unprocessable(DOCS.refs, 'Reference does not exist');
  },

  'repos/create-dispatch-event'(state, req) {
    const { owner, repo } = req.params as { owner: string; repo: string };
    const payload = (req.json!['client_payload'] as Record<string, unknown> | undefined) ?? {};
    if (Buffer.byteLength(JSON.stringify(payload)) >= 64 * 1024) {
      return unprocessable(DOCS.dispatch, 'client_payload must be less than 64KB');
    }
    state.recordDispatch(owner, repo, req.json!['event_type'] as string, payload);
    return { status: 204 };
  },

  'checks/create'(state, req) {
    const { owner, repo } = req.params as { owner: string; repo: string };
    const body = req.json!;
    const headSha = body['head_sha'] as string;
    // The server has no git objects: any full sha stands for a commit, anything else is none.
    if (!/^[0-9a-f]{40}$/i.test(headSha)) return unprocessable(DOCS.checks, `No commit found for SHA: ${headSha}`);
    const lifecycle = checkRunLifecycle(body);
    if (isReply(lifecycle)) return lifecycle;
    const run = state.insertCheckRun({
      owner,
      repo,
      name: body['name'] as string,
      headSha,
      status: 'queued',
      conclusion: null,
      startedAt: null,
      completedAt: null,
      detailsUrl: null,
      externalId: null,
      output: { title: null, summary: null, text: null },
      ...lifecycle,
    });
    return { status: 201, body: checkRunJson(state, req.base, run) };
  },

  'checks/update'(state, req) {
    const { owner, repo } = req.params as { owner: string; repo: string };
    const run = state.getCheckRun(owner, repo, Number(req.params['check_run_id']));
    if (!run) return notFound(DOCS.checks);
    const lifecycle = checkRunLifecycle(req.json ?? {}, run);
    if (isReply(lifecycle)) return lifecycle;
    Object.assign(run, lifecycle);
    return { status: 200, body: checkRunJson(state, req.base, run) };
  },

  'checks/get'(state, req) {
    const { owner, repo } = req.params as { owner: string; repo: string };
    const run = state.getCheckRun(owner, repo, Number(req.params['check_run_id']));
    return run ? { status: 200, body: checkRunJson(state, req.base, run) } : notFound(DOCS.checks);
  },

  'checks/list-for-ref'(state, req) {
    const { owner, repo, ref } = req.params as { owner: string; repo: string; ref: string };
    const known = /^[0-9a-f]{40}$/i.test(ref) || state.getRef(owner, repo, `heads/${ref}`) || state.getRef(owner, repo, ref.replace(/^refs\//, ''));
    if (!known) return unprocessable(DOCS.checks, `No commit found for SHA: ${ref}`);
    let runs = state.checkRunsFor(owner, repo, state.resolveCommitish(owner, repo, ref));
    if (req.query['check_name'] !== undefined) runs = runs.filter((r) => r.name === req.query['check_name']);
    if (req.query['status'] !== undefined) runs = runs.filter((r) => r.status === req.query['status']);
    // `latest` (the default) keeps the newest run of each name, as a re-run replaces an older one.
    if ((req.query['filter'] ?? 'latest') === 'latest') {
      const seen = new Set<string>();
      runs = runs.filter((r) => !seen.has(r.name) && seen.add(r.name));
    }
    const listPath = `${repoPath(req.params)}/commits/${encodeURIComponent(ref)}/check-runs`;
    const { page, headers } = paginate(runs, req, listPath);
    return { status: 200, body: { total_count: runs.length, check_runs: page.map((r) => checkRunJson(state, req.base, r)) }, headers };
  },

  'pulls/get'(state, req) {
    const { owner, repo } = req.params as { owner: string; repo: string };
    const pull = state.getPullRequest(owner, repo, Number(req.params['pull_number']));
    return pull ? { status: 200, body: renderPullRequest(req.base, pull) } : notFound(DOCS.pulls);
  },
};
