/**
 * The upload journal on disk: written whole to a temporary sibling, flushed and renamed over the
 * old one after every state change, so a crash leaves the previous state or the new one, never
 * half a file. One run holds it at a time (a lock beside it), since two runs writing one journal
 * would each lose the other's progress.
 */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import { ManifestError, OrchestratorError } from '@bllvm/manifest';
import { parseJournal, type Journal } from './journal';

/** The journal in `file`, or undefined when there is none yet. Throws ManifestError for a bad one. */
export async function readJournal(file: string): Promise<Journal | undefined> {
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
    throw new ManifestError(file, `is not JSON (${(error as Error).message}); it was not written by the uploader, or was edited`);
  }
  return parseJournal(json, file);
}

export async function writeJournal(file: string, journal: Journal): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(journal, null, 2)}\n`);
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

/** Takes the journal for this run; returns the function that gives it back. Throws when another run holds it. */
export async function lockJournal(file: string): Promise<() => Promise<void>> {
  await mkdir(dirname(file), { recursive: true });
  try {
    return await lockfile.lock(file, { realpath: false, lockfilePath: `${file}.lock`, stale: 30_000, update: 10_000 });
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOCKED') throw new OrchestratorError(`${file}: another upload run is using this journal; wait for it to finish`);
    throw error;
  }
}
