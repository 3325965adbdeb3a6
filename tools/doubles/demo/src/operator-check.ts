import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { ORCHESTRATOR_REPOSITORY, type Pipeline } from './pipeline';
import { cliCommand } from './printed-commands';
import { manifestCrates, registryLine, writeRegistryIndex } from './registry-index';
import { WORKSPACE_ROOT } from './workspace-copy';

/**
 * What a node operator does with a release: download its assets from the (local) GitHub API and
 * the crates its manifest names from the (local) registry, and run `verify` from this checkout
 * exactly as printed. Prints as it goes; returns whether verify passed.
 */
export async function checkAsOperator(p: Pipeline<string>, tagName: string, keep: boolean): Promise<boolean> {
  const [owner, repo] = ORCHESTRATOR_REPOSITORY.split('/') as [string, string];
  const release = p.api.state.releases(owner, repo).find((r) => r.tagName === tagName);
  if (!release) throw new Error(`the local GitHub API has no release ${tagName}`);
  console.log(`\nrelease ${release.tagName} (prerelease: ${release.prerelease}) at ${p.api.url}/${owner}/${repo}/releases/tag/${release.tagName}`);
  for (const a of release.assets) console.log(`  ${a.name.padEnd(62)} ${String(a.size).padStart(9)} bytes  sha256 ${a.sha256?.slice(0, 16)}…`);
  const download = join(p.sw.ws.dir, '..', 'download', release.tagName);
  await mkdir(download, { recursive: true });
  for (const a of release.assets) {
    const res = await fetch(`${p.api.url}/${owner}/${repo}/releases/download/${release.tagName}/${a.name}`);
    if (!res.ok) throw new Error(`downloading ${a.name}: HTTP ${res.status}`);
    await writeFile(join(download, a.name), Buffer.from(await res.arrayBuffer()));
  }
  // The crates of the release manifest (graph order; the publish's crate lines are the upload
  // order), as the workspace's registry lists them, downloaded from it.
  const registry = p.sw.registry;
  const keptRegistry = join(p.sw.ws.dir, '..', 'registry');
  const crates = manifestCrates(await readFile(join(download, 'release-manifest.json'), 'utf8'));
  const crateFiles: string[] = [];
  if (crates.length) {
    console.log(`\nthe release's crates as the workspace's registry ${registry.indexUrl} lists them:`);
    const folder = join(download, '..', `${release.tagName}-crates`);
    await mkdir(folder, { recursive: true });
    for (const c of crates) {
      const listed = registry.state.snapshot().find((x) => x.name === c.name)?.versions.find((v) => v.vers === c.version);
      console.log(registryLine(c, listed?.cksum, keep ? `${join(keptRegistry, 'index')}/` : registry.indexUrl.replace(/^sparse\+/, '')));
      const res = await fetch(`${registry.url}/api/v1/crates/${c.name}/${c.version}/download`);
      if (!res.ok) throw new Error(`downloading ${c.file} from the registry: HTTP ${res.status}`);
      const file = join(folder, c.file);
      await writeFile(file, Buffer.from(await res.arrayBuffer()));
      crateFiles.push(file);
    }
    if (keep) {
      await writeRegistryIndex(registry.state, keptRegistry, `${registry.url}/api/v1/crates`);
      console.log(`kept: ${keptRegistry} (the registry: index/ in cargo's index layout, crates/ the .crate files)`);
    }
  }
  const verify = cliCommand(['verify', download, '--keys', p.keysDir, ...crateFiles.flatMap((f) => ['--crate', f])]);
  console.log(`\nrunning: ${verify.line}   (keys made for this sandbox${keep ? '' : '; removed at the end unless --keep'})`);
  const v = await execa(verify.argv[0], verify.argv.slice(1), { cwd: WORKSPACE_ROOT, reject: false });
  console.log(v.stdout.trim());
  if (v.exitCode !== 0) console.error(`verify failed (exit ${v.exitCode}):\n${v.stderr.slice(-3000)}`);
  return v.exitCode === 0;
}
