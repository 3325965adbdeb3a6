export type GraphCheckExecutorOptions = Record<string, never>;
