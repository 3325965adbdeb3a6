import { layering } from './layering';
import { nxInternalsInOneFile } from './nx-internals';
import { publicEntryOnly } from './public-entry-only';
import { relativeStaysInside } from './relative-stays-inside';
import { testingEntryFromTestsOnly } from './testing-entry';

export const rules = [relativeStaysInside, publicEntryOnly, testingEntryFromTestsOnly, layering, nxInternalsInOneFile];
