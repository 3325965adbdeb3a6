/**
 * @bllvm/cargo-registry — a local cargo registry for tests, the offline demo and release steps
 * that publish crates: cargo's sparse index and registry web API on 127.0.0.1, state in memory,
 * optionally seeded with the tiny crates of `crates/`.
 */
export { startCargoRegistry, cargoConfigFragment, DEFAULT_REGISTRY_NAME, type CargoRegistry, type CargoRegistryOptions } from './server';
export { RegistryState, type CrateInfo, type VersionInfo } from './state';
export { loadSeedCrates, SEED_DIR, type SeedCrate } from './seed';
export { indexPath, canonicalName, crateNameProblem } from './names';
export { indexLineFor, serializeIndexLine, type IndexLine, type IndexDependency } from './index-line';
export { validatePublishMetadata, type PublishMetadata, type PublishDependency } from './metadata';
export { parsePublishBody, encodePublishBody, DEFAULT_PUBLISH_LIMITS, type PublishLimits } from './publish-body';
export { buildCrate, checkCrateArchive, sha256Hex, type CrateFile } from './crate-archive';
export { RegistryError } from './errors';
export type { LoggedRequest, Operation } from './log';
