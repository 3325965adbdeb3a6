import { repositoryName } from '@bllvm/manifest';
import type { SourcesConfig } from './config';
import { type CrateLayout, chooseCrate } from './crate-layout';
import { SourcesError } from './errors';
import { git, gitReason } from './git';
import { ensureMirror, remoteHead } from './mirror';

/** A repository at its branch head, as `import` adopts it. */
export interface DiscoveredRepository {
  repository: string;
  branch: string;
  head: string;
  crate: CrateLayout;
}

/** Only manifests are read, and only up to this size each: the repository is untrusted input. */
const MAX_MANIFEST_BYTES = 256 * 1024;

/**
 * The head of `branch` and the crate at it, read from the mirror's objects (no checkout, no cargo):
 * the file list and the manifests. `crateDir` overrides the choice (it must hold a package).
 */
export async function discoverRepository(cfg: SourcesConfig, repository: string, branch: string, crateDir?: string): Promise<DiscoveredRepository> {
  const head = await remoteHead(cfg, repository, branch);
  const mirror = await ensureMirror(cfg, repository, { commit: head });
  const list = await git(['ls-tree', '-r', '-z', '--name-only', head], { cwd: mirror });
  if (!list.ok) throw new SourcesError(`cannot list the files of ${repository} at ${head}: ${gitReason(list)}`, { commit: head });
  const files = list.stdout.split('\0').filter(Boolean);
  const manifests = new Map<string, string>();
  for (const f of files.filter((f) => f === 'Cargo.toml' || f.endsWith('/Cargo.toml'))) {
    const size = await git(['cat-file', '-s', `${head}:${f}`], { cwd: mirror });
    if (!size.ok || Number(size.stdout) > MAX_MANIFEST_BYTES) continue;
    const shown = await git(['show', `${head}:${f}`], { cwd: mirror });
    if (shown.ok) manifests.set(f, shown.stdout);
  }
  const result = chooseCrate(repositoryName(repository), files, (p) => manifests.get(p), crateDir);
  if (!result.ok) throw new SourcesError(`${repository}@${head.slice(0, 7)}: ${result.problem}`, { commit: head });
  return { repository, branch, head, crate: result.layout };
}
