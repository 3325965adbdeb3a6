import type { ReleaseTaskOptions } from '@bllvm/contract';

/** The release run's options (ReleaseTaskOptions) come with every release task; staging checks the same for any of them. */
export interface StageExecutorOptions extends ReleaseTaskOptions {
  /** Whether the component has a verify target whose record must be present. */
  verify?: boolean;
  /** Whether the component ships an image (dist/<c>/image.json). */
  image?: boolean;
}
