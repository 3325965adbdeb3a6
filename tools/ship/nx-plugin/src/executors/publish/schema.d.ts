import type { ReleaseTaskOptions } from '@bllvm/contract';

export interface PublishExecutorOptions extends ReleaseTaskOptions {
  /** owner/name of the repository that holds the releases; default $GITHUB_REPOSITORY, else BTCDecoded/bllvm. */
  repository?: string;
  /** Component whose image the deploy signal names, and whose repository receives it. */
  deployComponent?: string;
  /** Nightly prereleases to keep (older ones are deleted). */
  keepNightlies?: number;
  /** Replace release assets whose bytes differ instead of failing; default BLLVM_REPLACE_ASSETS. */
  replaceAssets?: boolean;
  /** Push the deploy image to its registry and name that in the deploy signal; default BLLVM_IMAGE_PUSH. */
  imagePush?: boolean;
}
