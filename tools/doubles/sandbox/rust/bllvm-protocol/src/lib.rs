//! Protocol layer of the sandbox bllvm stack: networks, block headers, transactions and block
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

    /// A checksum of the network's name, computed by the registry crate `mid`.
    pub fn name_checksum(self) -> u32 {
        mid::digest(self.name())
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
    BlockHeader {
        height: 0,
        prev_hash: 0,
        merkle_root: consensus::digest(&network.magic()),
    }
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
            ProtocolError::BadHeight { expected, got } => {
                write!(f, "height {got}, expected {expected}")
            }
            ProtocolError::BadPrevHash => write!(f, "block does not extend the tip"),
            ProtocolError::BadMerkleRoot => {
                write!(f, "merkle root does not match the transactions")
            }
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
        return Err(ProtocolError::BadHeight {
            expected: prev.height + 1,
            got: header.height,
        });
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
        fees = fees
            .checked_add(tx.fee()?)
            .ok_or(ConsensusError::Overflow)?;
    }
    consensus::check_coinbase(header.height, coinbase_value, fees)?;
    Ok(fees)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(prev: &BlockHeader, txs: &[Transaction]) -> BlockHeader {
        let ids: Vec<u64> = txs.iter().map(Transaction::txid).collect();
        BlockHeader {
            height: prev.height + 1,
            prev_hash: prev.hash(),
            merkle_root: merkle_root(&ids),
        }
    }

    #[test]
    fn networks_round_trip() {
        for n in Network::ALL {
            assert_eq!(Network::from_name(n.name()), Some(n));
        }
        assert_eq!(Network::from_name("signet"), None);
        assert_eq!(Network::Mainnet.name_checksum(), mid::digest("mainnet"));
        assert_ne!(
            Network::Mainnet.name_checksum(),
            Network::Testnet.name_checksum()
        );
        assert_ne!(
            genesis(Network::Mainnet).hash(),
            genesis(Network::Regtest).hash()
        );
    }

    #[test]
    fn valid_block_returns_fees() {
        let g = genesis(Network::Regtest);
        let txs = vec![
            Transaction::new(vec![100], vec![90]),
            Transaction::new(vec![5, 5], vec![9]),
        ];
        let header = next(&g, &txs);
        let reward = consensus::block_subsidy(1) + 11;
        assert_eq!(validate_block(&g, &header, &txs, reward), Ok(11));
    }

    #[test]
    fn invalid_blocks_are_rejected() {
        let g = genesis(Network::Regtest);
        let txs = vec![Transaction::new(vec![1], vec![2])];
        let header = next(&g, &txs);
        assert!(matches!(
            validate_block(&g, &header, &txs, 0),
            Err(ProtocolError::Consensus(_))
        ));
        let mut wrong = next(&g, &[]);
        wrong.prev_hash ^= 1;
        assert_eq!(
            validate_block(&g, &wrong, &[], 0),
            Err(ProtocolError::BadPrevHash)
        );
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
