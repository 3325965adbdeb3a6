import { layering } from './layering';
import { publicEntryOnly } from './public-entry-only';
import { relativeStaysInside } from './relative-stays-inside';

export const rules = [relativeStaysInside, publicEntryOnly, layering];
