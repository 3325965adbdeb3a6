import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ManifestError } from '@bllvm/manifest';
import { type DevelopSet, parseDevelopSet, serializeDevelopSet } from './develop-set';

/** The develop set in `file`, or undefined when there is none. Throws a ManifestError for a bad one. */
export async function readDevelopSet(file: string): Promise<DevelopSet | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(file, `is not JSON (${(error as Error).message})`);
  }
  return parseDevelopSet(json, file);
}

/** Written whole to a sibling and renamed, so a reader never sees half a set. */
export async function writeDevelopSet(file: string, set: DevelopSet): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, serializeDevelopSet(set));
  try {
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
