export declare const WORKSPACE_ROOT: string;
export declare function isFresh(outfile: string, root?: string): boolean;
export declare function buildBundle(entry: string, outfile: string, root?: string): unknown;
export declare function loadFresh<T = Record<string, unknown>>(entry: string, outfile: string, root?: string): T;
