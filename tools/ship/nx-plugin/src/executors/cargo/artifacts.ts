import { copyFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ArtifactRecord } from '@bllvm/manifest';
import { formatSha256Sums, sha256File as describeFile } from '@bllvm/release';
import { rootArtifacts } from './cargo-args';
import { type TaskLayout, hostPath, sandboxCrate } from './sandbox';

/**
 * Copy what the component ships (from cargo's JSON messages) into the output folder, each with a
 * .sha256 beside it. Returns their records, by name; none when the build made nothing of its own.
 */
export async function collectArtifacts(outDir: string, layout: TaskLayout, cargoMessages: string): Promise<ArtifactRecord[]> {
  const artifacts: ArtifactRecord[] = [];
  // cargo ran in the sandbox: its messages name sandbox paths.
  const manifest = `${sandboxCrate(layout, layout.self)}/Cargo.toml`;
  for (const a of rootArtifacts(cargoMessages, manifest)) {
    const name = basename(a.path);
    await copyFile(hostPath(layout, a.path), join(outDir, name));
    const d = await describeFile(join(outDir, name));
    await writeFile(join(outDir, `${name}.sha256`), formatSha256Sums([{ name, sha256: d.sha256 }]));
    artifacts.push({ name, kind: a.kind, ...d });
  }
  return artifacts.sort((a, b) => a.name.localeCompare(b.name));
}
