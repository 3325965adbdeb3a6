import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ManifestError } from '@bllvm/manifest';
import { type YankJournal, parseYankJournal } from './yank-plan';

/** The yank journal in `file`, or undefined when there is none. Throws a ManifestError for a bad one. */
export async function readYankJournal(file: string): Promise<YankJournal | undefined> {
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
    throw new ManifestError(file, `is not JSON (${(error as Error).message}); it was not written by \`yank\`, or was edited`);
  }
  return parseYankJournal(json, file);
}

/** Written whole to a sibling and renamed after every change, so a crash leaves the old state or the new one. */
export async function writeYankJournal(file: string, journal: YankJournal): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(journal, null, 2)}\n`);
  try {
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
