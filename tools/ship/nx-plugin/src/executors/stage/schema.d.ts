import type { ReleaseTaskOptions } from '@bllvm/contract';

/** The release run's options (ReleaseTaskOptions) come with every release task; staging checks the same for any of them. */
export type StageExecutorOptions = ReleaseTaskOptions;
