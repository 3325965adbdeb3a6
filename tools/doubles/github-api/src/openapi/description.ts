/**
 * Fetches GitHub's official OpenAPI description on demand.
 *
 * `@octokit/openapi` is 385 MB unpacked, so it is never a dependency: we `npm pack` the pinned
 * version once (~29 MB) and keep only the one 13 MB file the server needs, in a gitignored cache.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const OPENAPI_PACKAGE = '@octokit/openapi';
/** Pinned so every run validates against the same description. */
export const OPENAPI_VERSION = '23.0.2';
const MEMBER = 'package/generated/api.github.com.json';

/** The cached file's name carries the version, so bumping OPENAPI_VERSION can never reuse a stale file. */
export const DESCRIPTION_FILE = `api.github.com-${OPENAPI_VERSION}.json`;

function workspaceRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('github-api: cannot find the workspace root (no nx.json above this file)');
    dir = parent;
  }
  return dir;
}

/** `BLLVM_OPENAPI_DIR` wins so CI can point every job at one shared cache. */
export function defaultOpenApiDir(): string {
  const fromEnv = process.env['BLLVM_OPENAPI_DIR'];
  return fromEnv ? resolve(fromEnv) : join(workspaceRoot(), '.bllvm', 'cache', 'openapi');
}

const inFlight = new Map<string, Promise<string>>();

/**
 * Returns the path of `api.github.com.json`, downloading it first if the cache lacks it.
 * Safe to call concurrently from several processes: each extracts into its own temp dir and the
 * final rename is atomic, so a reader never sees a half-written file.
 */
export function ensureOpenApiDescription(cacheDir: string = defaultOpenApiDir()): Promise<string> {
  const dir = resolve(cacheDir);
  const target = join(dir, DESCRIPTION_FILE);
  if (existsSync(target)) return Promise.resolve(target);
  let pending = inFlight.get(target);
  if (!pending) {
    pending = download(dir, target).finally(() => inFlight.delete(target));
    inFlight.set(target, pending);
  }
  return pending;
}

async function download(dir: string, target: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'bllvm-openapi-'));
  try {
    const spec = `${OPENAPI_PACKAGE}@${OPENAPI_VERSION}`;
    const { stdout } = await run('npm', ['pack', spec, '--pack-destination', work, '--silent'], {
      cwd: work,
      maxBuffer: 16 * 1024 * 1024,
    });
    const tarball = stdout.trim().split('\n').pop();
    if (!tarball) throw new Error(`npm pack ${spec} printed no tarball name`);
    await run('tar', ['-xzf', join(work, tarball), '-C', work, MEMBER]);
    const extracted = join(work, MEMBER);
    if (!existsSync(extracted)) throw new Error(`${spec} has no ${MEMBER}`);
    // Rename within the cache dir so the move is atomic even when tmpdir is another filesystem.
    const staging = join(dir, `.${DESCRIPTION_FILE}.${process.pid}.tmp`);
    copyFileSync(extracted, staging);
    renameSync(staging, target);
    return target;
  } catch (error) {
    throw new Error(
      `github-api: could not fetch GitHub's OpenAPI description (${OPENAPI_PACKAGE}@${OPENAPI_VERSION}) into ${dir}: ` +
        (error instanceof Error ? error.message : String(error)),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
