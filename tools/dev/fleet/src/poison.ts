import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { execa } from 'execa';
import type { Pipeline } from '@bllvm/demo';
import type { CacheProcess } from './cache-process';
import { askCache } from './probe';
import type { WorkflowRunOptions } from './run-workflow';

export interface PoisonAttempt {
  attempt: string;
  /** What happened, e.g. "write refused (403)". */
  outcome: string;
  /** Whether the cache held: the planted bytes were neither stored nor served. */
  held: boolean;
}

interface Context {
  cache: CacheProcess;
  p: Pipeline;
  root: string;
  origin: string;
  commit: string;
  phase: 'before' | 'after';
  opts: Omit<WorkflowRunOptions, 'run'>;
}

const PLANTED = Buffer.from('a build planted by a pull request\n');

/**
 * The ways a pull request, or someone with a token of the wrong kind, could plant an artifact
 * under a hash main will use (CVE-2025-36852), each tried against the running cache server.
 * Before main's class jobs: the hashes come from `restore --json` on a runner of its own (a pull
 * request with the same pins computes the same ones). After: main's entries exist.
 */
export async function poisonAttempts(c: Context): Promise<PoisonAttempt[]> {
  const hashes = await hashesMainWillUse(c);
  if (hashes.length < 2) return [{ attempt: 'find the hashes main uses', outcome: `restore --json named ${hashes.length} tasks`, held: false }];
  const [first, second] = hashes as [{ id: string; hash: string }, { id: string; hash: string }];
  const put = (hash: string, token?: string) =>
    fetch(`${c.cache.url}/v1/cache/${hash}`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: PLANTED });
  const get = (hash: string) => fetch(`${c.cache.url}/v1/cache/${hash}`, { headers: { authorization: `Bearer ${c.cache.readToken}` } });
  const out: PoisonAttempt[] = [];
  if (c.phase === 'before') {
    const ro = await put(first.hash, c.cache.readToken);
    out.push({ attempt: `read-only token writes ${first.id} before main`, outcome: ro.status === 403 ? 'write refused (403)' : `answered ${ro.status}`, held: ro.status === 403 });
    const none = await put(first.hash);
    out.push({ attempt: 'no token writes it', outcome: none.status === 401 ? 'write refused (401)' : `answered ${none.status}`, held: none.status === 401 });
    const wrong = await put(first.hash, 'not-a-token');
    out.push({ attempt: 'an unknown token writes it', outcome: wrong.status === 401 ? 'write refused (401)' : `answered ${wrong.status}`, held: wrong.status === 401 });
    // Someone who can write the store's folder but not the server's key.
    await writeFile(join(c.cache.storeDir, 'entries', second.hash), PLANTED);
    const planted = await get(second.hash);
    out.push({ attempt: `a file planted in the store under ${second.id}`, outcome: planted.status === 404 ? 'never served (404)' : `served (${planted.status})`, held: planted.status === 404 });
    return out;
  }
  const again = await put(first.hash, c.cache.writeToken);
  out.push({ attempt: `write token overwrites main's ${first.id}`, outcome: again.status === 409 ? 'refused, entries are immutable (409)' : `answered ${again.status}`, held: again.status === 409 });
  const served = await get(second.hash);
  const body = Buffer.from(await served.arrayBuffer());
  const real = served.status === 200 && !body.equals(PLANTED) && isGzip(body);
  out.push({ attempt: `${second.id}, planted before main wrote it`, outcome: real ? "served main's build, not the planted file" : `answered ${served.status}${body.equals(PLANTED) ? ' with the planted bytes' : ''}`, held: real });
  // Bytes of a stored entry changed on disk: caught by the digest on read.
  const file = join(c.cache.storeDir, 'entries', first.hash);
  const bytes = await readFile(file);
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
  await execa('chmod', ['u+w', file]);
  await writeFile(file, bytes);
  const tampered = await get(first.hash);
  out.push({ attempt: `main's ${first.id} changed on disk`, outcome: tampered.status === 404 ? 'not served, quarantined (404)' : `served (${tampered.status})`, held: tampered.status === 404 });
  return out;
}

function isGzip(b: Buffer): boolean {
  try {
    gunzipSync(b);
    return true;
  } catch {
    return false;
  }
}

/** The build tasks' hashes at `commit`, as Nx computes them on a clean runner (read token; nothing written). */
async function hashesMainWillUse(c: Context): Promise<{ id: string; hash: string }[]> {
  const tasks = await askCache(c.cache, c.root, `pull-request-${c.phase}`, c.origin, c.commit, c.opts);
  return tasks.filter((t) => t.target === 'build' && t.hash).map((t) => ({ id: t.id, hash: t.hash! }));
}
