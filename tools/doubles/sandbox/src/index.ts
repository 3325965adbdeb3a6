/** Public API of the sandbox: a local, offline stand-in for the BTCDecoded GitHub org. */
export { SANDBOX_COMPONENTS, SANDBOX_OWNER, SANDBOX_VERIFY_COMMAND, type SandboxComponent } from './components';
export { SANDBOX_PROFILES, profileFacts, type RepositoryFacts, type SandboxProfileName } from './facts';
export {
  addCommit,
  createSandboxOrg,
  headOf,
  openSandboxOrg,
  setFault,
  type CreateOptions,
  type RealCreateOptions,
  type RealSandboxOrg,
  type RepositoryHistory,
  type SandboxOrg,
} from './org';
export { addRepository, type AddRepositoryOptions } from './real-org';
export {
  REAL_REPOSITORY_NAMES,
  type RealMark,
  type RealRepository,
  type RepositoryKind,
} from './real-profile';
export { LOCKED_SEEDS, cargoLock, type LockedPackage, type RegistryDependency } from './registry-crates';
export { STACK_CRATES, STACK_CRATE_DIRS } from './stack-crates';
export { createGeneratedOrg, type GeneratedOrg, type GeneratedOrgOptions } from './generated-org';
export {
  MAX_GENERATED_COMPONENTS,
  generateStack,
  generatedName,
  generatedRepositoryFiles,
  generatedVersionsToml,
  type GeneratedRepository,
  type GeneratedStack,
} from './generated-stack';
export { prng, prngFraction } from './prng';
