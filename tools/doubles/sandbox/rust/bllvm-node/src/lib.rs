//! Node of the sandbox bllvm stack: keeps a chain of validated block headers.

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
    if cfg!(feature = "consensus") {
        out.push("consensus");
    }
    if cfg!(feature = "sysinfo") {
        out.push("sysinfo");
    }
    if cfg!(feature = "redb") {
        out.push("redb");
    }
    if cfg!(feature = "nix") {
        out.push("nix");
    }
    if cfg!(feature = "libc") {
        out.push("libc");
    }
    if cfg!(feature = "production") {
        out.push("production");
    }
    if cfg!(feature = "governance") {
        out.push("governance");
    }
    if cfg!(feature = "zmq") {
        out.push("zmq");
    }
    if cfg!(feature = "utxo-commitments") {
        out.push("utxo-commitments");
    }
    if cfg!(feature = "ctv") {
        out.push("ctv");
    }
    if cfg!(feature = "dandelion") {
        out.push("dandelion");
    }
    if cfg!(feature = "stratum-v2") {
        out.push("stratum-v2");
    }
    if cfg!(feature = "bip158") {
        out.push("bip158");
    }
    if cfg!(feature = "sigop") {
        out.push("sigop");
    }
    if cfg!(feature = "iroh") {
        out.push("iroh");
    }
    if cfg!(feature = "quinn") {
        out.push("quinn");
    }
    out
}

#[derive(Debug, Clone)]
pub struct Node {
    network: Network,
    chain: Vec<BlockHeader>,
    fees: u64,
}

impl Node {
    pub fn new(network: Network) -> Self {
        Node {
            network,
            chain: vec![protocol::genesis(network)],
            fees: 0,
        }
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
    pub fn submit_block(
        &mut self,
        txs: &[Transaction],
        coinbase_value: u64,
    ) -> Result<u64, ProtocolError> {
        let prev = *self.tip();
        let ids: Vec<u64> = txs.iter().map(Transaction::txid).collect();
        let header = BlockHeader {
            height: prev.height + 1,
            prev_hash: prev.hash(),
            merkle_root: protocol::merkle_root(&ids),
        };
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
        assert_eq!(
            enabled_features().contains(&"consensus"),
            cfg!(feature = "consensus")
        );
    }
}
