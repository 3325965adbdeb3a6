import { type DevelopSet, parseDevelopSet, serializeDevelopSet } from './develop-set';
import { parseJsonText, readJsonFile, writeFileWhole } from './json-file';

/** The develop set in `file`, or undefined when there is none. Throws a ManifestError for a bad one. */
export const readDevelopSet = (file: string): Promise<DevelopSet | undefined> => readJsonFile(file, parseDevelopSet);

/** The develop set in `text`, as committed at `where` (`<commit>:<path>`). Throws a ManifestError for a bad one. */
export const parseDevelopSetText = (text: string, where: string): DevelopSet => parseJsonText(text, where, parseDevelopSet);

/** Written whole, so a reader never sees half a set. */
export const writeDevelopSet = (file: string, set: DevelopSet): Promise<void> => writeFileWhole(file, serializeDevelopSet(set));
