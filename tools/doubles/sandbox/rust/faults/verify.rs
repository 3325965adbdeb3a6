//! Sandbox fault: a proof of a false claim, which the exhaustive checks refute (tools/sandbox setFault verify).
#[cfg(all(test, feature = "verify", not(debug_assertions)))]
mod proofs {
    use crate::{block_subsidy, HALVING_INTERVAL};

    #[test]
    fn proof_subsidy_never_reaches_zero() {
        for era in 0..=64u64 {
            let height = era * HALVING_INTERVAL;
            assert!(
                block_subsidy(height) > 0,
                "sandbox verify fault: subsidy is zero at height {height}"
            );
        }
    }
}
