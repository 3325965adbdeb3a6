/**
 * The server's memory: releases, assets, git refs, received dispatches, check runs and pull
 * requests, per repository.
 *
 * Plain data and GitHub's rules about it (a tag names one release, an asset name is unique within
 * a release, deleting a release keeps its tag); no HTTP here, so tests can read and seed it directly.
 * Every repository exists implicitly: the server stands in for an org whose repos are all there.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

export type AssetState = 'uploaded' | 'starter';

export interface ReleaseRecord {
  id: number;
  owner: string;
  repo: string;
  tagName: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  createdAt: string;
  publishedAt: string | null;
  updatedAt: string;
}

export interface AssetRecord {
  id: number;
  releaseId: number;
  owner: string;
  repo: string;
  name: string;
  label: string | null;
  contentType: string;
  /** 'starter' is what GitHub leaves behind when an upload is cut off. */
  state: AssetState;
  bytes: Buffer;
  /** Hex sha256 of bytes; null for a starter asset, like GitHub's `digest`. */
  sha256: string | null;
  createdAt: string;
  updatedAt: string;
  downloadCount: number;
}

export interface RefRecord {
  /** Fully qualified, e.g. `refs/tags/v0.1.0`. */
  ref: string;
  sha: string;
  /** The ref names an annotated tag object (sha is the tag object's), not a commit. */
  annotated?: true;
}

/** An annotated tag object: what `git tag -a` pushes, and what a tag ref then names. */
export interface TagObjectRecord {
  sha: string;
  tag: string;
  message: string;
  /** The commit the tag object points at (what peeling yields). */
  commit: string;
  createdAt: string;
}

export interface DispatchRecord {
  owner: string;
  repo: string;
  eventType: string;
  clientPayload: Record<string, unknown>;
  receivedAt: string;
}

export type CheckRunStatus = 'queued' | 'in_progress' | 'completed';
/** What a client may set; `stale` is GitHub's alone to set and is refused. */
export type CheckRunConclusion = 'action_required' | 'cancelled' | 'failure' | 'neutral' | 'success' | 'skipped' | 'timed_out';

export interface CheckRunRecord {
  id: number;
  owner: string;
  repo: string;
  name: string;
  headSha: string;
  status: CheckRunStatus;
  conclusion: CheckRunConclusion | null;
  startedAt: string | null;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  /** GitHub groups one app's runs on one commit into a suite. */
  checkSuiteId: number;
}

export interface PullRequestRecord {
  owner: string;
  repo: string;
  number: number;
  /** Unique across the server, like GitHub's pull request ids. */
  id: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  headSha: string;
  headRef: string;
  /** `owner/name` of the repository the head branch lives in: another one for a fork's pull request. */
  headRepository: string;
  baseRef: string;
  baseSha: string;
  createdAt: string;
  updatedAt: string;
}

/** What a test seeds: the pull request's number and everything but the head are optional. */
export interface PullRequestSeed {
  owner: string;
  repo: string;
  headSha: string;
  number?: number;
  title?: string;
  body?: string | null;
  state?: 'open' | 'closed';
  headRef?: string;
  /** Default: the base repository itself (not a fork). */
  headRepository?: string;
  baseRef?: string;
  baseSha?: string;
}

/** What tests and the demo may look at; copies, so a test cannot corrupt the server by accident. */
export interface AssetView extends Omit<AssetRecord, 'bytes'> {
  size: number;
}
export interface ReleaseView extends ReleaseRecord {
  assets: AssetView[];
}

export interface StateSnapshot {
  releases: ReleaseView[];
  refs: (RefRecord & { owner: string; repo: string })[];
  dispatches: DispatchRecord[];
  checkRuns: CheckRunRecord[];
  pullRequests: PullRequestRecord[];
}

/** GitHub timestamps have second precision and a Z suffix. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

interface RepoData {
  owner: string;
  repo: string;
  releases: Map<number, ReleaseRecord>;
  refs: Map<string, string>;
  tagObjects: Map<string, TagObjectRecord>;
  checkRuns: Map<number, CheckRunRecord>;
  /** Suite id per head sha. */
  checkSuites: Map<string, number>;
  pulls: Map<number, PullRequestRecord>;
}

const SHA = /^[0-9a-f]{40}$/i;

export class GitHubState {
  private readonly repos = new Map<string, RepoData>();
  private readonly assets = new Map<number, AssetRecord>();
  private readonly dispatchLog: DispatchRecord[] = [];
  private nextReleaseId = 1;
  private nextAssetId = 1;
  private nextCheckRunId = 1;
  private nextCheckSuiteId = 1;
  private nextPullId = 1;
  /** Signs the short-lived object-storage links API downloads redirect to (drafts included). */
  private readonly objectKey = randomBytes(32);

  private repoData(owner: string, repo: string): RepoData {
    const key = `${owner.toLowerCase()}/${repo.toLowerCase()}`;
    let data = this.repos.get(key);
    if (!data) {
      data = { owner, repo, releases: new Map(), refs: new Map(), tagObjects: new Map(), checkRuns: new Map(), checkSuites: new Map(), pulls: new Map() };
      this.repos.set(key, data);
    }
    return data;
  }

  // ---- releases ----

  /** Newest first, like GitHub's list. */
  listReleases(owner: string, repo: string): ReleaseRecord[] {
    return [...this.repoData(owner, repo).releases.values()].sort((a, b) => b.id - a.id);
  }

  getRelease(owner: string, repo: string, id: number): ReleaseRecord | undefined {
    return this.repoData(owner, repo).releases.get(id);
  }

  /** Published releases only: GitHub's get-by-tag does not see drafts. */
  getReleaseByTag(owner: string, repo: string, tag: string): ReleaseRecord | undefined {
    return this.listReleases(owner, repo).find((r) => r.tagName === tag && !r.draft);
  }

  /** Any release, draft or not, that claims the tag; a tag may carry only one. */
  releaseClaimingTag(owner: string, repo: string, tag: string, exceptId?: number): ReleaseRecord | undefined {
    return this.listReleases(owner, repo).find((r) => r.tagName === tag && r.id !== exceptId);
  }

  insertRelease(fields: Omit<ReleaseRecord, 'id' | 'createdAt' | 'updatedAt' | 'publishedAt'>): ReleaseRecord {
    const now = timestamp();
    const release: ReleaseRecord = {
      ...fields,
      id: this.nextReleaseId++,
      createdAt: now,
      updatedAt: now,
      publishedAt: fields.draft ? null : now,
    };
    this.repoData(fields.owner, fields.repo).releases.set(release.id, release);
    return release;
  }

  updateRelease(release: ReleaseRecord, changes: Partial<Pick<ReleaseRecord, 'tagName' | 'targetCommitish' | 'name' | 'body' | 'draft' | 'prerelease'>>): ReleaseRecord {
    const wasDraft = release.draft;
    Object.assign(release, changes, { updatedAt: timestamp() });
    if (wasDraft && !release.draft) release.publishedAt = timestamp();
    return release;
  }

  /** Removes the release and its assets; its tag stays, as on GitHub. */
  deleteRelease(owner: string, repo: string, id: number): boolean {
    const data = this.repoData(owner, repo);
    if (!data.releases.delete(id)) return false;
    for (const asset of this.assets.values()) if (asset.releaseId === id) this.assets.delete(asset.id);
    return true;
  }

  /** Hook for fault injection: delete a release by tag (drafts included). */
  deleteReleaseByTag(owner: string, repo: string, tag: string): boolean {
    const release = this.releaseClaimingTag(owner, repo, tag);
    return release ? this.deleteRelease(owner, repo, release.id) : false;
  }

  // ---- assets ----

  listAssets(releaseId: number): AssetRecord[] {
    return [...this.assets.values()].filter((a) => a.releaseId === releaseId).sort((a, b) => a.id - b.id);
  }

  /** An asset by id alone (for signed download links, which name no repository). */
  listAssetById(id: number): AssetRecord | undefined {
    return this.assets.get(id);
  }

  getAsset(owner: string, repo: string, id: number): AssetRecord | undefined {
    const asset = this.assets.get(id);
    return asset && this.repoData(owner, repo).releases.has(asset.releaseId) ? asset : undefined;
  }

  insertAsset(release: ReleaseRecord, fields: { name: string; label: string | null; contentType: string; state: AssetState; bytes: Buffer }): AssetRecord {
    const now = timestamp();
    const asset: AssetRecord = {
      ...fields,
      id: this.nextAssetId++,
      releaseId: release.id,
      owner: release.owner,
      repo: release.repo,
      sha256: fields.state === 'uploaded' ? sha256Hex(fields.bytes) : null,
      createdAt: now,
      updatedAt: now,
      downloadCount: 0,
    };
    this.assets.set(asset.id, asset);
    return asset;
  }

  /** The signature of an object-storage link to an asset's bytes, as GitHub hands to an API download. */
  objectSignature(assetId: number): string {
    return createHmac('sha256', this.objectKey).update(String(assetId)).digest('hex');
  }

  deleteAsset(id: number): boolean {
    return this.assets.delete(id);
  }

  // ---- refs ----

  /** `ref` without the `refs/` prefix, e.g. `tags/v1`. */
  getRef(owner: string, repo: string, ref: string): RefRecord | undefined {
    return this.refRecord(this.repoData(owner, repo), `refs/${ref}`);
  }

  private refRecord(data: RepoData, full: string): RefRecord | undefined {
    const sha = data.refs.get(full);
    if (!sha) return undefined;
    return data.tagObjects.has(sha) ? { ref: full, sha, annotated: true } : { ref: full, sha };
  }

  /** Refs whose name starts with `refs/<prefix>`, sorted like GitHub. */
  matchingRefs(owner: string, repo: string, prefix: string): RefRecord[] {
    const wanted = `refs/${prefix}`;
    const data = this.repoData(owner, repo);
    return [...data.refs.keys()]
      .filter((ref) => ref.startsWith(wanted))
      .map((ref) => this.refRecord(data, ref)!)
      .sort((a, b) => a.ref.localeCompare(b.ref));
  }

  /** Create or move a ref (`refs/...`). Also the seeding entry point for tests. */
  setRef(owner: string, repo: string, ref: string, sha: string): RefRecord {
    if (!ref.startsWith('refs/')) throw new Error(`ref must be fully qualified (refs/...): ${ref}`);
    this.repoData(owner, repo).refs.set(ref, sha);
    return { ref, sha };
  }

  /**
   * Seed an annotated tag: a tag object pointing at `commit`, and `refs/tags/<tag>` naming the
   * object (as `git push` of `git tag -a` leaves it). Returns the tag object's sha.
   */
  setAnnotatedTag(owner: string, repo: string, tag: string, commit: string, message = `${tag}\n`): string {
    const data = this.repoData(owner, repo);
    const sha = createHash('sha1').update(`tag ${owner}/${repo} ${tag} ${commit} ${message}`).digest('hex');
    data.tagObjects.set(sha, { sha, tag, message, commit: commit.toLowerCase(), createdAt: timestamp() });
    data.refs.set(`refs/tags/${tag}`, sha);
    return sha;
  }

  getTagObject(owner: string, repo: string, sha: string): TagObjectRecord | undefined {
    const found = this.repoData(owner, repo).tagObjects.get(sha.toLowerCase());
    return found ? { ...found } : undefined;
  }

  deleteRef(owner: string, repo: string, ref: string): boolean {
    return this.repoData(owner, repo).refs.delete(`refs/${ref}`);
  }

  /**
   * The server holds refs, not git objects. A 40-hex commitish is taken as the commit; a branch
   * name resolves through `refs/heads/`; anything else gets a stable made-up sha so a demo that
   * never seeded branches still gets consistent tags.
   */
  resolveCommitish(owner: string, repo: string, commitish: string): string {
    if (/^[0-9a-f]{40}$/i.test(commitish)) return commitish.toLowerCase();
    const head = this.getRef(owner, repo, `heads/${commitish}`) ?? this.getRef(owner, repo, commitish.replace(/^refs\//, ''));
    if (head) return head.sha;
    return createHash('sha1').update(`${owner}/${repo}@${commitish}`).digest('hex');
  }

  // ---- dispatches ----

  recordDispatch(owner: string, repo: string, eventType: string, clientPayload: Record<string, unknown>): DispatchRecord {
    const record = { owner, repo, eventType, clientPayload: structuredClone(clientPayload), receivedAt: timestamp() };
    this.dispatchLog.push(record);
    return record;
  }

  // ---- check runs ----

  insertCheckRun(fields: Omit<CheckRunRecord, 'id' | 'checkSuiteId'>): CheckRunRecord {
    const data = this.repoData(fields.owner, fields.repo);
    const sha = fields.headSha.toLowerCase();
    let suite = data.checkSuites.get(sha);
    if (suite === undefined) data.checkSuites.set(sha, (suite = this.nextCheckSuiteId++));
    const run: CheckRunRecord = { ...structuredClone(fields), headSha: sha, id: this.nextCheckRunId++, checkSuiteId: suite };
    data.checkRuns.set(run.id, run);
    return run;
  }

  getCheckRun(owner: string, repo: string, id: number): CheckRunRecord | undefined {
    return this.repoData(owner, repo).checkRuns.get(id);
  }

  /** The repository's runs on one commit, newest first. */
  checkRunsFor(owner: string, repo: string, headSha: string): CheckRunRecord[] {
    const sha = headSha.toLowerCase();
    return [...this.repoData(owner, repo).checkRuns.values()].filter((r) => r.headSha === sha).sort((a, b) => b.id - a.id);
  }

  // ---- pull requests ----

  /** Seeds a pull request (tests and the demo); a number already taken is refused. */
  insertPullRequest(seed: PullRequestSeed): PullRequestRecord {
    const data = this.repoData(seed.owner, seed.repo);
    if (!SHA.test(seed.headSha)) throw new Error(`headSha must be a 40-hex commit sha, got ${JSON.stringify(seed.headSha)}`);
    if (seed.baseSha !== undefined && !SHA.test(seed.baseSha)) throw new Error(`baseSha must be a 40-hex commit sha, got ${JSON.stringify(seed.baseSha)}`);
    const head = seed.headRepository ?? `${seed.owner}/${seed.repo}`;
    if (!/^[^/\s]+\/[^/\s]+$/.test(head)) throw new Error(`headRepository must be owner/name, got ${JSON.stringify(head)}`);
    const number = seed.number ?? Math.max(0, ...data.pulls.keys()) + 1;
    if (!Number.isSafeInteger(number) || number < 1) throw new Error(`number must be a positive integer, got ${JSON.stringify(seed.number)}`);
    if (data.pulls.has(number)) throw new Error(`pull request ${seed.owner}/${seed.repo}#${number} already exists`);
    const now = timestamp();
    const baseRef = seed.baseRef ?? 'main';
    const pull: PullRequestRecord = {
      owner: seed.owner,
      repo: seed.repo,
      number,
      id: this.nextPullId++,
      title: seed.title ?? `Pull request ${number}`,
      body: seed.body ?? null,
      state: seed.state ?? 'open',
      headSha: seed.headSha.toLowerCase(),
      headRef: seed.headRef ?? `topic-${number}`,
      headRepository: head,
      baseRef,
      baseSha: (seed.baseSha ?? this.resolveCommitish(seed.owner, seed.repo, baseRef)).toLowerCase(),
      createdAt: now,
      updatedAt: now,
    };
    data.pulls.set(number, pull);
    return pull;
  }

  /** A newer push (headSha) or closing and reopening (state). */
  updatePullRequest(owner: string, repo: string, number: number, changes: { headSha?: string; state?: 'open' | 'closed' }): PullRequestRecord {
    const pull = this.getPullRequest(owner, repo, number);
    if (!pull) throw new Error(`no pull request ${owner}/${repo}#${number}`);
    if (changes.headSha !== undefined && !SHA.test(changes.headSha)) throw new Error(`headSha must be a 40-hex commit sha, got ${JSON.stringify(changes.headSha)}`);
    if (changes.state !== undefined && changes.state !== 'open' && changes.state !== 'closed') throw new Error(`state must be open or closed, got ${JSON.stringify(changes.state)}`);
    if (changes.headSha !== undefined) pull.headSha = changes.headSha.toLowerCase();
    if (changes.state !== undefined) pull.state = changes.state;
    pull.updatedAt = timestamp();
    return pull;
  }

  getPullRequest(owner: string, repo: string, number: number): PullRequestRecord | undefined {
    return this.repoData(owner, repo).pulls.get(number);
  }

  /** Open pull requests from a branch of this same repository whose head is `sha` (GitHub leaves forks' out). */
  openPullRequestsAt(owner: string, repo: string, sha: string): PullRequestRecord[] {
    const data = this.repoData(owner, repo);
    const self = `${data.owner}/${data.repo}`.toLowerCase();
    return [...data.pulls.values()].filter((p) => p.state === 'open' && p.headSha === sha && p.headRepository.toLowerCase() === self);
  }

  // ---- read access for tests ----

  checkRuns(owner: string, repo: string): CheckRunRecord[] {
    return structuredClone([...this.repoData(owner, repo).checkRuns.values()].sort((a, b) => a.id - b.id));
  }

  pullRequests(owner: string, repo: string): PullRequestRecord[] {
    return structuredClone([...this.repoData(owner, repo).pulls.values()].sort((a, b) => a.number - b.number));
  }

  releases(owner: string, repo: string): ReleaseView[] {
    return this.listReleases(owner, repo).map((r) => ({ ...r, assets: this.assetViews(r.id) }));
  }

  assetViews(releaseId: number): AssetView[] {
    return this.listAssets(releaseId).map(({ bytes, ...rest }) => ({ ...rest, size: bytes.length }));
  }

  assetBytes(assetId: number): Buffer | undefined {
    const bytes = this.assets.get(assetId)?.bytes;
    return bytes ? Buffer.from(bytes) : undefined;
  }

  refs(owner: string, repo: string): RefRecord[] {
    return this.matchingRefs(owner, repo, '');
  }

  dispatches(): DispatchRecord[] {
    return structuredClone(this.dispatchLog);
  }

  snapshot(): StateSnapshot {
    const releases: ReleaseView[] = [];
    const refs: StateSnapshot['refs'] = [];
    const checkRuns: CheckRunRecord[] = [];
    const pullRequests: PullRequestRecord[] = [];
    for (const data of this.repos.values()) {
      for (const r of data.releases.values()) releases.push({ ...r, assets: this.assetViews(r.id) });
      for (const [ref, sha] of data.refs) refs.push({ owner: data.owner, repo: data.repo, ref, sha });
      checkRuns.push(...data.checkRuns.values());
      pullRequests.push(...data.pulls.values());
    }
    return {
      releases: releases.sort((a, b) => a.id - b.id),
      refs,
      dispatches: this.dispatches(),
      checkRuns: structuredClone(checkRuns.sort((a, b) => a.id - b.id)),
      pullRequests: structuredClone(pullRequests.sort((a, b) => a.id - b.id)),
    };
  }
}
