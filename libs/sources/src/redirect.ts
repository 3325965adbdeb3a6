import { realpath } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repositoryProblem } from '@bllvm/manifest';

/**
 * A renamed repository keeps answering at its old name: GitHub redirects it, and git follows. What
 * the new name is, is said in two ways, one per kind of base URL: over http(s) git reports the
 * redirect on stderr (`warning: redirecting to <url>/`, credentials already removed); a file://
 * org (the sandbox's) represents the redirect as a symlink from the old name to the new folder.
 */

/** The owner/name git's stderr says it was redirected to under `gitBaseUrl`, or undefined (no redirect, or one elsewhere). Pure. */
export function redirectTarget(gitBaseUrl: string, stderr: string): string | undefined {
  const m = /^warning: redirecting to (\S+)$/m.exec(stderr);
  if (!m) return undefined;
  const base = withoutCredentials(gitBaseUrl);
  const to = withoutCredentials(m[1]!);
  if (base === undefined || to === undefined || !to.startsWith(base)) return undefined;
  const name = to.slice(base.length).replace(/\/+$/, '').replace(/\.git$/, '');
  return repositoryProblem(name) === undefined ? name : undefined;
}

function withoutCredentials(url: string): string | undefined {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return undefined;
  }
}

/** The owner/name a file:// org's `<repository>.git` really is (following symlinks), or undefined when it is not one of the org's. */
export async function fileRedirectTarget(gitBaseUrl: string, repository: string): Promise<string | undefined> {
  if (!gitBaseUrl.startsWith('file://')) return undefined;
  try {
    const base = await realpath(fileURLToPath(gitBaseUrl));
    const real = await realpath(`${fileURLToPath(gitBaseUrl)}${repository}.git`);
    const name = relative(base, real).split(sep).join('/').replace(/\.git$/, '');
    return repositoryProblem(name) === undefined ? name : undefined;
  } catch {
    return undefined;
  }
}
