import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { writeFileByRename } from '../../lib/atomic-output';

/** Bumped whenever what a kept answer holds changes. */
const RULES = 'tool-version-1';

/**
 * The marker's name for one question to one tool: the tool's file and the toolchain's library
 * folder (rustc's version text comes from its driver library there), each by inode, size, change
 * and modification time. A toolchain installed or updated in place replaces those files, which
 * gives them a new inode and change time; undefined when either is missing. Pure.
 */
export function toolVersionKey(tool: string, flag: string, binary: Pick<Stats, 'dev' | 'ino' | 'size' | 'mtimeMs' | 'ctimeMs'>, lib: Pick<Stats, 'dev' | 'ino' | 'size' | 'mtimeMs' | 'ctimeMs'>): string {
  const id = (s: typeof binary) => [s.dev, s.ino, s.size, s.mtimeMs, s.ctimeMs];
  return createHash('sha256')
    .update(JSON.stringify([RULES, tool, flag, id(binary), id(lib)]))
    .digest('hex');
}

/** A kept answer as read back: its text when it is one, else undefined (then the tool is asked again). Pure. */
export function parseKeptVersion(text: string): string | undefined {
  try {
    const v = (JSON.parse(text) as { version?: unknown }).version;
    return typeof v === 'string' && v.length > 0 && v.length < 4096 ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `<tool> <flag>` of the sysroot's toolchain (for the build record), asked of the tool once per
 * installed toolchain and kept under the work dir: a folder no sandbox mounts, written here only.
 * Our own question to the toolchain, not component code: it runs outside the sandbox.
 */
export async function toolVersion(workDir: string, sysroot: string, tool: 'rustc' | 'cargo', flag: string): Promise<string> {
  const binary = join(sysroot, 'bin', tool);
  const [b, l] = await Promise.all([stat(binary).catch(() => undefined), stat(join(sysroot, 'lib')).catch(() => undefined)]);
  const file = b && l ? join(workDir, 'tool-versions', toolVersionKey(tool, flag, b, l)) : undefined;
  const kept = file ? parseKeptVersion(await readFile(file, 'utf8').catch(() => '')) : undefined;
  if (kept !== undefined) return kept;
  const r = await execa(binary, [flag], { reject: false });
  const version = String(r.stdout).trim();
  if (file && r.exitCode === 0 && parseKeptVersion(JSON.stringify({ version })) !== undefined) await writeFileByRename(file, `${JSON.stringify({ version })}\n`);
  return version;
}
