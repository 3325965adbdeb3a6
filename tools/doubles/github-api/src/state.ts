/**
 * The server's memory: releases, assets, git refs and received dispatches, per repository.
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
}

export class GitHubState {
  private readonly repos = new Map<string, RepoData>();
  private readonly assets = new Map<number, AssetRecord>();
  private readonly dispatchLog: DispatchRecord[] = [];
  private nextReleaseId = 1;
  private nextAssetId = 1;
  /** Signs the short-lived object-storage links API downloads redirect to (drafts included). */
  private readonly objectKey = randomBytes(32);

  private repoData(owner: string, repo: string): RepoData {
    const key = `${owner.toLowerCase()}/${repo.toLowerCase()}`;
    let data = this.repos.get(key);
    if (!data) {
      data = { owner, repo, releases: new Map(), refs: new Map(), tagObjects: new Map() };
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

  // ---- read access for tests ----

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
    for (const data of this.repos.values()) {
      for (const r of data.releases.values()) releases.push({ ...r, assets: this.assetViews(r.id) });
      for (const [ref, sha] of data.refs) refs.push({ owner: data.owner, repo: data.repo, ref, sha });
    }
    return { releases: releases.sort((a, b) => a.id - b.id), refs, dispatches: this.dispatches() };
  }
}
