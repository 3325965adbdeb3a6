import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, chmod, lstat, open, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactRecord } from '@bllvm/manifest';
import { type FileDigest, formatSha256Sums } from '@bllvm/release';
import type { DeclaredOutput } from './declared-outputs';

export class OutputError extends Error {}

/**
 * Before the build: remove what a previous build left at the declared output paths, so what is
 * collected afterwards is what this build made (cargo puts each output there again, fresh or not).
 */
export async function clearDeclaredOutputs(targetDir: string, outputs: readonly DeclaredOutput[]): Promise<void> {
  for (const o of outputs) await rm(join(targetDir, o.path), { recursive: true, force: true });
}

/**
 * Open `rel` under `root` as what it must be, a regular file whose every folder on the way is a
 * real folder: no symlink is followed at any step, so a sandbox that swapped an output (or a
 * folder above it) for a link to a host file gets its task refused, not the host file published.
 * Called once every process of the sandbox has ended, so nothing changes the tree meanwhile.
 */
export async function openPlainFileInside(root: string, rel: string) {
  const parts = rel.split('/').filter((p) => p && p !== '.');
  if (parts.includes('..')) throw new OutputError(`output path ${rel} leaves the target dir`);
  let at = root;
  for (const [i, part] of parts.entries()) {
    at = join(at, part);
    const st = await lstat(at).catch(() => undefined);
    if (!st) return undefined;
    const last = i === parts.length - 1;
    if (st.isSymbolicLink()) throw new OutputError(`${rel} in the target dir is a symlink, not what cargo makes: refusing it`);
    if (!last && !st.isDirectory()) throw new OutputError(`${parts.slice(0, i + 1).join('/')} in the target dir is not a folder`);
    if (last && !st.isFile()) throw new OutputError(`${rel} in the target dir is not a regular file`);
  }
  const handle = await open(at, constants.O_RDONLY | constants.O_NOFOLLOW);
  const st = await handle.stat();
  if (!st.isFile()) {
    await handle.close();
    throw new OutputError(`${rel} in the target dir is not a regular file`);
  }
  return handle;
}

/**
 * Copy what the component ships into the output folder, each with a .sha256 beside it: the
 * declared outputs present after the build, read as plain files inside the target dir. Returns
 * their records, by name; none when the build made nothing of its own.
 */
export async function collectArtifacts(outDir: string, targetDir: string, outputs: readonly DeclaredOutput[]): Promise<ArtifactRecord[]> {
  // Each output is read once (copied and digested in the same pass), all side by side.
  const collected = await Promise.all(outputs.map((o) => collectOne(outDir, targetDir, o)));
  return collected.flatMap((a) => (a ? [a] : [])).sort((a, b) => a.name.localeCompare(b.name));
}

async function collectOne(outDir: string, targetDir: string, o: DeclaredOutput): Promise<ArtifactRecord | undefined> {
  const handle = await openPlainFileInside(targetDir, o.path);
  if (!handle) return undefined; // a binary whose required features are off is declared but not built
  let d: FileDigest;
  try {
    d = await copyDigesting(handle, join(outDir, o.name));
    // The permission bits cargo gave it (a binary is executable), never set-id bits.
    await chmod(join(outDir, o.name), (await handle.stat()).mode & 0o755);
  } finally {
    await handle.close();
  }
  await writeFile(join(outDir, `${o.name}.sha256`), formatSha256Sums([{ name: o.name, sha256: d.sha256 }]));
  return { name: o.name, kind: o.kind, ...d };
}

/** Copy an open file to `dest` (a new file), digesting the bytes as they are written: the digest is of exactly what was copied. */
async function copyDigesting(from: FileHandle, dest: string): Promise<FileDigest> {
  const out = await open(dest, 'wx');
  try {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of from.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      for (let at = 0; at < chunk.length; ) at += (await out.write(chunk, at)).bytesWritten;
    }
    return { size, sha256: hash.digest('hex') };
  } finally {
    await out.close();
  }
}
