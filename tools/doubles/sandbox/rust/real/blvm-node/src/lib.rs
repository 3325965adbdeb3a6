//! Node of the sandbox blvm stack: keeps a chain of validated block headers.

mod fault;
mod revision;

pub use blvm_protocol as protocol;
pub use revision::REVISION;

use protocol::{BlockHeader, Network, ProtocolError, Transaction};

pub const USER_AGENT: &str = concat!("/blvm-node:", env!("CARGO_PKG_VERSION"), "/");

/// Subsidy for a height. With the default "consensus" feature the node calls blvm-consensus
/// directly (on by default); without it, through blvm-protocol's re-export.
#[cfg(feature = "consensus")]
pub fn block_reward(height: u64) -> u64 {
    blvm_consensus::block_subsidy(height)
}

#[cfg(not(feature = "consensus"))]
pub fn block_reward(height: u64) -> u64 {
    protocol::consensus::block_subsidy(height)
}

/// The cargo features this build was compiled with.
pub fn enabled_features() -> Vec<&'static str> {
    [
        ("consensus", cfg!(feature = "consensus")),
        ("spec-lock", cfg!(feature = "spec-lock")),
        ("sysinfo", cfg!(feature = "sysinfo")),
        ("redb", cfg!(feature = "redb")),
        ("rocksdb", cfg!(feature = "rocksdb")),
        ("sled", cfg!(feature = "sled")),
        ("heed3", cfg!(feature = "heed3")),
        ("production", cfg!(feature = "production")),
        ("governance", cfg!(feature = "governance")),
        ("zmq", cfg!(feature = "zmq")),
        ("iroh", cfg!(feature = "iroh")),
    ]
    .into_iter()
    .filter_map(|(name, on)| on.then_some(name))
    .collect()
}

/// The specification the node is locked to (optional `spec-lock` feature, off by default).
#[cfg(feature = "spec-lock")]
pub fn spec_version() -> &'static str {
    blvm_spec_lock::SPEC_VERSION
}

/// The node's identity key for signing announced headers (blvm-secp256k1).
pub fn node_key(seed: u64) -> blvm_secp256k1::SecretKey {
    blvm_secp256k1::SecretKey::from_u64(seed)
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

    /// A MuHash commitment to the set of header hashes in the chain (blvm-muhash).
    pub fn chain_commitment(&self) -> u64 {
        let mut set = blvm_muhash::MuHash::new();
        for header in &self.chain {
            set.insert(header.hash());
        }
        set.finish()
    }

    /// Signs the tip header with the node's key.
    pub fn sign_tip(&self, key: &blvm_secp256k1::SecretKey) -> blvm_secp256k1::Signature {
        protocol::sign_header(key, self.tip())
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
    fn commits_to_the_chain_and_signs_the_tip() {
        let mut node = Node::new(Network::Regtest);
        let before = node.chain_commitment();
        node.mine_empty_block().unwrap();
        assert_ne!(node.chain_commitment(), before);
        let key = node_key(3);
        let sig = node.sign_tip(&key);
        assert!(protocol::header_signed_by(
            &key.public_key(),
            node.tip(),
            &sig
        ));
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
        assert!(USER_AGENT.starts_with("/blvm-node:"));
        assert_eq!(
            enabled_features().contains(&"consensus"),
            cfg!(feature = "consensus")
        );
    }
}
