//! Primitive types of the sandbox blvm stack: amounts and the one hash every crate above agrees on.

mod fault;
mod revision;

pub use revision::REVISION;

/// Satoshis per bitcoin.
pub const COIN: u64 = 100_000_000;
/// No amount may exceed the 21 million coin supply.
pub const MAX_MONEY: u64 = 21_000_000 * COIN;

/// 64-bit FNV-1a with a splitmix64 finaliser. Not cryptographic: it stands in for double SHA-256
/// so the stack has one hash to agree on without any crates.io dependency.
pub fn digest(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    finalise(h)
}

/// The splitmix64 finaliser, also used to spread a single word.
pub fn finalise(mut h: u64) -> u64 {
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
    fn digest_is_stable_and_spreads() {
        assert_eq!(digest(b"blvm"), digest(b"blvm"));
        assert_ne!(digest(b"blvm"), digest(b"blvn"));
        assert_ne!(digest(&[]), 0);
    }

    #[test]
    fn short_id_comes_from_leaf() {
        assert_eq!(short_id(b"blvm"), leaf::hash(b"blvm"));
        assert_ne!(short_id(b"blvm"), short_id(b"blvn"));
    }

    #[test]
    fn max_money_is_21_million_coins() {
        assert_eq!(MAX_MONEY / COIN, 21_000_000);
    }
}
