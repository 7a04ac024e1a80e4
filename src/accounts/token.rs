//! Session tokens: 256 random bits handed to the client once, stored only as SHA-256.
//! A fast hash is right here (unlike passwords): the token has full entropy, so there is
//! nothing to brute-force, and every authenticated request looks one up.

use base64::Engine;
use rand::RngCore;

pub const PREFIX: &str = "wjs_";

pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

pub fn hash(token: &str) -> String {
    crate::kernel::digest::sha256_hex(token)
}

/// Cheap shape check, so garbage never reaches the database.
pub fn looks_valid(token: &str) -> bool {
    token.len() == PREFIX.len() + 43
        && token.starts_with(PREFIX)
        && token[PREFIX.len()..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_well_formed_and_hashed() {
        let a = generate();
        let b = generate();
        assert_ne!(a, b);
        assert!(looks_valid(&a));
        assert!(!looks_valid("wjs_short"));
        assert!(!looks_valid(&a.replace(PREFIX, "xxx_")));
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), hash(&b));
    }
}
