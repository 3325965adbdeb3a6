//! Developer SDK of the sandbox blvm stack: keys, Schnorr signatures, threshold policies and
//! release-binary signing. The group is arithmetic modulo the prime 2^61 - 1, so nothing here is
//! secure; it is real enough that sign and verify only agree when they should.

pub mod cli;
mod fault;
mod revision;

pub use blvm_node as node;
pub use revision::REVISION;

use blvm_node::protocol::consensus::digest;
use std::fmt;

const P: u64 = (1 << 61) - 1;
// Exponents live modulo P - 1 (Fermat), which makes g^s = R * pk^e hold.
const ORDER: u64 = P - 1;
const G: u64 = 3;

fn mul_mod(a: u64, b: u64, m: u64) -> u64 {
    ((u128::from(a) * u128::from(b)) % u128::from(m)) as u64
}

fn pow_mod(base: u64, mut exp: u64) -> u64 {
    let mut base = base % P;
    let mut acc = 1;
    while exp > 0 {
        if exp & 1 == 1 {
            acc = mul_mod(acc, base, P);
        }
        base = mul_mod(base, base, P);
        exp >>= 1;
    }
    acc
}

fn hash_to_scalar(parts: &[&[u8]]) -> u64 {
    let mut buf = Vec::new();
    for part in parts {
        buf.extend_from_slice(&(part.len() as u64).to_le_bytes());
        buf.extend_from_slice(part);
    }
    digest(&buf) % ORDER
}

fn parse_hex(what: &str, text: &str) -> Result<u64, SdkError> {
    if text.len() != 16 {
        return Err(SdkError::BadHex(format!(
            "{what} must be 16 hex digits: {text}"
        )));
    }
    u64::from_str_radix(text, 16)
        .map_err(|_| SdkError::BadHex(format!("{what} is not hex: {text}")))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SdkError {
    BadHex(String),
    BadThreshold { threshold: usize, keys: usize },
    DuplicateKey,
    NotEnoughSignatures { valid: usize, threshold: usize },
}

impl fmt::Display for SdkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::BadHex(msg) => write!(f, "{msg}"),
            SdkError::BadThreshold { threshold, keys } => {
                write!(f, "threshold {threshold} impossible with {keys} keys")
            }
            SdkError::DuplicateKey => write!(f, "a key appears twice"),
            SdkError::NotEnoughSignatures { valid, threshold } => {
                write!(f, "{valid} valid signatures, {threshold} required")
            }
        }
    }
}

impl std::error::Error for SdkError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecretKey(u64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublicKey(u64);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    r: u64,
    s: u64,
}

impl SecretKey {
    /// Deterministic key generation, so sandbox runs are reproducible.
    pub fn from_seed(seed: &str) -> SecretKey {
        let x = hash_to_scalar(&[b"blvm-keygen", seed.as_bytes()]);
        SecretKey(x.max(1))
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey(pow_mod(G, self.0))
    }

    pub fn sign(&self, message: &[u8]) -> Signature {
        let k = hash_to_scalar(&[b"nonce", &self.0.to_le_bytes(), message]);
        let r = pow_mod(G, k);
        let e = hash_to_scalar(&[
            &r.to_le_bytes(),
            &self.public_key().0.to_le_bytes(),
            message,
        ]);
        let s = (u128::from(k) + u128::from(mul_mod(e, self.0, ORDER))) % u128::from(ORDER);
        Signature { r, s: s as u64 }
    }

    pub fn to_hex(&self) -> String {
        format!("{:016x}", self.0)
    }

    pub fn from_hex(text: &str) -> Result<SecretKey, SdkError> {
        parse_hex("secret key", text).map(SecretKey)
    }
}

impl PublicKey {
    pub fn verify(&self, message: &[u8], sig: &Signature) -> bool {
        let e = hash_to_scalar(&[&sig.r.to_le_bytes(), &self.0.to_le_bytes(), message]);
        pow_mod(G, sig.s) == mul_mod(sig.r, pow_mod(self.0, e), P)
    }

    pub fn to_hex(&self) -> String {
        format!("{:016x}", self.0)
    }

    pub fn from_hex(text: &str) -> Result<PublicKey, SdkError> {
        parse_hex("public key", text).map(PublicKey)
    }
}

impl Signature {
    pub fn to_hex(&self) -> String {
        format!("{:016x}{:016x}", self.r, self.s)
    }

    pub fn from_hex(text: &str) -> Result<Signature, SdkError> {
        if text.len() != 32 || !text.is_ascii() {
            return Err(SdkError::BadHex(format!(
                "signature must be 32 hex digits: {text}"
            )));
        }
        Ok(Signature {
            r: parse_hex("signature", &text[..16])?,
            s: parse_hex("signature", &text[16..])?,
        })
    }
}

/// A threshold policy over maintainer keys (what blvm-compose prints).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub threshold: usize,
    pub keys: Vec<PublicKey>,
}

impl Policy {
    pub fn new(threshold: usize, mut keys: Vec<PublicKey>) -> Result<Policy, SdkError> {
        if threshold == 0 || threshold > keys.len() {
            return Err(SdkError::BadThreshold {
                threshold,
                keys: keys.len(),
            });
        }
        keys.sort();
        if keys.windows(2).any(|w| w[0] == w[1]) {
            return Err(SdkError::DuplicateKey);
        }
        Ok(Policy { threshold, keys })
    }

    pub fn id(&self) -> u64 {
        let mut bytes = (self.threshold as u64).to_le_bytes().to_vec();
        for key in &self.keys {
            bytes.extend_from_slice(&key.0.to_le_bytes());
        }
        digest(&bytes)
    }

    pub fn describe(&self) -> String {
        format!(
            "{}-of-{} policy {:016x}",
            self.threshold,
            self.keys.len(),
            self.id()
        )
    }

    /// Counts the policy's keys with a valid signature over message; Ok once the threshold is met.
    pub fn aggregate(
        &self,
        message: &[u8],
        sigs: &[(PublicKey, Signature)],
    ) -> Result<usize, SdkError> {
        let mut signers: Vec<PublicKey> = sigs
            .iter()
            .filter(|(key, sig)| self.keys.contains(key) && key.verify(message, sig))
            .map(|(key, _)| *key)
            .collect();
        signers.sort();
        signers.dedup();
        if signers.len() >= self.threshold {
            Ok(signers.len())
        } else {
            Err(SdkError::NotEnoughSignatures {
                valid: signers.len(),
                threshold: self.threshold,
            })
        }
    }
}

/// Content hash of a release artifact.
pub fn content_hash(data: &[u8]) -> u64 {
    digest(data)
}

fn binary_message(data: &[u8]) -> Vec<u8> {
    format!("blvm-binary {:016x} {}", content_hash(data), data.len()).into_bytes()
}

pub fn sign_binary(key: &SecretKey, data: &[u8]) -> Signature {
    key.sign(&binary_message(data))
}

pub fn verify_binary(key: &PublicKey, data: &[u8], sig: &Signature) -> bool {
    key.verify(&binary_message(data), sig)
}

/// The --version line of the SDK tools, naming the node they were built against.
pub fn version_line(tool: &str) -> String {
    format!(
        "{tool} {} (sandbox revision {REVISION}, {})",
        env!("CARGO_PKG_VERSION"),
        blvm_node::USER_AGENT
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_for_their_key_and_message() {
        let alice = SecretKey::from_seed("alice");
        let bob = SecretKey::from_seed("bob");
        let sig = alice.sign(b"release v0.1.0");
        assert!(alice.public_key().verify(b"release v0.1.0", &sig));
        assert!(!alice.public_key().verify(b"release v0.1.1", &sig));
        assert!(!bob.public_key().verify(b"release v0.1.0", &sig));
    }

    #[test]
    fn hex_round_trips() {
        let key = SecretKey::from_seed("carol");
        let sig = key.sign(b"m");
        assert_eq!(SecretKey::from_hex(&key.to_hex()), Ok(key));
        assert_eq!(
            PublicKey::from_hex(&key.public_key().to_hex()),
            Ok(key.public_key())
        );
        assert_eq!(Signature::from_hex(&sig.to_hex()), Ok(sig));
        assert!(Signature::from_hex("zz").is_err());
    }

    #[test]
    fn policies_need_their_threshold() {
        let keys: Vec<SecretKey> = ["a", "b", "c"]
            .iter()
            .map(|s| SecretKey::from_seed(s))
            .collect();
        let policy = Policy::new(2, keys.iter().map(SecretKey::public_key).collect()).unwrap();
        let one = [(keys[0].public_key(), keys[0].sign(b"x"))];
        assert_eq!(
            policy.aggregate(b"x", &one),
            Err(SdkError::NotEnoughSignatures {
                valid: 1,
                threshold: 2
            })
        );
        let two = [one[0], (keys[2].public_key(), keys[2].sign(b"x")), one[0]];
        assert_eq!(policy.aggregate(b"x", &two), Ok(2));
        assert!(Policy::new(4, policy.keys.clone()).is_err());
        assert_eq!(
            Policy::new(1, vec![policy.keys[0], policy.keys[0]]),
            Err(SdkError::DuplicateKey)
        );
    }

    #[test]
    fn binary_signatures_cover_the_content() {
        let key = SecretKey::from_seed("release");
        let sig = sign_binary(&key, b"\x7fELF...");
        assert!(verify_binary(&key.public_key(), b"\x7fELF...", &sig));
        assert!(!verify_binary(&key.public_key(), b"\x7fELF..!", &sig));
    }
}
