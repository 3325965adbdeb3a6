/**
 * Options the CLI's release commands give every `release` task (the component `stage` executors
 * and the release set's `publish`) as Nx task overrides; each target's schema.json declares them.
 * Without them (a plain `nx run-many -t release`) the release is the official one of versions.toml.
 */
export interface ReleaseTaskOptions {
  /** The release set tag being released (nightly/prerelease); default: the official tag of versions.toml. */
  tag?: string;
  /** Do everything locally and write nothing anywhere. */
  dryRun?: boolean;
  /** Push `last-release` to this git remote after publishing. */
  pushRemote?: string;
  /** Stage dist/release/<tag> and stop: no GitHub request at all (what `bllvm-release rebuild` compares). */
  stageOnly?: boolean;
}
