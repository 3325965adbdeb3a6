//! Signatures of the sandbox blvm stack: a toy keyed-hash scheme with the shape of secp256k1
//! (secret key, public key, sign, verify). Not cryptographic; it only has to be deterministic.

mod fault;
mod revision;

pub use revision::REVISION;

fn mix(a: u64, b: u64) -> u64 {
    let mut h = a ^ b.rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15;
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 29)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecretKey(u64);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(u64);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature(u64);

impl SecretKey {
    pub fn from_u64(k: u64) -> SecretKey {
        SecretKey(k | 1)
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey(mix(self.0, 7))
    }

    /// Signs a message digest.
    pub fn sign(&self, msg: u64) -> Signature {
        Signature(mix(self.public_key().0, msg))
    }
}

impl PublicKey {
    pub fn verify(&self, msg: u64, sig: &Signature) -> bool {
        mix(self.0, msg) == sig.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_their_message() {
        let key = SecretKey::from_u64(42);
        let sig = key.sign(1);
        assert!(key.public_key().verify(1, &sig));
        assert!(!key.public_key().verify(2, &sig));
        assert!(!SecretKey::from_u64(100).public_key().verify(1, &sig));
    }
}
