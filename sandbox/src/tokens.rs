//! Minting and recognising secrets.
//!
//! Every token is a prefix plus 192 random bits from the OS. The store never
//! keys a map by a token itself: it keys by the token's SHA-256 digest, so a
//! hash-map lookup's timing depends on a digest the caller cannot steer, and
//! the one direct comparison (the API key) is done with `subtle` in constant
//! time.

use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq;

/// Random bytes in every minted token (192 bits; the contract asks for ≥128).
const TOKEN_RANDOM_BYTES: usize = 24;

/// SHA-256 of a token: what the store keeps and looks up.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenDigest([u8; 32]);

impl std::fmt::Debug for TokenDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A digest is not the secret, but a short form is all a reader needs.
        write!(f, "TokenDigest({:02x}{:02x}…)", self.0[0], self.0[1])
    }
}

impl TokenDigest {
    /// The digest of `token`.
    pub fn of(token: &str) -> Self {
        Self(Sha256::digest(token.as_bytes()).into())
    }

    /// The digest's bytes, as the data folder keeps them.
    pub fn to_bytes(self) -> [u8; 32] {
        self.0
    }

    /// The digest the data folder kept.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// Compares two digests in constant time.
    pub fn matches(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

/// `prefix` followed by 192 random bits, hex-encoded.
///
/// # Errors
/// When the OS random source fails; the caller answers `INTERNAL_ERROR`.
pub fn mint(prefix: &str) -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; TOKEN_RANDOM_BYTES];
    getrandom::fill(&mut bytes)?;
    Ok([prefix, &hex(&bytes)].concat())
}

/// `bytes` as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Fingerprint of a request body, to recognise a replay under one idempotency key.
pub fn fingerprint(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_tokens_are_prefixed_long_and_distinct() {
        let a = mint("link_sandbox_").unwrap();
        let b = mint("link_sandbox_").unwrap();
        assert!(a.starts_with("link_sandbox_"));
        assert_eq!(a.len(), "link_sandbox_".len() + 48);
        assert_ne!(a, b);
    }

    #[test]
    fn digests_match_only_the_same_token() {
        assert!(TokenDigest::of("x").matches(&TokenDigest::of("x")));
        assert!(!TokenDigest::of("x").matches(&TokenDigest::of("y")));
    }

    #[test]
    fn digest_debug_does_not_show_the_token() {
        let shown = format!("{:?}", TokenDigest::of("sk_sandbox_secret"));
        assert!(!shown.contains("secret"));
    }
}
