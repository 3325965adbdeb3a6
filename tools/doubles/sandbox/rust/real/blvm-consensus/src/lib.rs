//! Consensus rules of the sandbox blvm stack: block subsidy, money range, transaction and
//! coinbase checks, on top of blvm-primitives and locked to blvm-spec-lock's specification.

mod fault;
mod revision;

pub use blvm_primitives as primitives;
pub use blvm_primitives::{COIN, MAX_MONEY};
pub use revision::REVISION;

use std::fmt;

/// The specification these rules implement.
pub fn spec_version() -> &'static str {
    blvm_spec_lock::SPEC_VERSION
}
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

/// The stack's hash, from blvm-primitives.
pub fn digest(data: &[u8]) -> u64 {
    blvm_primitives::digest(data)
}

/// A 32-bit short id of a text (a script, a rule name), as logs print it. Computed by the
/// registry crate `mid`, which brings `leaf` along.
pub fn short_id(text: &str) -> u32 {
    mid::digest(text)
}

/// Checks a signature over a message with blvm-secp256k1 (only with the non-default
/// `secp256k1` feature, an optional edge).
#[cfg(feature = "secp256k1")]
pub fn check_signature(
    key: &blvm_secp256k1::PublicKey,
    msg: &[u8],
    sig: &blvm_secp256k1::Signature,
) -> bool {
    key.verify(digest(msg), sig)
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
        assert_eq!(digest(b"blvm"), digest(b"blvm"));
        assert_ne!(digest(b"blvm"), digest(b"blvn"));
        assert_ne!(digest(&[]), 0);
    }

    #[test]
    fn short_id_comes_from_mid() {
        assert_eq!(short_id("p2pkh"), mid::digest("p2pkh"));
        assert_ne!(short_id("p2pkh"), short_id("p2sh"));
    }

    #[test]
    fn locked_to_the_spec() {
        assert!(blvm_spec_lock::is_locked(spec_version()));
    }

    #[test]
    fn utxo_set_hash_ignores_order() {
        // blvm-muhash is a dev-dependency only: the tests use it, the library does not.
        let mut a = blvm_muhash::MuHash::new();
        let mut b = blvm_muhash::MuHash::new();
        a.insert(digest(b"x"));
        a.insert(digest(b"y"));
        b.insert(digest(b"y"));
        b.insert(digest(b"x"));
        assert_eq!(a.finish(), b.finish());
    }

    #[cfg(feature = "secp256k1")]
    #[test]
    fn signatures_check() {
        let key = blvm_secp256k1::SecretKey::from_u64(5);
        let sig = key.sign(digest(b"tx"));
        assert!(check_signature(&key.public_key(), b"tx", &sig));
        assert!(!check_signature(&key.public_key(), b"ty", &sig));
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
