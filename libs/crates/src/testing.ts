// Test-only helpers (not exported from index.ts): real `.crate` files packaged by cargo, and a proxy
// in front of the local registry that misbehaves on request, for the tests of whoever uploads crates.
export { startFaultProxy, type FaultProxy, type ProxiedRequest } from './test/registry-faults';
export { cargoEnv, cargoHomeFor, packageWorkspace, type PackagedCrate, type TinyCrate } from './test/cargo-packages';
