export interface PublishExecutorOptions {
  /** owner/name of the repository that holds the releases; default $GITHUB_REPOSITORY, else BTCDecoded/bllvm. */
  repository?: string;
  /** Component whose image the deploy signal names, and whose repository receives it. */
  deployComponent?: string;
  /** Nightly prereleases to keep (older ones are deleted). */
  keepNightlies?: number;
}
