// Everything this orchestrator does to its own git repository, the one that records the pins:
// reading pins at a revision, planning pin moves (plan-moves.ts, the one forward-only rule),
// committing and pushing them, what an event does to the pins, and the `last-release` tag.
export { RepoError } from './errors';
export { FALLBACK_IDENTITY, identityArgs } from './git';
export { type CommitFilesOptions, commitFiles } from './commit-files';
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
  NO_RELEASE_YET,
  type LastRelease,
  type ReleasePoint,
  lastRelease,
  lastReleaseMessage,
  moveLastRelease,
  parseLastReleaseMessage,
  resolveBase,
  sameAsLastRelease,
} from './last-release';
export {
  type CommitPinsOptions,
  type CommitPinsResult,
  type DeriveGraph,
  type PinMove,
  type PinReader,
  type PushTarget,
  commitPinMoves,
  describeMoves,
  movesBody,
  pushOutcome,
} from './move-pins';
export {
  type Ancestry,
  type MoveRequest,
  type PinPlan,
  type PinState,
  type Refusal,
  forwardOnly,
  needsAncestry,
  planPinMoves,
} from './plan-moves';
export { ancestryOf } from './ancestry';
export {
  type AdoptPin,
  type CheckedMove,
  type Crossing,
  type FollowedCrate,
  type RenameDecision,
  type RenameFacts,
  adoptCommand,
  aloneAcross,
  decideRename,
  followOrRefuse,
  renameRefusal,
} from './follow-rename';
export { type ApplyOptions, type ApplyResult, applyEvent, refreshPins } from './apply-event';
export { officialTag, officialTagOf } from './official-tag';
export { type PinReleaseSetOptions, pinReleaseSet } from './release-set';
export { RUN_LOCK_DIR, type RunLockOptions, type RunLockOwner, RunLockedError, withRunLock } from './run-lock';
export { movesMayChangeGraph } from './manifests-moved';
export { type SearchNext, type Verdict, nextProbe, probesBound } from './bisect-search';
export { type PinSet, type PinnedRevision, buildsBound, isolateMoves, movedComponents, pinMovingSteps } from './bisect-steps';
export { pinHistory } from './bisect-history';
export type { TrialOutcome, TrialTask } from './trial-outcome';
export { type ApiDisagreement, type TrialReport, TRIAL_REPORT_MAX_CHARS, apiDisagreement, renderTrialReport } from './trial-report';
