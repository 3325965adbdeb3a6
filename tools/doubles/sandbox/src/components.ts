/**
 * Facts about the six sandbox components. Names, binaries and edges match the real BTCDecoded
 * repositories (REFERENCE.md §1) so that graph checks and artifact staging see what production has.
 */

export type SandboxComponent =
  | 'bllvm-consensus'
  | 'bllvm-protocol'
  | 'bllvm-node'
  | 'bllvm'
  | 'bllvm-sdk'
  | 'governance-app';

/** Topological order: every component comes after everything it depends on. */
export const SANDBOX_COMPONENTS: readonly SandboxComponent[] = Object.freeze([
  'bllvm-consensus',
  'bllvm-protocol',
  'bllvm-node',
  'bllvm',
  'bllvm-sdk',
  'governance-app',
] as const);

export const SANDBOX_OWNER = 'BTCDecoded';

/**
 * Stands in for `cargo kani --features verify ...`: the consensus crate's exhaustive checks are
 * compiled only with the `verify` feature in a release build, the way Kani harnesses are `cfg(kani)`.
 */
export const SANDBOX_VERIFY_COMMAND: readonly string[] = Object.freeze([
  'cargo',
  'test',
  '--release',
  '--features',
  'verify',
]);

export type SandboxFault = 'build' | 'test' | 'verify';

/** Binaries each component's `cargo build --release` must produce (empty for libraries). */
export const SANDBOX_BINARIES: Readonly<Record<SandboxComponent, readonly string[]>> = Object.freeze({
  'bllvm-consensus': [],
  'bllvm-protocol': [],
  'bllvm-node': [],
  bllvm: ['bllvm'],
  'bllvm-sdk': [
    'bllvm-keygen',
    'bllvm-sign',
    'bllvm-verify',
    'bllvm-compose',
    'bllvm-sign-binary',
    'bllvm-verify-binary',
    'bllvm-aggregate-signatures',
  ],
  'governance-app': ['governance-app', 'key-manager', 'test-content-hash', 'test-content-hash-standalone'],
});

/** Feature names of bllvm-node and bllvm: the "base" and "experimental" sets of the real builds. */
export const NODE_FEATURES: readonly string[] = [
  'sysinfo', 'redb', 'nix', 'libc', 'production', 'governance', 'zmq',
  'utxo-commitments', 'ctv', 'dandelion', 'stratum-v2', 'bip158', 'sigop', 'iroh', 'quinn',
];

/** The default feature that enables bllvm-node's direct, optional bllvm-consensus edge. */
export const DIRECT_CONSENSUS_FEATURE = 'consensus';

export function isSandboxComponent(name: string): name is SandboxComponent {
  return (SANDBOX_COMPONENTS as readonly string[]).includes(name);
}
