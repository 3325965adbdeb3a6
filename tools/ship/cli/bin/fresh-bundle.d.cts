export function staleReason(bundle: string, metafile: string, root: string): string | undefined;
export function loadFreshBundle(o: { root: string; project: string; bundle: string; metafile: string; name: string }): unknown;
export const ALSO_INPUTS: string[];
