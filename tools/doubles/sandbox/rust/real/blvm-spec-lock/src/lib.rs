//! Spec lock of the sandbox blvm stack: the consensus specification version the crates above are
//! locked to, and a check that a claimed version matches it.

mod fault;
mod revision;

pub use revision::REVISION;

/// The specification every crate above is written against.
pub const SPEC_VERSION: &str = "blvm-spec 1.0";

/// Whether a claimed specification version is the locked one.
pub fn is_locked(claimed: &str) -> bool {
    claimed == SPEC_VERSION
}

/// A short line naming the locked specification.
pub fn describe() -> String {
    format!("locked to {SPEC_VERSION} (sandbox revision {REVISION})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_locked_version_matches() {
        assert!(is_locked(SPEC_VERSION));
        assert!(!is_locked("blvm-spec 0.9"));
        assert!(describe().contains(SPEC_VERSION));
    }
}
