/**
 * The state files of crate releases (upload and yank journals, the develop set) on disk: read and
 * checked by their own parser, or undefined when there is none yet; written whole to a sibling,
 * flushed and renamed, so a crash leaves the previous state or the new one, never half a file.
 */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ManifestError } from '@bllvm/manifest';

/** `parse` of the JSON in `file`; undefined when the file does not exist. `origin` names what writes it, for the error. */
export async function readJsonFile<T>(file: string, parse: (json: unknown, file: string) => T, origin?: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseJsonText(text, file, parse, origin);
}

/** `parse` of the JSON `text` read from `file` (a path, or `<commit>:<path>` for a committed one). */
export function parseJsonText<T>(text: string, file: string, parse: (json: unknown, file: string) => T, origin?: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(file, `is not JSON (${(error as Error).message})${origin ? `; it was not written by ${origin}, or was edited` : ''}`);
  }
  return parse(json, file);
}

export async function writeFileWhole(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
