import { redactCredentials } from '@bllvm/manifest';
import type { UsedVersions } from './plan-versions';
import { IndexLineError, indexPath, parseIndexFile } from './publish-index-line';
import { VersionPlanError } from './version-plan-error';

/** crates.io's sparse index: where versions are looked up when no other registry is configured. */
export const CRATES_IO_SPARSE_INDEX = 'sparse+https://index.crates.io/';

const MAX_INDEX_BYTES = 32 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

/**
 * UsedVersions from a sparse index (`sparse+http(s)://…/`, BLLVM_CARGO_REGISTRY; crates.io's by
 * default): GET `<index>/<indexPath(crate)>`, each line checked as the uploader checks it. A crate
 * the index does not have (404, 410, 451, as cargo reads them) was never published. An index that
 * cannot be reached, or answers otherwise, is one line naming it.
 */
export function sparseIndexVersions(index: string = CRATES_IO_SPARSE_INDEX, options: { fetch?: typeof fetch; timeoutMs?: number } = {}): UsedVersions {
  const shown = redactCredentials(index);
  if (!/^sparse\+https?:\/\//.test(index)) throw new VersionPlanError(`the cargo registry ${shown} is not a sparse index (sparse+https://…/)`);
  const base = index.slice('sparse+'.length).replace(/\/?$/, '/');
  const get = options.fetch ?? fetch;
  return async (crate) => {
    let path: string;
    try {
      path = indexPath(crate);
    } catch {
      throw new VersionPlanError(`"${crate.slice(0, 80)}" is not a crate name`);
    }
    let res: Response;
    try {
      res = await get(base + path, { headers: { 'user-agent': 'bllvm-release' }, redirect: 'follow', signal: AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS) });
    } catch (e) {
      throw new VersionPlanError(`cannot reach the cargo registry ${shown} (reading ${crate}'s versions): ${reason(e)}`);
    }
    if ([404, 410, 451].includes(res.status)) {
      await res.body?.cancel();
      return [];
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new VersionPlanError(`the cargo registry ${shown} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''} for ${crate}'s index file (${path})`);
    }
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_INDEX_BYTES) {
      await res.body?.cancel();
      throw new VersionPlanError(`the cargo registry ${shown}: ${crate}'s index file is larger than ${MAX_INDEX_BYTES} bytes`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw new VersionPlanError(`cannot reach the cargo registry ${shown} (reading ${crate}'s versions): ${reason(e)}`);
    }
    if (text.length > MAX_INDEX_BYTES) throw new VersionPlanError(`the cargo registry ${shown}: ${crate}'s index file is larger than ${MAX_INDEX_BYTES} bytes`);
    try {
      return parseIndexFile(text, crate, redactCredentials(base + path), { maxBytes: MAX_INDEX_BYTES }).map((e) => ({ version: e.vers, yanked: e.yanked }));
    } catch (e) {
      if (e instanceof IndexLineError) throw new VersionPlanError(e.message);
      throw e;
    }
  };
}

/** fetch's failure in one line: its cause's code and message (ECONNREFUSED …), or the timeout. */
function reason(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return 'timed out';
  const cause = err.cause?.message ?? err.cause?.code;
  return redactCredentials(String(cause ?? err.message ?? e)).split('\n')[0]!.slice(0, 200);
}
