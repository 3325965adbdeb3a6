/**
 * The Rust sources of each sandbox crate (everything but the manifest, fault, revision and
 * generated files). Each crate uses its upstream's API, so a broken upstream breaks its compile.
 */
import { DIRECT_CONSENSUS_FEATURE, NODE_FEATURES, type SandboxComponent } from './components';

// String.raw keeps Rust escapes such as "\n" as written.
const rust = String.raw;

/** Source files of a component, keyed by path relative to the crate root. */
export function crateSources(component: SandboxComponent): Record<string, string> {
  return SOURCES[component]();
}

const SOURCES: Record<SandboxComponent, () => Record<string, string>> = {
  'bllvm-consensus': () => ({ 'src/lib.rs': CONSENSUS_LIB }),
  'bllvm-protocol': () => ({ 'src/lib.rs': PROTOCOL_LIB }),
  'bllvm-node': () => ({ 'src/lib.rs': nodeLib() }),
  bllvm: () => ({ 'src/main.rs': BLLVM_MAIN }),
  'bllvm-sdk': () => ({ 'src/lib.rs': SDK_LIB, 'src/cli.rs': SDK_CLI, ...SDK_BINS }),
  'governance-app': () => ({ 'src/lib.rs': GOVERNANCE_LIB, ...GOVERNANCE_BINS }),
};

const CONSENSUS_LIB = rust`//! Consensus rules of the sandbox bllvm stack: block subsidy, money range, transaction and
//! coinbase checks, and the hash every crate above agrees on.

mod fault;
pub mod generated;
mod revision;

pub use revision::REVISION;

use std::fmt;

/// Satoshis per bitcoin.
pub const COIN: u64 = 100_000_000;
/// No amount may exceed the 21 million coin supply.
pub const MAX_MONEY: u64 = 21_000_000 * COIN;
/// Blocks between subsidy halvings.
pub const HALVING_INTERVAL: u64 = 210_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsensusError {
    NoInputs,
    NoOutputs,
    AmountOutOfRange(u64),
    Overflow,
    InsufficientFunds { inputs: u64, outputs: u64 },
    CoinbaseTooLarge { claimed: u64, allowed: u64 },
}

impl fmt::Display for ConsensusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConsensusError::NoInputs => write!(f, "transaction has no inputs"),
            ConsensusError::NoOutputs => write!(f, "transaction has no outputs"),
            ConsensusError::AmountOutOfRange(v) => write!(f, "amount {v} is outside the money range"),
            ConsensusError::Overflow => write!(f, "amount overflow"),
            ConsensusError::InsufficientFunds { inputs, outputs } => {
                write!(f, "outputs {outputs} exceed inputs {inputs}")
            }
            ConsensusError::CoinbaseTooLarge { claimed, allowed } => {
                write!(f, "coinbase claims {claimed}, at most {allowed} allowed")
            }
        }
    }
}

impl std::error::Error for ConsensusError {}

/// Subsidy of the block at height: 50 coins, halved every HALVING_INTERVAL blocks.
pub fn block_subsidy(height: u64) -> u64 {
    let halvings = height / HALVING_INTERVAL;
    // A shift by 64 or more would overflow; like Bitcoin Core, the subsidy is simply zero then.
    if halvings >= 64 {
        0
    } else {
        (50 * COIN) >> halvings
    }
}

pub fn money_range(value: u64) -> bool {
    value <= MAX_MONEY
}

/// Checks a transaction's amounts and returns its fee.
pub fn check_transaction(inputs: &[u64], outputs: &[u64]) -> Result<u64, ConsensusError> {
    if inputs.is_empty() {
        return Err(ConsensusError::NoInputs);
    }
    if outputs.is_empty() {
        return Err(ConsensusError::NoOutputs);
    }
    let total_in = sum_amounts(inputs)?;
    let total_out = sum_amounts(outputs)?;
    total_in
        .checked_sub(total_out)
        .ok_or(ConsensusError::InsufficientFunds { inputs: total_in, outputs: total_out })
}

fn sum_amounts(values: &[u64]) -> Result<u64, ConsensusError> {
    let mut total: u64 = 0;
    for &value in values {
        if !money_range(value) {
            return Err(ConsensusError::AmountOutOfRange(value));
        }
        total = total.checked_add(value).ok_or(ConsensusError::Overflow)?;
        if !money_range(total) {
            return Err(ConsensusError::AmountOutOfRange(total));
        }
    }
    Ok(total)
}

/// A coinbase may claim at most the block subsidy plus the fees of the block's transactions.
pub fn check_coinbase(height: u64, claimed: u64, fees: u64) -> Result<(), ConsensusError> {
    let allowed = block_subsidy(height).checked_add(fees).ok_or(ConsensusError::Overflow)?;
    if claimed > allowed {
        Err(ConsensusError::CoinbaseTooLarge { claimed, allowed })
    } else {
        Ok(())
    }
}

/// 64-bit FNV-1a with a splitmix64 finaliser. Not cryptographic: it stands in for double SHA-256
/// so the stack has one hash to agree on without any crates.io dependency.
pub fn digest(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsidy_halves() {
        assert_eq!(block_subsidy(0), 50 * COIN);
        assert_eq!(block_subsidy(HALVING_INTERVAL - 1), 50 * COIN);
        assert_eq!(block_subsidy(HALVING_INTERVAL), 25 * COIN);
        assert_eq!(block_subsidy(64 * HALVING_INTERVAL), 0);
    }

    #[test]
    fn transaction_fee_and_errors() {
        assert_eq!(check_transaction(&[10, 5], &[12]), Ok(3));
        assert_eq!(check_transaction(&[], &[1]), Err(ConsensusError::NoInputs));
        assert_eq!(check_transaction(&[1], &[]), Err(ConsensusError::NoOutputs));
        assert_eq!(
            check_transaction(&[1], &[2]),
            Err(ConsensusError::InsufficientFunds { inputs: 1, outputs: 2 })
        );
        assert_eq!(
            check_transaction(&[MAX_MONEY + 1], &[1]),
            Err(ConsensusError::AmountOutOfRange(MAX_MONEY + 1))
        );
    }

    #[test]
    fn coinbase_limit() {
        assert!(check_coinbase(0, 50 * COIN + 7, 7).is_ok());
        assert!(check_coinbase(0, 50 * COIN + 8, 7).is_err());
    }

    #[test]
    fn digest_is_stable_and_spreads() {
        assert_eq!(digest(b"bllvm"), digest(b"bllvm"));
        assert_ne!(digest(b"bllvm"), digest(b"bllvn"));
        assert_ne!(digest(&[]), 0);
    }
}

// Exhaustive checks over small domains, standing in for the real crate's Kani proofs. Like
// cfg(kani) harnesses they stay out of ordinary test runs (cargo test --all-features builds in
// debug) and run in the verify command: cargo test --release --features verify.
#[cfg(all(test, feature = "verify", not(debug_assertions)))]
mod proofs {
    use super::*;

    #[test]
    fn proof_subsidy_halves_each_era_and_never_increases() {
        let mut previous = block_subsidy(0);
        for height in 1..=64 * HALVING_INTERVAL {
            let subsidy = block_subsidy(height);
            if height % HALVING_INTERVAL == 0 {
                assert_eq!(subsidy, previous / 2, "no halving at height {height}");
            } else {
                assert_eq!(subsidy, previous, "subsidy changed inside an era at height {height}");
            }
            previous = subsidy;
        }
    }

    #[test]
    fn proof_total_supply_within_max_money() {
        let total: u64 = (0..70).map(|era| block_subsidy(era * HALVING_INTERVAL) * HALVING_INTERVAL).sum();
        assert!(money_range(total), "total supply {total} exceeds MAX_MONEY");
    }

    #[test]
    fn proof_fee_conserves_value() {
        for a in 0..64u64 {
            for b in 0..64u64 {
                for out in 0..160u64 {
                    match check_transaction(&[a, b], &[out]) {
                        Ok(fee) => assert_eq!(fee + out, a + b),
                        Err(ConsensusError::InsufficientFunds { .. }) => assert!(a + b < out),
                        Err(e) => panic!("unexpected error {e} for inputs {a},{b} output {out}"),
                    }
                }
            }
        }
    }

    #[test]
    fn proof_coinbase_allows_exactly_subsidy_plus_fees() {
        for era in 0..70u64 {
            let height = era * HALVING_INTERVAL;
            for fees in 0..256u64 {
                let allowed = block_subsidy(height) + fees;
                assert!(check_coinbase(height, allowed, fees).is_ok());
                assert!(check_coinbase(height, allowed + 1, fees).is_err());
            }
        }
    }
}

#[cfg(all(test, feature = "verify", debug_assertions))]
mod proofs_need_release {
    #[test]
    #[ignore = "the verify proofs run only in release: cargo test --release --features verify"]
    fn proofs_skipped_in_debug() {}
}
`;

const PROTOCOL_LIB = rust`//! Protocol layer of the sandbox bllvm stack: networks, block headers, transactions and block
//! validation on top of bllvm-consensus.

mod fault;
pub mod generated;
mod revision;

pub use bllvm_consensus as consensus;
pub use revision::REVISION;

use consensus::ConsensusError;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Network {
    Mainnet,
    Testnet,
    Regtest,
}

impl Network {
    pub const ALL: [Network; 3] = [Network::Mainnet, Network::Testnet, Network::Regtest];

    pub fn name(self) -> &'static str {
        match self {
            Network::Mainnet => "mainnet",
            Network::Testnet => "testnet",
            Network::Regtest => "regtest",
        }
    }

    pub fn from_name(name: &str) -> Option<Network> {
        Network::ALL.into_iter().find(|n| n.name() == name)
    }

    /// Message start bytes, as in Bitcoin Core.
    pub fn magic(self) -> [u8; 4] {
        match self {
            Network::Mainnet => [0xf9, 0xbe, 0xb4, 0xd9],
            Network::Testnet => [0x0b, 0x11, 0x09, 0x07],
            Network::Regtest => [0xfa, 0xbf, 0xb5, 0xda],
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Network::Mainnet => 8333,
            Network::Testnet => 18333,
            Network::Regtest => 18444,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockHeader {
    pub height: u64,
    pub prev_hash: u64,
    pub merkle_root: u64,
}

impl BlockHeader {
    pub fn encode(&self) -> [u8; 24] {
        let mut out = [0u8; 24];
        out[..8].copy_from_slice(&self.height.to_le_bytes());
        out[8..16].copy_from_slice(&self.prev_hash.to_le_bytes());
        out[16..].copy_from_slice(&self.merkle_root.to_le_bytes());
        out
    }

    pub fn hash(&self) -> u64 {
        consensus::digest(&self.encode())
    }
}

/// Each network's genesis commits to its magic, so the chains never share a block.
pub fn genesis(network: Network) -> BlockHeader {
    BlockHeader { height: 0, prev_hash: 0, merkle_root: consensus::digest(&network.magic()) }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Transaction {
    pub inputs: Vec<u64>,
    pub outputs: Vec<u64>,
}

impl Transaction {
    pub fn new(inputs: Vec<u64>, outputs: Vec<u64>) -> Self {
        Transaction { inputs, outputs }
    }

    pub fn txid(&self) -> u64 {
        let mut bytes = Vec::with_capacity(8 * (2 + self.inputs.len() + self.outputs.len()));
        for list in [&self.inputs, &self.outputs] {
            bytes.extend_from_slice(&(list.len() as u64).to_le_bytes());
            for value in list {
                bytes.extend_from_slice(&value.to_le_bytes());
            }
        }
        consensus::digest(&bytes)
    }

    pub fn fee(&self) -> Result<u64, ConsensusError> {
        consensus::check_transaction(&self.inputs, &self.outputs)
    }
}

/// Pairwise hashing up to one root, pairing the last id of an odd level with itself as Bitcoin does.
pub fn merkle_root(ids: &[u64]) -> u64 {
    if ids.is_empty() {
        return 0;
    }
    let mut level = ids.to_vec();
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| {
                let left = pair[0];
                let right = pair.get(1).copied().unwrap_or(left);
                let mut bytes = [0u8; 16];
                bytes[..8].copy_from_slice(&left.to_le_bytes());
                bytes[8..].copy_from_slice(&right.to_le_bytes());
                consensus::digest(&bytes)
            })
            .collect();
    }
    level[0]
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtocolError {
    Consensus(ConsensusError),
    BadHeight { expected: u64, got: u64 },
    BadPrevHash,
    BadMerkleRoot,
}

impl From<ConsensusError> for ProtocolError {
    fn from(e: ConsensusError) -> Self {
        ProtocolError::Consensus(e)
    }
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProtocolError::Consensus(e) => write!(f, "consensus: {e}"),
            ProtocolError::BadHeight { expected, got } => write!(f, "height {got}, expected {expected}"),
            ProtocolError::BadPrevHash => write!(f, "block does not extend the tip"),
            ProtocolError::BadMerkleRoot => write!(f, "merkle root does not match the transactions"),
        }
    }
}

impl std::error::Error for ProtocolError {}

/// Validates a block on top of prev and returns the fees of its transactions.
pub fn validate_block(
    prev: &BlockHeader,
    header: &BlockHeader,
    txs: &[Transaction],
    coinbase_value: u64,
) -> Result<u64, ProtocolError> {
    if header.height != prev.height + 1 {
        return Err(ProtocolError::BadHeight { expected: prev.height + 1, got: header.height });
    }
    if header.prev_hash != prev.hash() {
        return Err(ProtocolError::BadPrevHash);
    }
    let ids: Vec<u64> = txs.iter().map(Transaction::txid).collect();
    if header.merkle_root != merkle_root(&ids) {
        return Err(ProtocolError::BadMerkleRoot);
    }
    let mut fees: u64 = 0;
    for tx in txs {
        fees = fees.checked_add(tx.fee()?).ok_or(ConsensusError::Overflow)?;
    }
    consensus::check_coinbase(header.height, coinbase_value, fees)?;
    Ok(fees)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(prev: &BlockHeader, txs: &[Transaction]) -> BlockHeader {
        let ids: Vec<u64> = txs.iter().map(Transaction::txid).collect();
        BlockHeader { height: prev.height + 1, prev_hash: prev.hash(), merkle_root: merkle_root(&ids) }
    }

    #[test]
    fn networks_round_trip() {
        for n in Network::ALL {
            assert_eq!(Network::from_name(n.name()), Some(n));
        }
        assert_eq!(Network::from_name("signet"), None);
        assert_ne!(genesis(Network::Mainnet).hash(), genesis(Network::Regtest).hash());
    }

    #[test]
    fn valid_block_returns_fees() {
        let g = genesis(Network::Regtest);
        let txs = vec![Transaction::new(vec![100], vec![90]), Transaction::new(vec![5, 5], vec![9])];
        let header = next(&g, &txs);
        let reward = consensus::block_subsidy(1) + 11;
        assert_eq!(validate_block(&g, &header, &txs, reward), Ok(11));
    }

    #[test]
    fn invalid_blocks_are_rejected() {
        let g = genesis(Network::Regtest);
        let txs = vec![Transaction::new(vec![1], vec![2])];
        let header = next(&g, &txs);
        assert!(matches!(validate_block(&g, &header, &txs, 0), Err(ProtocolError::Consensus(_))));
        let mut wrong = next(&g, &[]);
        wrong.prev_hash ^= 1;
        assert_eq!(validate_block(&g, &wrong, &[], 0), Err(ProtocolError::BadPrevHash));
        let greedy = next(&g, &[]);
        assert!(validate_block(&g, &greedy, &[], consensus::block_subsidy(1) + 1).is_err());
    }

    #[test]
    fn merkle_root_pairs_odd_levels() {
        assert_eq!(merkle_root(&[]), 0);
        assert_eq!(merkle_root(&[7]), 7);
        assert_eq!(merkle_root(&[1, 2, 3]), merkle_root(&[1, 2, 3, 3]));
    }
}
`;

function nodeLib(): string {
  const featureChecks = [DIRECT_CONSENSUS_FEATURE, ...NODE_FEATURES]
    .map((f) => `    if cfg!(feature = "${f}") {\n        out.push("${f}");\n    }\n`)
    .join('');
  return rust`//! Node of the sandbox bllvm stack: keeps a chain of validated block headers.

mod fault;
pub mod generated;
mod revision;

pub use bllvm_protocol as protocol;
pub use revision::REVISION;

use protocol::{BlockHeader, Network, ProtocolError, Transaction};

pub const USER_AGENT: &str = concat!("/bllvm-node:", env!("CARGO_PKG_VERSION"), "/");

/// Subsidy for a height. With the default "consensus" feature the node calls bllvm-consensus
/// directly (the Dec 2025 manifest); without it, through bllvm-protocol's re-export.
#[cfg(feature = "consensus")]
pub fn block_reward(height: u64) -> u64 {
    bllvm_consensus::block_subsidy(height)
}

#[cfg(not(feature = "consensus"))]
pub fn block_reward(height: u64) -> u64 {
    protocol::consensus::block_subsidy(height)
}

/// The cargo features this build was compiled with.
pub fn enabled_features() -> Vec<&'static str> {
    #[allow(unused_mut)]
    let mut out = Vec::new();
${featureChecks}    out
}

#[derive(Debug, Clone)]
pub struct Node {
    network: Network,
    chain: Vec<BlockHeader>,
    fees: u64,
}

impl Node {
    pub fn new(network: Network) -> Self {
        Node { network, chain: vec![protocol::genesis(network)], fees: 0 }
    }

    pub fn network(&self) -> Network {
        self.network
    }

    pub fn tip(&self) -> &BlockHeader {
        self.chain.last().expect("the chain always holds genesis")
    }

    pub fn height(&self) -> u64 {
        self.tip().height
    }

    pub fn total_fees(&self) -> u64 {
        self.fees
    }

    /// Validates a block of txs on top of the tip and appends it; returns the new tip hash.
    pub fn submit_block(&mut self, txs: &[Transaction], coinbase_value: u64) -> Result<u64, ProtocolError> {
        let prev = *self.tip();
        let ids: Vec<u64> = txs.iter().map(Transaction::txid).collect();
        let header = BlockHeader { height: prev.height + 1, prev_hash: prev.hash(), merkle_root: protocol::merkle_root(&ids) };
        let fees = protocol::validate_block(&prev, &header, txs, coinbase_value)?;
        self.fees = self.fees.saturating_add(fees);
        self.chain.push(header);
        Ok(header.hash())
    }

    pub fn mine_empty_block(&mut self) -> Result<u64, ProtocolError> {
        let reward = block_reward(self.height() + 1);
        self.submit_block(&[], reward)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mines_and_links_blocks() {
        let mut node = Node::new(Network::Regtest);
        let first = node.mine_empty_block().unwrap();
        node.mine_empty_block().unwrap();
        assert_eq!(node.height(), 2);
        assert_eq!(node.tip().prev_hash, first);
    }

    #[test]
    fn rejects_overpaying_coinbase_and_keeps_tip() {
        let mut node = Node::new(Network::Regtest);
        let tip = *node.tip();
        assert!(node.submit_block(&[], block_reward(1) + 1).is_err());
        assert_eq!(*node.tip(), tip);
    }

    #[test]
    fn collects_fees() {
        let mut node = Node::new(Network::Mainnet);
        let txs = [Transaction::new(vec![50], vec![40])];
        node.submit_block(&txs, block_reward(1) + 10).unwrap();
        assert_eq!(node.total_fees(), 10);
    }

    #[test]
    fn reports_user_agent_and_features() {
        assert!(USER_AGENT.starts_with("/bllvm-node:"));
        assert_eq!(enabled_features().contains(&"consensus"), cfg!(feature = "consensus"));
    }
}
`;
}

const BLLVM_MAIN = rust`//! bllvm: the node binary of the sandbox stack. Mines a few blocks on a chosen network and
//! reports the tip, which is enough to prove the whole library stack links and runs.

mod fault;
mod generated;
mod revision;

use bllvm_node::protocol::Network;
use bllvm_node::Node;
use std::process::ExitCode;

const USAGE: &str = "usage: bllvm [--network mainnet|testnet|regtest] [--blocks N] | --features | --self-check | --version | --help";

#[derive(Debug, PartialEq)]
enum Failure {
    Usage(String),
    Failed(String),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(msg)) => {
            eprintln!("bllvm: {msg}\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Failed(msg)) => {
            eprintln!("bllvm: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn version() -> String {
    format!("bllvm {} (sandbox revision {}, {})", env!("CARGO_PKG_VERSION"), revision::REVISION, bllvm_node::USER_AGENT)
}

fn run(args: &[String]) -> Result<String, Failure> {
    let mut network = Network::Regtest;
    let mut blocks: u64 = 3;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--version" | "-V" => return Ok(version()),
            "--help" | "-h" => return Ok(USAGE.to_string()),
            "--features" => return Ok(bllvm_node::enabled_features().join(",")),
            "--self-check" => return Ok(format!("generated checksum {:016x}", generated::checksum())),
            "--network" => {
                let name = it.next().ok_or_else(|| Failure::Usage("--network needs a value".into()))?;
                network = Network::from_name(name).ok_or_else(|| Failure::Usage(format!("unknown network {name}")))?;
            }
            "--blocks" => {
                let n = it.next().ok_or_else(|| Failure::Usage("--blocks needs a value".into()))?;
                blocks = n
                    .parse()
                    .ok()
                    .filter(|&b| b <= 100_000)
                    .ok_or_else(|| Failure::Usage(format!("--blocks takes a number up to 100000, not {n}")))?;
            }
            other => return Err(Failure::Usage(format!("unknown argument {other}"))),
        }
    }
    let mut node = Node::new(network);
    for _ in 0..blocks {
        node.mine_empty_block().map_err(|e| Failure::Failed(e.to_string()))?;
    }
    Ok(format!(
        "{}: network={} port={} height={} tip={:016x} next-subsidy={}",
        version(),
        network.name(),
        network.default_port(),
        node.height(),
        node.tip().hash(),
        bllvm_node::block_reward(node.height() + 1)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn version_names_the_binary() {
        assert!(run(&args(&["--version"])).unwrap().starts_with("bllvm 0.1.0"));
    }

    #[test]
    fn mines_requested_blocks() {
        let out = run(&args(&["--network", "testnet", "--blocks", "5"])).unwrap();
        assert!(out.contains("network=testnet"), "{out}");
        assert!(out.contains("height=5"), "{out}");
    }

    #[test]
    fn rejects_bad_arguments() {
        assert!(matches!(run(&args(&["--network", "moon"])), Err(Failure::Usage(_))));
        assert!(matches!(run(&args(&["--blocks", "x"])), Err(Failure::Usage(_))));
        assert!(matches!(run(&args(&["--frobnicate"])), Err(Failure::Usage(_))));
    }
}
`;

const SDK_LIB = rust`//! Developer SDK of the sandbox bllvm stack: keys, Schnorr signatures, threshold policies and
//! release-binary signing. The group is arithmetic modulo the prime 2^61 - 1, so nothing here is
//! secure; it is real enough that sign and verify only agree when they should.

pub mod cli;
mod fault;
pub mod generated;
mod revision;

pub use bllvm_node as node;
pub use revision::REVISION;

use bllvm_node::protocol::consensus::digest;
use std::fmt;

const P: u64 = (1 << 61) - 1;
// Exponents live modulo P - 1 (Fermat), which makes g^s = R * pk^e hold.
const ORDER: u64 = P - 1;
const G: u64 = 3;

fn mul_mod(a: u64, b: u64, m: u64) -> u64 {
    ((u128::from(a) * u128::from(b)) % u128::from(m)) as u64
}

fn pow_mod(base: u64, mut exp: u64) -> u64 {
    let mut base = base % P;
    let mut acc = 1;
    while exp > 0 {
        if exp & 1 == 1 {
            acc = mul_mod(acc, base, P);
        }
        base = mul_mod(base, base, P);
        exp >>= 1;
    }
    acc
}

fn hash_to_scalar(parts: &[&[u8]]) -> u64 {
    let mut buf = Vec::new();
    for part in parts {
        buf.extend_from_slice(&(part.len() as u64).to_le_bytes());
        buf.extend_from_slice(part);
    }
    digest(&buf) % ORDER
}

fn parse_hex(what: &str, text: &str) -> Result<u64, SdkError> {
    if text.len() != 16 {
        return Err(SdkError::BadHex(format!("{what} must be 16 hex digits: {text}")));
    }
    u64::from_str_radix(text, 16).map_err(|_| SdkError::BadHex(format!("{what} is not hex: {text}")))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SdkError {
    BadHex(String),
    BadThreshold { threshold: usize, keys: usize },
    DuplicateKey,
    NotEnoughSignatures { valid: usize, threshold: usize },
}

impl fmt::Display for SdkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::BadHex(msg) => write!(f, "{msg}"),
            SdkError::BadThreshold { threshold, keys } => write!(f, "threshold {threshold} impossible with {keys} keys"),
            SdkError::DuplicateKey => write!(f, "a key appears twice"),
            SdkError::NotEnoughSignatures { valid, threshold } => {
                write!(f, "{valid} valid signatures, {threshold} required")
            }
        }
    }
}

impl std::error::Error for SdkError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecretKey(u64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublicKey(u64);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    r: u64,
    s: u64,
}

impl SecretKey {
    /// Deterministic key generation, so sandbox runs are reproducible.
    pub fn from_seed(seed: &str) -> SecretKey {
        let x = hash_to_scalar(&[b"bllvm-keygen", seed.as_bytes()]);
        SecretKey(x.max(1))
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey(pow_mod(G, self.0))
    }

    pub fn sign(&self, message: &[u8]) -> Signature {
        let k = hash_to_scalar(&[b"nonce", &self.0.to_le_bytes(), message]);
        let r = pow_mod(G, k);
        let e = hash_to_scalar(&[&r.to_le_bytes(), &self.public_key().0.to_le_bytes(), message]);
        let s = (u128::from(k) + u128::from(mul_mod(e, self.0, ORDER))) % u128::from(ORDER);
        Signature { r, s: s as u64 }
    }

    pub fn to_hex(&self) -> String {
        format!("{:016x}", self.0)
    }

    pub fn from_hex(text: &str) -> Result<SecretKey, SdkError> {
        parse_hex("secret key", text).map(SecretKey)
    }
}

impl PublicKey {
    pub fn verify(&self, message: &[u8], sig: &Signature) -> bool {
        let e = hash_to_scalar(&[&sig.r.to_le_bytes(), &self.0.to_le_bytes(), message]);
        pow_mod(G, sig.s) == mul_mod(sig.r, pow_mod(self.0, e), P)
    }

    pub fn to_hex(&self) -> String {
        format!("{:016x}", self.0)
    }

    pub fn from_hex(text: &str) -> Result<PublicKey, SdkError> {
        parse_hex("public key", text).map(PublicKey)
    }
}

impl Signature {
    pub fn to_hex(&self) -> String {
        format!("{:016x}{:016x}", self.r, self.s)
    }

    pub fn from_hex(text: &str) -> Result<Signature, SdkError> {
        if text.len() != 32 || !text.is_ascii() {
            return Err(SdkError::BadHex(format!("signature must be 32 hex digits: {text}")));
        }
        Ok(Signature { r: parse_hex("signature", &text[..16])?, s: parse_hex("signature", &text[16..])? })
    }
}

/// A threshold policy over maintainer keys (what bllvm-compose prints).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub threshold: usize,
    pub keys: Vec<PublicKey>,
}

impl Policy {
    pub fn new(threshold: usize, mut keys: Vec<PublicKey>) -> Result<Policy, SdkError> {
        if threshold == 0 || threshold > keys.len() {
            return Err(SdkError::BadThreshold { threshold, keys: keys.len() });
        }
        keys.sort();
        if keys.windows(2).any(|w| w[0] == w[1]) {
            return Err(SdkError::DuplicateKey);
        }
        Ok(Policy { threshold, keys })
    }

    pub fn id(&self) -> u64 {
        let mut bytes = (self.threshold as u64).to_le_bytes().to_vec();
        for key in &self.keys {
            bytes.extend_from_slice(&key.0.to_le_bytes());
        }
        digest(&bytes)
    }

    pub fn describe(&self) -> String {
        format!("{}-of-{} policy {:016x}", self.threshold, self.keys.len(), self.id())
    }

    /// Counts the policy's keys with a valid signature over message; Ok once the threshold is met.
    pub fn aggregate(&self, message: &[u8], sigs: &[(PublicKey, Signature)]) -> Result<usize, SdkError> {
        let mut signers: Vec<PublicKey> = sigs
            .iter()
            .filter(|(key, sig)| self.keys.contains(key) && key.verify(message, sig))
            .map(|(key, _)| *key)
            .collect();
        signers.sort();
        signers.dedup();
        if signers.len() >= self.threshold {
            Ok(signers.len())
        } else {
            Err(SdkError::NotEnoughSignatures { valid: signers.len(), threshold: self.threshold })
        }
    }
}

/// Content hash of a release artifact.
pub fn content_hash(data: &[u8]) -> u64 {
    digest(data)
}

fn binary_message(data: &[u8]) -> Vec<u8> {
    format!("bllvm-binary {:016x} {}", content_hash(data), data.len()).into_bytes()
}

pub fn sign_binary(key: &SecretKey, data: &[u8]) -> Signature {
    key.sign(&binary_message(data))
}

pub fn verify_binary(key: &PublicKey, data: &[u8], sig: &Signature) -> bool {
    key.verify(&binary_message(data), sig)
}

/// The --version line of the SDK tools, naming the node they were built against.
pub fn version_line(tool: &str) -> String {
    format!("{tool} {} (sandbox revision {REVISION}, {})", env!("CARGO_PKG_VERSION"), bllvm_node::USER_AGENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_for_their_key_and_message() {
        let alice = SecretKey::from_seed("alice");
        let bob = SecretKey::from_seed("bob");
        let sig = alice.sign(b"release v0.1.0");
        assert!(alice.public_key().verify(b"release v0.1.0", &sig));
        assert!(!alice.public_key().verify(b"release v0.1.1", &sig));
        assert!(!bob.public_key().verify(b"release v0.1.0", &sig));
    }

    #[test]
    fn hex_round_trips() {
        let key = SecretKey::from_seed("carol");
        let sig = key.sign(b"m");
        assert_eq!(SecretKey::from_hex(&key.to_hex()), Ok(key));
        assert_eq!(PublicKey::from_hex(&key.public_key().to_hex()), Ok(key.public_key()));
        assert_eq!(Signature::from_hex(&sig.to_hex()), Ok(sig));
        assert!(Signature::from_hex("zz").is_err());
    }

    #[test]
    fn policies_need_their_threshold() {
        let keys: Vec<SecretKey> = ["a", "b", "c"].iter().map(|s| SecretKey::from_seed(s)).collect();
        let policy = Policy::new(2, keys.iter().map(SecretKey::public_key).collect()).unwrap();
        let one = [(keys[0].public_key(), keys[0].sign(b"x"))];
        assert_eq!(policy.aggregate(b"x", &one), Err(SdkError::NotEnoughSignatures { valid: 1, threshold: 2 }));
        let two = [one[0], (keys[2].public_key(), keys[2].sign(b"x")), one[0]];
        assert_eq!(policy.aggregate(b"x", &two), Ok(2));
        assert!(Policy::new(4, policy.keys.clone()).is_err());
        assert_eq!(Policy::new(1, vec![policy.keys[0], policy.keys[0]]), Err(SdkError::DuplicateKey));
    }

    #[test]
    fn binary_signatures_cover_the_content() {
        let key = SecretKey::from_seed("release");
        let sig = sign_binary(&key, b"\x7fELF...");
        assert!(verify_binary(&key.public_key(), b"\x7fELF...", &sig));
        assert!(!verify_binary(&key.public_key(), b"\x7fELF..!", &sig));
    }
}
`;

const SDK_CLI = rust`//! Shared argument handling for the binaries of the SDK and of crates built on it.

use std::process::ExitCode;

#[derive(Debug, PartialEq, Eq)]
pub enum CliError {
    /// Bad arguments: exit code 2, with the usage line.
    Usage(String),
    /// The command ran and failed (e.g. an invalid signature): exit code 1.
    Failed(String),
}

/// Runs a tool: answers --version and --help itself, then calls run with the arguments.
pub fn main_with(name: &str, version: &str, usage: &str, run: fn(&[String]) -> Result<String, CliError>) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--version") | Some("-V") => {
            println!("{version}");
            return ExitCode::SUCCESS;
        }
        Some("--help") | Some("-h") => {
            println!("usage: {name} {usage}");
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    match run(&args) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(CliError::Usage(msg)) => {
            eprintln!("{name}: {msg}\nusage: {name} {usage}");
            ExitCode::from(2)
        }
        Err(CliError::Failed(msg)) => {
            eprintln!("{name}: {msg}");
            ExitCode::FAILURE
        }
    }
}

/// The exact positional arguments, or a usage error.
pub fn expect_args<'a, const N: usize>(args: &'a [String]) -> Result<[&'a str; N], CliError> {
    if args.len() != N {
        return Err(CliError::Usage(format!("expected {N} argument(s), got {}", args.len())));
    }
    Ok(std::array::from_fn(|i| args[i].as_str()))
}

pub fn usage_err<E: std::fmt::Display>(e: E) -> CliError {
    CliError::Usage(e.to_string())
}

pub fn read_file(path: &str) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|e| CliError::Failed(format!("cannot read {path}: {e}")))
}
`;

/** A thin SDK binary: a usage line and a body over the library. */
function sdkBin(name: string, usage: string, body: string): string {
  return rust`//! ${name}: see the usage line; the logic lives in the bllvm-sdk library.

use bllvm_sdk::cli::{self, CliError};
#[allow(unused_imports)]
use bllvm_sdk::{Policy, PublicKey, SecretKey, Signature};
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main_with("${name}", &bllvm_sdk::version_line("${name}"), "${usage}", run)
}

fn run(args: &[String]) -> Result<String, CliError> {
${body}
}
`;
}

const SDK_BINS: Record<string, string> = {
  'src/bin/bllvm-keygen.rs': sdkBin(
    'bllvm-keygen',
    '<seed>',
    rust`    let [seed] = cli::expect_args(args)?;
    let key = SecretKey::from_seed(seed);
    Ok(format!("secret {}\npublic {}", key.to_hex(), key.public_key().to_hex()))`,
  ),
  'src/bin/bllvm-sign.rs': sdkBin(
    'bllvm-sign',
    '<secret-hex> <message>',
    rust`    let [secret, message] = cli::expect_args(args)?;
    let key = SecretKey::from_hex(secret).map_err(cli::usage_err)?;
    Ok(key.sign(message.as_bytes()).to_hex())`,
  ),
  'src/bin/bllvm-verify.rs': sdkBin(
    'bllvm-verify',
    '<public-hex> <message> <signature-hex>',
    rust`    let [public, message, sig] = cli::expect_args(args)?;
    let key = PublicKey::from_hex(public).map_err(cli::usage_err)?;
    let sig = Signature::from_hex(sig).map_err(cli::usage_err)?;
    if key.verify(message.as_bytes(), &sig) {
        Ok("valid".into())
    } else {
        Err(CliError::Failed("invalid signature".into()))
    }`,
  ),
  'src/bin/bllvm-compose.rs': sdkBin(
    'bllvm-compose',
    '<threshold> <public-hex>...',
    rust`    let (threshold, keys) = args.split_first().ok_or_else(|| CliError::Usage("missing threshold".into()))?;
    let threshold: usize = threshold.parse().map_err(|_| CliError::Usage(format!("bad threshold {threshold}")))?;
    let keys = keys.iter().map(|k| PublicKey::from_hex(k)).collect::<Result<Vec<_>, _>>().map_err(cli::usage_err)?;
    Ok(Policy::new(threshold, keys).map_err(cli::usage_err)?.describe())`,
  ),
  'src/bin/bllvm-sign-binary.rs': sdkBin(
    'bllvm-sign-binary',
    '<secret-hex> <file>',
    rust`    let [secret, path] = cli::expect_args(args)?;
    let key = SecretKey::from_hex(secret).map_err(cli::usage_err)?;
    let data = cli::read_file(path)?;
    Ok(format!("{}  {path}", bllvm_sdk::sign_binary(&key, &data).to_hex()))`,
  ),
  'src/bin/bllvm-verify-binary.rs': sdkBin(
    'bllvm-verify-binary',
    '<public-hex> <file> <signature-hex>',
    rust`    let [public, path, sig] = cli::expect_args(args)?;
    let key = PublicKey::from_hex(public).map_err(cli::usage_err)?;
    let sig = Signature::from_hex(sig).map_err(cli::usage_err)?;
    let data = cli::read_file(path)?;
    if bllvm_sdk::verify_binary(&key, &data, &sig) {
        Ok(format!("{path}: valid"))
    } else {
        Err(CliError::Failed(format!("{path}: invalid signature")))
    }`,
  ),
  'src/bin/bllvm-aggregate-signatures.rs': sdkBin(
    'bllvm-aggregate-signatures',
    '<threshold> <message> <public-hex>:<signature-hex>...',
    rust`    if args.len() < 2 {
        return Err(CliError::Usage("expected a threshold and a message".into()));
    }
    let threshold: usize = args[0].parse().map_err(|_| CliError::Usage(format!("bad threshold {}", args[0])))?;
    let mut pairs = Vec::new();
    for item in &args[2..] {
        let (key, sig) = item.split_once(':').ok_or_else(|| CliError::Usage(format!("expected key:signature, got {item}")))?;
        pairs.push((PublicKey::from_hex(key).map_err(cli::usage_err)?, Signature::from_hex(sig).map_err(cli::usage_err)?));
    }
    let policy = Policy::new(threshold, pairs.iter().map(|(k, _)| *k).collect()).map_err(cli::usage_err)?;
    match policy.aggregate(args[1].as_bytes(), &pairs) {
        Ok(valid) => Ok(format!("{valid} valid signatures, {threshold} required: approved")),
        Err(e) => Err(CliError::Failed(e.to_string())),
    }`,
  ),
};

const GOVERNANCE_LIB = rust`//! Governance app of the sandbox bllvm stack: a maintainers' threshold policy approves releases
//! by the content hash of their artifacts.

mod fault;
pub mod generated;
mod revision;

pub use bllvm_sdk as sdk;
pub use revision::REVISION;

use bllvm_sdk::{Policy, PublicKey, SdkError, SecretKey, Signature};

pub fn version_line(tool: &str) -> String {
    format!("{tool} {} (sandbox revision {REVISION}, {})", env!("CARGO_PKG_VERSION"), bllvm_sdk::node::USER_AGENT)
}

/// Content hash of an artifact as the test-content-hash tools print it.
pub fn content_hash_hex(data: &[u8]) -> String {
    format!("{:016x}", bllvm_sdk::content_hash(data))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub tag: String,
    pub content_hash: u64,
}

impl Release {
    pub fn new(tag: &str, artifact: &[u8]) -> Release {
        Release { tag: tag.to_string(), content_hash: bllvm_sdk::content_hash(artifact) }
    }

    /// What maintainers sign to approve this release.
    pub fn message(&self) -> Vec<u8> {
        format!("release {} {:016x}", self.tag, self.content_hash).into_bytes()
    }
}

/// Approves a release once the policy's threshold of valid maintainer signatures is met.
pub fn approve(policy: &Policy, release: &Release, sigs: &[(PublicKey, Signature)]) -> Result<usize, SdkError> {
    policy.aggregate(&release.message(), sigs)
}

/// Maintainer keys from fixed seeds, so the app has something to govern offline.
pub fn demo_maintainers() -> Vec<SecretKey> {
    ["alice", "bob", "carol"].iter().map(|s| SecretKey::from_seed(s)).collect()
}

/// Networks a release can be deployed to. On unix governance-app depends on bllvm-protocol
/// directly (a target-specific edge); elsewhere it reaches the protocol through the SDK.
#[cfg(unix)]
pub fn supported_networks() -> Vec<&'static str> {
    bllvm_protocol::Network::ALL.iter().map(|n| n.name()).collect()
}

#[cfg(not(unix))]
pub fn supported_networks() -> Vec<&'static str> {
    bllvm_sdk::node::protocol::Network::ALL.iter().map(|n| n.name()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_need_two_of_three() {
        let keys = demo_maintainers();
        let policy = Policy::new(2, keys.iter().map(SecretKey::public_key).collect()).unwrap();
        let release = Release::new("v0.1.0", b"binary");
        let sig = |k: &SecretKey| (k.public_key(), k.sign(&release.message()));
        assert!(approve(&policy, &release, &[sig(&keys[0])]).is_err());
        assert_eq!(approve(&policy, &release, &[sig(&keys[0]), sig(&keys[1])]), Ok(2));
        let other = Release::new("v0.1.0", b"tampered");
        assert!(approve(&policy, &other, &[sig(&keys[0]), sig(&keys[1])]).is_err());
    }

    #[test]
    fn networks_come_from_the_protocol() {
        // bllvm-protocol is also a dev-dependency, usable here on every target.
        assert!(supported_networks().contains(&bllvm_protocol::Network::Regtest.name()));
    }

    #[test]
    fn content_hash_is_hex() {
        assert_eq!(content_hash_hex(b"x").len(), 16);
    }
}
`;

/** A governance-app binary over the library, sharing the SDK's argument handling. */
function governanceBin(name: string, usage: string, body: string, extra = ''): string {
  return rust`//! ${name}: see the usage line.

use bllvm_sdk::cli::{self, CliError};
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main_with("${name}", &governance_app::version_line("${name}"), "${usage}", run)
}

fn run(args: &[String]) -> Result<String, CliError> {
${body}
}
${extra}`;
}

const GOVERNANCE_BINS: Record<string, string> = {
  'src/bin/governance-app.rs': governanceBin(
    'governance-app',
    '[status]',
    rust`    use bllvm_sdk::{Policy, SecretKey};
    use governance_app::{approve, demo_maintainers, supported_networks, Release};
    if !(args.is_empty() || args == ["status"]) {
        return Err(CliError::Usage(format!("unknown arguments {args:?}")));
    }
    let keys = demo_maintainers();
    let policy = Policy::new(2, keys.iter().map(SecretKey::public_key).collect()).map_err(|e| CliError::Failed(e.to_string()))?;
    let release = Release::new("v0.1.0", governance_app::version_line("governance-app").as_bytes());
    let sigs: Vec<_> = keys[..2].iter().map(|k| (k.public_key(), k.sign(&release.message()))).collect();
    let approved = approve(&policy, &release, &sigs).map_err(|e| CliError::Failed(e.to_string()))?;
    Ok(format!(
        "{}: maintainers {}; networks {}; demo release {} approved by {approved}",
        governance_app::version_line("governance-app"),
        policy.describe(),
        supported_networks().join(","),
        release.tag
    ))`,
  ),
  'src/bin/key-manager.rs': governanceBin(
    'key-manager',
    'generate <seed> | public <secret-hex>',
    rust`    use bllvm_sdk::SecretKey;
    match args {
        [cmd, seed] if cmd == "generate" => {
            let key = SecretKey::from_seed(seed);
            Ok(format!("secret {}\npublic {}", key.to_hex(), key.public_key().to_hex()))
        }
        [cmd, secret] if cmd == "public" => Ok(SecretKey::from_hex(secret).map_err(cli::usage_err)?.public_key().to_hex()),
        _ => Err(CliError::Usage("expected generate <seed> or public <secret-hex>".into())),
    }`,
  ),
  'src/bin/test-content-hash.rs': governanceBin(
    'test-content-hash',
    '<file>...',
    rust`    if args.is_empty() {
        return Err(CliError::Usage("expected at least one file".into()));
    }
    let mut lines = Vec::new();
    for path in args {
        lines.push(format!("{}  {path}", governance_app::content_hash_hex(&cli::read_file(path)?)));
    }
    Ok(lines.join("\n"))`,
  ),
  'src/bin/test-content-hash-standalone.rs': governanceBin(
    'test-content-hash-standalone',
    '<file>...',
    rust`    if args.is_empty() {
        return Err(CliError::Usage("expected at least one file".into()));
    }
    let mut lines = Vec::new();
    for path in args {
        lines.push(format!("{:016x}  {path}", standalone_hash(&cli::read_file(path)?)));
    }
    Ok(lines.join("\n"))`,
    rust`
/// An independent copy of the stack's hash, to cross-check the library's answer.
fn standalone_hash(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

#[cfg(test)]
mod tests {
    #[test]
    fn agrees_with_the_library() {
        for data in [&b""[..], b"a", b"governance-app"] {
            assert_eq!(format!("{:016x}", super::standalone_hash(data)), governance_app::content_hash_hex(data));
        }
    }
}
`,
  ),
};
