//! Consensus rules of the sandbox bllvm stack: block subsidy, money range, transaction and
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
            ConsensusError::AmountOutOfRange(v) => {
                write!(f, "amount {v} is outside the money range")
            }
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
        .ok_or(ConsensusError::InsufficientFunds {
            inputs: total_in,
            outputs: total_out,
        })
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
    let allowed = block_subsidy(height)
        .checked_add(fees)
        .ok_or(ConsensusError::Overflow)?;
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

/// A 32-bit short id of serialized data, as logs print it next to the full digest. Computed by
/// the registry crate `leaf`, the one dependency from outside the stack.
pub fn short_id(data: &[u8]) -> u32 {
    leaf::hash(data)
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
            Err(ConsensusError::InsufficientFunds {
                inputs: 1,
                outputs: 2
            })
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

    #[test]
    fn short_id_comes_from_leaf() {
        assert_eq!(short_id(b"bllvm"), leaf::hash(b"bllvm"));
        assert_ne!(short_id(b"bllvm"), short_id(b"bllvn"));
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
                assert_eq!(
                    subsidy, previous,
                    "subsidy changed inside an era at height {height}"
                );
            }
            previous = subsidy;
        }
    }

    #[test]
    fn proof_total_supply_within_max_money() {
        let total: u64 = (0..70)
            .map(|era| block_subsidy(era * HALVING_INTERVAL) * HALVING_INTERVAL)
            .sum();
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
