import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OrchestratorConfig } from '@bllvm/contract';
import { createGitHubClient } from '@bllvm/github';
import { RELEASE_MANIFEST, type ReleaseManifest, SHA256SUMS } from '@bllvm/release';
import { CommandError } from '../command';

export interface PublishedRelease {
  manifest: ReleaseManifest;
  /** Asset name → bytes, each also written to `dir`. */
  assets: Map<string, Buffer>;
}

/** Download every asset of the published release `tag` (reads only; no token needed for a public release). */
export async function fetchPublished(config: OrchestratorConfig, repository: string, tag: string, dir: string, log: (l: string) => void): Promise<PublishedRelease> {
  const [owner, repo] = repository.split('/') as [string, string];
  const client = createGitHubClient({ baseUrl: config.github.apiUrl, token: config.github.token, log });
  const release = await client.getRelease(owner, repo, tag);
  if (!release || release.draft) throw new CommandError(`${repository} has no published release ${tag}: check the tag (\`npm run cli -- rebuild --help\`) and GITHUB_REPOSITORY`);
  const names = release.assets.map((a) => a.name);
  for (const needed of [RELEASE_MANIFEST, SHA256SUMS])
    if (!names.includes(needed)) throw new CommandError(`release ${tag} has no ${needed}, so there is nothing to rebuild against`);
  await mkdir(dir, { recursive: true });
  const assets = new Map<string, Buffer>();
  for (const a of release.assets) {
    const bytes = await client.downloadAsset(release, a);
    await writeFile(join(dir, a.name), bytes);
    assets.set(a.name, bytes);
  }
  log(`downloaded ${assets.size} assets of ${tag} from ${repository}`);
  let manifest: ReleaseManifest;
  try {
    manifest = JSON.parse(assets.get(RELEASE_MANIFEST)!.toString('utf8')) as ReleaseManifest;
  } catch (e) {
    throw new CommandError(`${RELEASE_MANIFEST} of ${tag} is not JSON (${(e as Error).message}): the release is damaged, and cannot be rebuilt`);
  }
  if (manifest.tag !== tag || !Array.isArray(manifest.components)) throw new CommandError(`${RELEASE_MANIFEST} of ${tag} describes ${JSON.stringify(manifest.tag)}: the release is damaged`);
  return { manifest, assets };
}
