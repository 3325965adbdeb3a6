// Everything this orchestrator does to its own git repository, the one that records the pins:
// reading pins at a revision, committing and pushing pin moves, and the `last-release` tag.
export { RepoError } from './errors';
export { FALLBACK_IDENTITY, identityArgs } from './git';
export {
  assertCleanWorktree,
  changedFilesSince,
  commitDate,
  headCommit,
  resolveRevision,
  restoreHead,
  showFile,
  uncommittedPins,
} from './repo';
export { pinFilesAt, pinsAt, samePins } from './pins';
export {
  LAST_RELEASE,
  type LastRelease,
  type ReleasePoint,
  lastRelease,
  lastReleaseMessage,
  moveLastRelease,
  parseLastReleaseMessage,
  sameAsLastRelease,
} from './last-release';
export {
  type CommitPinsOptions,
  type CommitPinsResult,
  type PinMove,
  type PinReader,
  type PushTarget,
  commitPinMoves,
  describeMoves,
  movesBody,
  pushOutcome,
} from './move-pins';
export { type PinReleaseSetOptions, officialTag, pinReleaseSet } from './release-set';
export { RUN_LOCK_DIR, type RunLockOptions, type RunLockOwner, RunLockedError, runLockPaths, withRunLock } from './run-lock';
