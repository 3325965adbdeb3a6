// The changelog target takes no option: what it collects follows from the pins and last-release.
export type ChangelogExecutorOptions = Record<string, never>;
