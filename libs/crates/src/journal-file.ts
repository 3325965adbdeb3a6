/**
 * The upload journal on disk: written whole to a temporary sibling, flushed and renamed over the
 * old one after every state change, so a crash leaves the previous state or the new one, never
 * half a file. One run holds it at a time (a lock beside it), since two runs writing one journal
 * would each lose the other's progress.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import { OrchestratorError } from '@bllvm/manifest';
import { readJsonFile, writeFileWhole } from './json-file';
import { parseJournal, type Journal } from './journal';

/** The journal in `file`, or undefined when there is none yet. Throws ManifestError for a bad one. */
export const readJournal = (file: string): Promise<Journal | undefined> => readJsonFile(file, parseJournal, 'the uploader');

export const writeJournal = (file: string, journal: Journal): Promise<void> => writeFileWhole(file, `${JSON.stringify(journal, null, 2)}\n`);

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
