export { planVersions, type PlanInput, type PlannedVersion, type PublishedVersion, type RequirementChange, type UsedVersions, type VersionPlan } from './plan-versions';
export { readCrateManifest, tableHeader, type CrateManifest, type RequirementSite } from './cargo-manifest';
export { updateCrateManifest, type ManifestUpdate, type UpdatedManifest } from './update-manifest';
export { editStrings, type StringEdit } from './edit-toml';
export { planVersionsFile, type PlannedVersionsFile } from './versions-file';
export { CRATES_IO_SPARSE_INDEX, sparseIndexVersions } from './sparse-used-versions';
export { VersionPlanError } from './version-plan-error';
export type { Bump } from './semver';
export { openRegistry, RegistryClient, RegistryRequestError, type RegistryClientOptions, type RegistryConfig, type PublishResult } from './registry-client';
export { publishChain, resumePublishChain, type PublishChainOptions, type UploadRegistry } from './publish-chain';
export { checkReleaseCrates, ReleaseCratesError, type ReleaseCrate } from './publish-graph';
export { buildReport, renderReport, type PublishReport, type CrateReport, type CrateOutcome } from './publish-report';
export { nextSteps, judgeIndexEntry, type Step, type Verdict } from './publish-decide';
export { publishMetadata, encodePublishBody, normalizeVersionReq, CRATES_IO_INDEX, type NewCrate, type NewCrateDependency } from './publish-metadata';
export { readCrateArchive, type CrateArchive } from './publish-crate-file';
export { parseIndexFile, indexPath, findVersion, type IndexEntry, type IndexDependency } from './publish-index-line';
export { parseJournal, type Journal, type JournalEntry, type CrateState } from './journal';
export { readJournal } from './journal-file';
export { updateCargoLock, type LockUpdate, type UpdatedLock } from './lock-edit';
export {
  planReleaseCommits, releaseTag, type ChangedFile, type PinnedFile, type PlannedReleaseCommit, type ReleaseCommitPlan, type ReleaseRequest, type ReleaseSource,
} from './release-commits';
export { recordReleaseTags, type MadeTag, type TaggedVersionsFile } from './tagged-versions-file';
export { planDevelop, crateVersions, developUsed, DEVELOP_PRE, type CrateVersion, type DevelopPlan, type DevelopVersion } from './plan-develop';
export {
  DEVELOP_SET_FILE, developCommits, developSetApplies, developSetPath, parseDevelopSet, recordDevelopTags, serializeDevelopSet, type DevelopCrate, type DevelopSet, type DevelopTag, type TaggedDevelopSet,
} from './develop-set';
export { parseDevelopSetText, readDevelopSet, writeDevelopSet } from './develop-set-file';
export {
  yankOrder, yankDecision, runDecision, finished as yankFinished, progress as yankProgress, parseYankJournal, YANK_JOURNAL_SCHEMA,
  type YankJournal, type YankEntry, type YankState, type YankDecision, type RunDecision, type StepState,
} from './yank-plan';
export { readYankJournal, writeYankJournal } from './yank-journal-file';
export { readRustdocApi, apiKey, type PublicApi, type ApiItem, type ApiItemKind } from './api/read-api';
export { readRustdocApiFile } from './api/read-api-file';
export { compareApi, type ApiComparison, type ApiChange, type ApiClassification } from './api/compare-api';
export { bumpNeeded, refuseTooSmallBump } from './api/bump';
export { ApiReadError, RUSTDOC_FORMAT_VERSION, API_LIMITS } from './api/rustdoc-json';
