import { readJsonFile, writeFileWhole } from './json-file';
import { type YankJournal, parseYankJournal } from './yank-plan';

/** The yank journal in `file`, or undefined when there is none. Throws a ManifestError for a bad one. */
export const readYankJournal = (file: string): Promise<YankJournal | undefined> => readJsonFile(file, parseYankJournal, '`yank`');

/** Written whole after every change, so a crash leaves the old state or the new one. */
export const writeYankJournal = (file: string, journal: YankJournal): Promise<void> => writeFileWhole(file, `${JSON.stringify(journal, null, 2)}\n`);
