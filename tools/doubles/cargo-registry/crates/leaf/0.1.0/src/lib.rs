//! A leaf crate: no dependencies. Each version says which it is, so a build shows what resolved.

pub const VERSION: &str = "0.1.0";

/// A small stable hash, so dependents have something to call.
pub fn hash(bytes: &[u8]) -> u32 {
    bytes.iter().fold(17u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(*b)))
}
