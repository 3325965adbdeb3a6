//! Governance app of the sandbox blvm stack: a maintainers' threshold policy approves releases
//! by the content hash of their artifacts.

mod fault;
mod revision;

pub use blvm_sdk as sdk;
pub use revision::REVISION;

use blvm_sdk::{Policy, PublicKey, SdkError, SecretKey, Signature};

pub fn version_line(tool: &str) -> String {
    format!(
        "{tool} {} (sandbox revision {REVISION}, {})",
        env!("CARGO_PKG_VERSION"),
        blvm_sdk::node::USER_AGENT
    )
}

/// A release tag as the app highlights it: painted, through the registry crate `fancy` and its
/// `color` feature.
pub fn highlight(tag: &str) -> String {
    fancy::render(tag)
}

/// Content hash of an artifact as the test-content-hash tools print it.
pub fn content_hash_hex(data: &[u8]) -> String {
    format!("{:016x}", blvm_sdk::content_hash(data))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub tag: String,
    pub content_hash: u64,
}

impl Release {
    pub fn new(tag: &str, artifact: &[u8]) -> Release {
        Release {
            tag: tag.to_string(),
            content_hash: blvm_sdk::content_hash(artifact),
        }
    }

    /// What maintainers sign to approve this release.
    pub fn message(&self) -> Vec<u8> {
        format!("release {} {:016x}", self.tag, self.content_hash).into_bytes()
    }
}

/// Approves a release once the policy's threshold of valid maintainer signatures is met.
pub fn approve(
    policy: &Policy,
    release: &Release,
    sigs: &[(PublicKey, Signature)],
) -> Result<usize, SdkError> {
    policy.aggregate(&release.message(), sigs)
}

/// Maintainer keys from fixed seeds, so the app has something to govern offline.
pub fn demo_maintainers() -> Vec<SecretKey> {
    ["alice", "bob", "carol"]
        .iter()
        .map(|s| SecretKey::from_seed(s))
        .collect()
}

/// Networks a release can be deployed to. On unix blvm-commons depends on blvm-protocol
/// directly (a target-specific edge); elsewhere it reaches the protocol through the SDK.
#[cfg(unix)]
pub fn supported_networks() -> Vec<&'static str> {
    blvm_protocol::Network::ALL
        .iter()
        .map(|n| n.name())
        .collect()
}

#[cfg(not(unix))]
pub fn supported_networks() -> Vec<&'static str> {
    blvm_sdk::node::protocol::Network::ALL
        .iter()
        .map(|n| n.name())
        .collect()
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
        assert_eq!(
            approve(&policy, &release, &[sig(&keys[0]), sig(&keys[1])]),
            Ok(2)
        );
        let other = Release::new("v0.1.0", b"tampered");
        assert!(approve(&policy, &other, &[sig(&keys[0]), sig(&keys[1])]).is_err());
    }

    #[test]
    fn networks_come_from_the_protocol() {
        // blvm-protocol is also a dev-dependency, usable here on every target.
        assert!(supported_networks().contains(&blvm_protocol::Network::Regtest.name()));
    }

    #[test]
    fn tags_are_painted_with_the_color_feature() {
        assert_eq!(highlight("v0.1.0"), "[red]v0.1.0[/red]");
    }

    #[test]
    fn content_hash_is_hex() {
        assert_eq!(content_hash_hex(b"x").len(), 16);
    }
}
