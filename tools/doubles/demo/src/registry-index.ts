import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { indexPath, type RegistryState } from '@bllvm/cargo-registry';

/**
 * The local registry as files, for a kept sandbox: its index in cargo's layout (`config.json`, then
 * `1/a`, `2/ab`, `3/a/abc`, `ab/cd/abcd…`, one JSON line per version, as the sparse index serves
 * them) and every `.crate` under `crates/<name>/<name>-<version>.crate`. The registry keeps its
 * state in memory and stops with the demo; these stay. Returns the index folder.
 */
export async function writeRegistryIndex(state: RegistryState, dir: string, dl: string): Promise<string> {
  const index = join(dir, 'index');
  await mkdir(index, { recursive: true });
  await writeFile(join(index, 'config.json'), `${JSON.stringify({ dl })}\n`);
  for (const c of state.snapshot()) {
    const path = indexPath(c.name);
    const text = state.indexFile(c.name.toLowerCase());
    if (text === undefined) continue;
    await mkdir(dirname(join(index, path)), { recursive: true });
    await writeFile(join(index, path), text);
    await mkdir(join(dir, 'crates', c.name), { recursive: true });
    for (const v of c.versions) await writeFile(join(dir, 'crates', c.name, `${c.name}-${v.vers}.crate`), state.download(c.name, v.vers));
  }
  return index;
}

/** One line per published crate of the release: name, version and the checksum the registry's index lists. Pure. */
export function registryLine(c: { name: string; version: string }, cksum: string | undefined, index: string): string {
  return `crate ${c.name} ${c.version}  cksum ${cksum ?? 'NOT IN THE INDEX'}  (${index}${indexPath(c.name)})`;
}

/** The crates a release manifest lists, in its (graph) order: what the publish step uploaded. Pure. */
export function manifestCrates(manifestText: string): { name: string; version: string; file: string; sha256: string }[] {
  const manifest = JSON.parse(manifestText) as { components?: { crate?: { name: string; version: string; file: string; sha256: string } }[] };
  return (manifest.components ?? []).flatMap((c) => (c.crate ? [{ name: c.crate.name, version: c.crate.version, file: c.crate.file, sha256: c.crate.sha256 }] : []));
}
