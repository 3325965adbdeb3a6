import { posix } from 'node:path';
import { parse } from 'smol-toml';
import { SourcesError } from './errors';
import { git, gitReason } from './git';

/** A package manifest of a repository at one commit: its folder ('.' for the root) and package name. */
export interface PackageAt {
  dir: string;
  name: string;
}

/** Only manifests are read, and only up to this size each: the repository is untrusted input. */
const MAX_MANIFEST_BYTES = 256 * 1024;

/**
 * Every `[package]` manifest of a commit, read from a mirror's objects (no checkout, no cargo): where
 * a pin's crate is after the commit moved it, renamed it, or its repository was renamed. A manifest
 * that is too large or not TOML is no package here.
 */
export async function packagesAt(mirror: string, commit: string): Promise<PackageAt[]> {
  const list = await git(['ls-tree', '-r', '-z', '--name-only', '--end-of-options', commit], { cwd: mirror });
  if (!list.ok) throw new SourcesError(`cannot list the files of ${commit}: ${gitReason(list)}`, { commit });
  const packages: PackageAt[] = [];
  for (const path of list.stdout.split('\0').filter((f) => f === 'Cargo.toml' || f.endsWith('/Cargo.toml'))) {
    const size = await git(['cat-file', '-s', `${commit}:${path}`], { cwd: mirror });
    if (!size.ok || Number(size.stdout) > MAX_MANIFEST_BYTES) continue;
    const shown = await git(['show', `${commit}:${path}`], { cwd: mirror });
    const name = shown.ok ? packageName(shown.stdout) : undefined;
    if (name !== undefined) packages.push({ dir: posix.dirname(path), name });
  }
  return packages;
}

function packageName(text: string): string | undefined {
  try {
    const name = (parse(text) as { package?: { name?: unknown } }).package?.name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}
