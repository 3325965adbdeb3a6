import type { ReleaseTaskOptions } from '@bllvm/contract';

export interface PublishExecutorOptions extends ReleaseTaskOptions {
  /** owner/name of the repository that holds the releases; default $GITHUB_REPOSITORY, else BTCDecoded/bllvm. */
  repository?: string;
  /** Component whose image the deploy signal names, and whose repository receives it. */
  deployComponent?: string;
  /** Nightly prereleases to keep (older ones are deleted). */
  keepNightlies?: number;
  /**
   * Repair a release holding wrong or foreign assets (replace the wrong ones, delete the foreign
   * ones, then verify) instead of failing with the list of them; default BLLVM_REPLACE_ASSETS.
   */
  replaceAssets?: boolean;
  /**
   * The whole publish's time limit: no GitHub request starts, and none runs on, after this many
   * minutes from its start, the crates' uploads to the cargo registry not counted. Default
   * BLLVM_PUBLISH_DEADLINE_MINUTES, else publishDeadline's.
   */
  deadlineMinutes?: number;
  /** Only send the deploy signal for the already published release of the tag (nothing staged or uploaded). */
  deployOnly?: boolean;
  /** Push the deploy image to its registry and name that in the deploy signal; default BLLVM_IMAGE_PUSH. */
  imagePush?: boolean;
}
