/**
 * Release assets, idempotently: an asset already there with the same bytes is left alone, a
 * different one is an error unless replacing was asked for, and the debris of an interrupted upload
 * (GitHub's empty `starter` asset) is cleared away before trying again.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ClientCore } from './core';
import { GitHubApiError, statusOf } from './errors';
import { parseAsset, type ApiAsset, type Release, type ReleaseAsset } from './types';

export interface AssetFile {
  /** Name on the release. */
  name: string;
  /** Local file to upload. */
  path: string;
}

export interface UploadOptions {
  /**
   * Repair instead of failing: replace an existing asset whose bytes differ and, with `exact`,
   * delete every foreign asset.
   */
  replace?: boolean;
  /**
   * The files are the release's whole content: any other asset on it is foreign. Without
   * `replace`, foreign and differing assets are all reported in one error before anything is sent.
   */
  exact?: boolean;
  /** Attempts per asset when an upload fails mid-way (default 3). */
  attempts?: number;
}

export type UploadAction =
  /** Already there with the same size and sha256: nothing sent. */
  | 'kept'
  | 'uploaded'
  /** A different asset of that name was deleted first (replace: true). */
  | 'replaced'
  /** An interrupted upload's leftover was deleted first. */
  | 'repaired';

export interface UploadResult {
  name: string;
  action: UploadAction;
  size: number;
  sha256: string;
  /** The asset on GitHub; null in a dry run for anything not already there. */
  asset: ReleaseAsset | null;
  /** True when the action was only planned (dry run). */
  dryRun: boolean;
}

export interface ExpectedAsset {
  name: string;
  size: number;
  sha256: string;
}

const CONTENT_TYPES: [RegExp, string][] = [
  [/\.tar\.gz$|\.tgz$/, 'application/gzip'],
  [/\.zip$/, 'application/zip'],
  [/\.json$/, 'application/json'],
  [/\.(txt|md)$|^SHA256SUMS$|\.sha256$/, 'text/plain'],
];

function contentType(name: string): string {
  return CONTENT_TYPES.find(([pattern]) => pattern.test(name))?.[1] ?? 'application/octet-stream';
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function listAssets(core: ClientCore, release: Release): Promise<ReleaseAsset[]> {
  if (release.planned) return [];
  const { owner, repo } = release;
  return core.read({ operation: 'listAssets', owner, repo, tag: release.tag }, async () => {
    const all = await core.octokit.paginate(core.octokit.rest.repos.listReleaseAssets, {
      owner,
      repo,
      release_id: release.id,
      per_page: 100,
    });
    return all.map(parseAsset);
  });
}

/** The asset's bytes, following GitHub's redirect to the download location. */
export async function downloadAsset(core: ClientCore, release: Release, asset: ReleaseAsset): Promise<Buffer> {
  const { owner, repo } = release;
  return core.read({ operation: 'downloadAsset', owner, repo, tag: release.tag, asset: asset.name }, async () => {
    const response = await core.octokit.rest.repos.getReleaseAsset({
      owner,
      repo,
      asset_id: asset.id,
      headers: { accept: 'application/octet-stream' },
    });
    const data = response.data as unknown;
    if (data instanceof ArrayBuffer) return Buffer.from(data);
    if (typeof data === 'string') return Buffer.from(data, 'utf8');
    if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    throw new Error(`unexpected download body (${typeof data})`);
  });
}

/** Hash of an asset on GitHub: from its `digest` when GitHub reports one, else by downloading it. */
async function remoteSha256(core: ClientCore, release: Release, asset: ReleaseAsset): Promise<string> {
  return asset.sha256 ?? sha256(await downloadAsset(core, release, asset));
}

async function deleteAsset(core: ClientCore, release: Release, asset: ReleaseAsset, why: string): Promise<void> {
  const { owner, repo } = release;
  await core.write(
    { operation: 'deleteAsset', owner, repo, tag: release.tag, asset: asset.name },
    { method: 'DELETE', route: `/repos/${owner}/${repo}/releases/assets/${asset.id}`, description: `delete ${why} asset ${asset.name} from ${release.tag}` },
    async () => {
      try {
        await core.octokit.rest.repos.deleteReleaseAsset({ owner, repo, asset_id: asset.id });
      } catch (error) {
        if (statusOf(error) !== 404) throw error; // already gone is what we wanted
      }
    },
  );
}

async function postAsset(core: ClientCore, release: Release, name: string, bytes: Buffer): Promise<ReleaseAsset | undefined> {
  const { owner, repo } = release;
  return core.write(
    { operation: 'uploadAsset', owner, repo, tag: release.tag, asset: name },
    { method: 'POST', route: `/repos/${owner}/${repo}/releases/${release.id}/assets?name=${name}`, description: `upload ${name} (${bytes.length} bytes) to ${release.tag}` },
    async () => {
      const { data } = await core.octokit.request({
        method: 'POST',
        url: release.uploadUrl,
        name,
        data: bytes,
        headers: { 'content-type': contentType(name), 'content-length': bytes.length },
      });
      return parseAsset(data as ApiAsset);
    },
  );
}

/**
 * Uploads, and if the upload fails part-way, finds out what it left behind: the asset may have
 * landed after all (response lost), or GitHub may hold an empty `starter` that blocks the name.
 */
async function uploadWithRecovery(core: ClientCore, release: Release, file: AssetFile, bytes: Buffer, hash: string, attempts: number): Promise<ReleaseAsset | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await postAsset(core, release, file.name, bytes);
    } catch (error) {
      const status = statusOf(error);
      // No answer at all (after the client's own retries) or the deadline: trying the upload again
      // would only wait as long once more. A cut connection or a 5xx is what is recovered here.
      const unanswered = error instanceof GitHubApiError && (error.code === 'timeout' || error.code === 'deadline');
      const recoverable = !unanswered && (status === undefined || status === 422 || status >= 500);
      if (!recoverable || attempt >= attempts) throw error;
      const left = (await listAssets(core, release)).find((a) => a.name === file.name);
      if (!left) {
        core.log(`upload of ${file.name} to ${release.tag} failed (${(error as Error).message}); retrying`);
        continue;
      }
      if (left.state === 'uploaded') {
        if (left.size === bytes.length && (await remoteSha256(core, release, left)) === hash) return left;
        // Someone else's different asset took the name meanwhile: not ours to delete.
        throw new GitHubApiError(
          { operation: 'uploadAssets', owner: release.owner, repo: release.repo, tag: release.tag, asset: file.name },
          {
            code: 'asset_conflict',
            reason: `asset ${file.name} was uploaded by another run meanwhile with different content (size ${left.size}, ours ${bytes.length} bytes, sha256 ${hash})`,
          },
        );
      }
      core.log(`upload of ${file.name} to ${release.tag} was interrupted (asset left in state ${left.state}); cleaning up and retrying`);
      await deleteAsset(core, release, left, 'interrupted');
    }
  }
}

/** What a release holds that it should not, before anything is uploaded. */
interface Offending {
  /** Assets whose name we upload but whose bytes differ. */
  differing: { file: AssetFile; asset: ReleaseAsset; size: number; sha256: string }[];
  /** Assets we do not upload at all (only when the files are the whole release). */
  foreign: ReleaseAsset[];
}

function offendingReason(release: Release, found: Offending): string {
  const lines = [
    ...found.differing.map((d) => `${d.file.name}: held with different content (size ${d.asset.size}, expected ${d.size} bytes, sha256 ${d.sha256})`),
    ...found.foreign.map((a) => `${a.name}: foreign asset (not part of this release, ${a.size} bytes)`),
  ];
  return `release ${release.tag} holds ${lines.length} asset(s) that are not what this release publishes:\n  ${lines.join('\n  ')}\n`;
}

export async function uploadAssets(core: ClientCore, release: Release, files: AssetFile[], options: UploadOptions = {}): Promise<UploadResult[]> {
  const attempts = options.attempts ?? 3;
  const names = new Set<string>();
  for (const f of files) {
    if (names.has(f.name)) throw new Error(`uploadAssets: ${f.name} is listed twice`);
    names.add(f.name);
  }
  const existing = await listAssets(core, release);
  const local = new Map<string, { bytes: Buffer; hash: string }>();
  const found: Offending = { differing: [], foreign: options.exact ? existing.filter((a) => !names.has(a.name)) : [] };
  // Look at everything first, so one error names every offending asset rather than the first.
  for (const file of files) {
    const bytes = await readFile(file.path);
    const hash = sha256(bytes);
    local.set(file.name, { bytes, hash });
    const current = existing.find((a) => a.name === file.name);
    if (current?.state === 'uploaded' && !(current.size === bytes.length && (await remoteSha256(core, release, current)) === hash)) {
      found.differing.push({ file, asset: current, size: bytes.length, sha256: hash });
    }
  }
  if ((found.differing.length || found.foreign.length) && !options.replace) {
    const first = found.differing[0]?.file.name ?? found.foreign[0]!.name;
    // Differing bytes alone may be another run's upload in flight (asset_conflict: callers may
    // wait for it); a foreign asset never is.
    const code = found.foreign.length ? 'foreign_assets' : 'asset_conflict';
    throw new GitHubApiError({ operation: 'uploadAssets', owner: release.owner, repo: release.repo, tag: release.tag, asset: first }, { code, reason: offendingReason(release, found) });
  }
  for (const asset of found.foreign) await deleteAsset(core, release, asset, 'foreign');
  const results: UploadResult[] = [];
  for (const file of files) {
    const { bytes, hash } = local.get(file.name)!;
    const current = existing.find((a) => a.name === file.name);
    let action: UploadAction = 'uploaded';
    if (current && current.state === 'uploaded') {
      if (!found.differing.some((d) => d.asset.id === current.id)) {
        results.push({ name: file.name, action: 'kept', size: bytes.length, sha256: hash, asset: current, dryRun: false });
        continue;
      }
      await deleteAsset(core, release, current, 'outdated');
      action = 'replaced';
    } else if (current) {
      await deleteAsset(core, release, current, 'interrupted');
      action = 'repaired';
    }
    const asset = await uploadWithRecovery(core, release, file, bytes, hash, attempts);
    results.push({ name: file.name, action, size: bytes.length, sha256: hash, asset: asset ?? null, dryRun: core.dryRun });
  }
  return results;
}

/**
 * Checks a published release against what was staged: every expected asset present, complete,
 * of the right size (and digest, when GitHub reports one), and listed with the right hash in the
 * release's checksum file. Returns the problems found; empty means verified.
 */
export async function verifyReleaseAssets(
  core: ClientCore,
  release: Release,
  expected: ExpectedAsset[],
  sha256sumsName = 'SHA256SUMS',
  /** Assets that vouch for SHA256SUMS (signatures, provenance, SBOMs) and so are not listed in it. */
  unlisted: (name: string) => boolean = () => false,
): Promise<string[]> {
  if (release.planned) return [`release ${release.tag} does not exist (it was only planned in a dry run)`];
  const assets = await listAssets(core, release);
  const problems: string[] = [];
  const byName = new Map(assets.map((a) => [a.name, a]));

  for (const want of expected) {
    const got = byName.get(want.name);
    if (!got) {
      problems.push(`${want.name}: missing from release ${release.tag}`);
      continue;
    }
    if (got.state !== 'uploaded') problems.push(`${want.name}: upload incomplete (state ${got.state})`);
    if (got.size !== want.size) problems.push(`${want.name}: size ${got.size}, expected ${want.size}`);
    if (got.sha256 && got.sha256 !== want.sha256.toLowerCase()) problems.push(`${want.name}: GitHub reports sha256 ${got.sha256}, expected ${want.sha256}`);
  }

  const wanted = new Set([...expected.map((e) => e.name), sha256sumsName]);
  for (const a of assets) if (!wanted.has(a.name)) problems.push(`${a.name}: foreign asset on release ${release.tag} (not part of it)`);

  const sums = byName.get(sha256sumsName);
  if (!sums || sums.state !== 'uploaded') {
    problems.push(`${sha256sumsName}: missing from release ${release.tag}`);
    return problems;
  }
  const listed = new Map<string, string>();
  for (const line of (await downloadAsset(core, release, sums)).toString('utf8').split(/\r?\n/)) {
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line.trim());
    if (m) listed.set(m[2]!, m[1]!.toLowerCase());
  }
  for (const want of expected) {
    if (want.name === sha256sumsName || unlisted(want.name)) continue;
    const hash = listed.get(want.name);
    if (!hash) problems.push(`${want.name}: not listed in ${sha256sumsName}`);
    else if (hash !== want.sha256.toLowerCase()) problems.push(`${want.name}: ${sha256sumsName} lists ${hash}, expected ${want.sha256}`);
  }
  return problems;
}
