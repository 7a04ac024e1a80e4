//! Receipts: what lets a person come back to something they sent without an account — a
//! tracking number that can be read aloud (`kernel::codes`), and a secret derived from a server key. Comments
//! use them today; open-day registrations and catalogue feedback will too.
//!
//! The secret is derived (HMAC of the record's id under a key shared by every node through
//! the database), so a retried request gets the same receipt back although only the
//! secret's SHA-256 is stored.

use super::codes::CROCKFORD;
use sea_orm::{ConnectionTrait, EntityTrait};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::digest::sha256_hex;
use crate::entities::server_keys;

/// HMAC-SHA256 (RFC 2104).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// The receipt secret of a record: 26 Crockford symbols (128 bits) derived from the server
/// key and the record's id.
pub fn secret(server_key: &[u8], id: Uuid) -> String {
    let mac = hmac_sha256(server_key, id.as_bytes());
    mac[..16]
        .chunks(5)
        .flat_map(|c| {
            let mut v: u64 = 0;
            for b in c {
                v = (v << 8) | *b as u64;
            }
            let bits = c.len() * 8;
            let symbols = bits.div_ceil(5);
            (0..symbols).rev().map(move |i| CROCKFORD[((v << (symbols * 5 - bits)) >> (i * 5)) as usize & 31] as char)
        })
        .collect()
}

fn signature(key: &[u8], purpose: &str, message: &[u8]) -> String {
    let mut input = Vec::with_capacity(purpose.len() + 1 + message.len());
    input.extend_from_slice(purpose.as_bytes());
    input.push(0);
    input.extend_from_slice(message);
    hex::encode(&hmac_sha256(key, &input)[..16])
}

/// What is stored of a secret.
pub fn secret_hash(secret: &str) -> String {
    sha256_hex(secret)
}

/// Does `given` (as the person typed it) match the stored hash? In constant time.
pub fn secret_matches(stored_hash: &str, given: &str) -> bool {
    super::digest::constant_time_eq(stored_hash, sha256_hex(given.trim().to_ascii_uppercase()))
}

/// The keys receipt secrets are derived with, kept out of the database (a database copy
/// alone must not let anyone derive receipts): the current key for new records, and older
/// ones by id, so that a retry of a record made before a rotation gets its receipt again.
/// Receipts themselves never need a key to be checked (only the secret's hash is stored).
#[derive(Clone, Debug)]
pub struct ReceiptKeys {
    /// (id, key), the current one last.
    keys: Vec<(String, Vec<u8>)>,
}

/// The id under which the key that earlier versions kept in the database is known.
pub const LEGACY_KEY_ID: &str = "db";

impl ReceiptKeys {
    /// Reads `id=hex,id=hex` (as in `WENJI_RECEIPT_KEYS`) or lines of `id hex` (as in the key
    /// file); the last key is the current one. Keys are 32 random bytes in hex.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut keys = Vec::new();
        for entry in spec.split([',', '\n']).map(str::trim).filter(|e| !e.is_empty() && !e.starts_with('#')) {
            let (id, hex_key) = entry
                .split_once(['=', ' '])
                .map(|(i, k)| (i.trim(), k.trim()))
                .ok_or_else(|| format!("{entry:?}: expected id=hex"))?;
            let key = hex::decode(hex_key).map_err(|_| format!("key {id:?} is not hex"))?;
            if id.is_empty()
                || id.len() > 16
                || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            {
                return Err(format!("key id {id:?}: 1 to 16 letters, digits, - or _"));
            }
            if key.len() < 32 {
                return Err(format!("key {id:?} is shorter than 32 bytes"));
            }
            if keys.iter().any(|(other, _)| other == id) {
                return Err(format!("key id {id:?} appears twice"));
            }
            keys.push((id.to_string(), key));
        }
        if keys.is_empty() {
            return Err("no key".into());
        }
        Ok(ReceiptKeys { keys })
    }

    /// A fresh set with one random key.
    pub fn generate(id: &str) -> Self {
        use rand::RngCore;
        let mut key = vec![0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        ReceiptKeys { keys: vec![(id.to_string(), key)] }
    }

    /// The key file's text.
    pub fn to_file(&self) -> String {
        let mut out = String::from(
            "# Receipt keys: id and 32 random bytes in hex; the last is current.\n# Every API node needs this same file (or WENJI_RECEIPT_KEYS). Keep old keys when rotating.\n",
        );
        for (id, key) in &self.keys {
            out.push_str(&format!("{id} {}\n", hex::encode(key)));
        }
        out
    }

    pub fn current_id(&self) -> &str {
        self.keys.last().map(|(id, _)| id.as_str()).unwrap_or_default()
    }

    fn key(&self, id: &str) -> Option<&[u8]> {
        self.keys.iter().find(|(i, _)| i == id).map(|(_, k)| k.as_slice())
    }

    /// The secret of a new record, under the current key.
    pub fn current_secret(&self, record: Uuid) -> String {
        secret(self.keys.last().map(|(_, k)| k.as_slice()).unwrap_or_default(), record)
    }

    /// The secret of a record made under key `id` (`None`: the key earlier versions kept in
    /// the database); `None` when that key is no longer configured.
    pub fn secret_under(&self, id: Option<&str>, record: Uuid) -> Option<String> {
        self.key(id.unwrap_or(LEGACY_KEY_ID)).map(|k| secret(k, record))
    }

    /// A link signature: 32 hex digits (128 bits) of an HMAC under the current key of `purpose`
    /// and `message`, so a link in an e-mail can act without a sign-in (unfollowing a
    /// decision) and cannot be made for anything else.
    pub fn sign(&self, purpose: &str, message: &[u8]) -> String {
        signature(self.keys.last().map(|(_, k)| k.as_slice()).unwrap_or_default(), purpose, message)
    }

    /// Was `token` made by `sign(purpose, message)` under any configured key (older ones too,
    /// so links in e-mails sent before a rotation keep working)? In constant time per key.
    pub fn verify(&self, purpose: &str, message: &[u8], token: &str) -> bool {
        let token = token.trim().to_ascii_lowercase();
        self.keys.iter().any(|(_, k)| super::digest::constant_time_eq(signature(k, purpose, message), &token))
    }

    /// Puts an older key in front (it never becomes the current one).
    pub fn with_older(mut self, id: &str, key: Vec<u8>) -> Self {
        if self.key(id).is_none() {
            self.keys.insert(0, (id.to_string(), key));
        }
        self
    }
}

/// The receipt keys: from `spec` (`WENJI_RECEIPT_KEYS`) when given, else from the key file in
/// the data directory, created on first start. A key that earlier versions kept in the
/// database is carried into the file as an older key, so their receipts' retries still work.
pub async fn load_keys(
    db: &impl ConnectionTrait,
    spec: Option<&str>,
    data_dir: &std::path::Path,
) -> anyhow::Result<ReceiptKeys> {
    if let Some(spec) = spec {
        return ReceiptKeys::parse(spec).map_err(|e| anyhow::anyhow!("WENJI_RECEIPT_KEYS: {e}"));
    }
    let path = data_dir.join("receipt-keys");
    match std::fs::read_to_string(&path) {
        Ok(text) => ReceiptKeys::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut keys = ReceiptKeys::generate("k1");
            if let Some(legacy) = server_keys::Entity::find_by_id("receipt".to_string()).one(db).await? {
                keys = keys.with_older(LEGACY_KEY_ID, hex::decode(legacy.value)?);
            }
            std::fs::create_dir_all(data_dir)?;
            // Written whole beside it, then linked into place: two nodes starting at once on a
            // fresh data directory end up with one file, and the later one reads it.
            let draft = data_dir.join(format!("receipt-keys.{}.new", uuid::Uuid::new_v4().simple()));
            write_private(&draft, &keys.to_file())?;
            let linked = std::fs::hard_link(&draft, &path);
            let _ = std::fs::remove_file(&draft);
            match linked {
                Ok(()) => {
                    tracing::info!(path = %path.display(), "created the receipt key file; every API node needs the same one");
                    Ok(keys)
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let text = std::fs::read_to_string(&path)?;
                    ReceiptKeys::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
                }
                Err(e) => Err(e.into()),
            }
        }
        Err(e) => Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
    }
}

/// Writes a file only its owner can read.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_keys_rotate() {
        let a = "11".repeat(32);
        let b = "22".repeat(32);
        let keys = ReceiptKeys::parse(&format!("k1={a}, k2={b}")).unwrap();
        assert_eq!(keys.current_id(), "k2");
        let id = Uuid::now_v7();
        assert_eq!(keys.current_secret(id), secret(&hex::decode(&b).unwrap(), id));
        assert_eq!(keys.secret_under(Some("k1"), id), Some(secret(&hex::decode(&a).unwrap(), id)));
        assert_eq!(keys.secret_under(Some("k9"), id), None);
        assert_eq!(keys.secret_under(None, id), None, "no legacy key configured");
        let file = ReceiptKeys::parse(&keys.to_file()).unwrap();
        assert_eq!(file.current_secret(id), keys.current_secret(id));
        for bad in ["", "k1", "k1=zz", "k1=1234", &format!("k1={a},k1={b}"), &format!("bad id={a}")] {
            assert!(ReceiptKeys::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        let mac = hmac_sha256(&[0x0b; 20], b"Hi There");
        assert_eq!(hex::encode(mac), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    }

    #[test]
    fn secrets_are_stable_distinct_and_checked() {
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        let s = secret(b"key", a);
        assert_eq!(s.len(), 26);
        assert_eq!(s, secret(b"key", a));
        assert_ne!(s, secret(b"key", b));
        assert_ne!(s, secret(b"other key", a));
        let stored = secret_hash(&s);
        assert!(secret_matches(&stored, &format!(" {} ", s.to_lowercase())));
        assert!(!secret_matches(&stored, &secret(b"key", b)));
        assert!(!secret_matches(&stored, ""));
    }
}

#[cfg(test)]
mod link_signatures {
    use super::ReceiptKeys;

    #[test]
    fn a_signature_verifies_for_its_purpose_and_message_only() {
        let keys = ReceiptKeys::generate("k1");
        let token = keys.sign("unfollow", b"account+decision");
        assert_eq!(token.len(), 32);
        assert!(keys.verify("unfollow", b"account+decision", &token));
        assert!(keys.verify("unfollow", b"account+decision", &format!(" {} ", token.to_uppercase())));
        assert!(!keys.verify("unfollow", b"account+decisioN", &token), "another message");
        assert!(!keys.verify("other", b"account+decision", &token), "another purpose");
        assert!(!keys.verify("unfollow", b"account+decision", &token[..31]));
        assert!(!ReceiptKeys::generate("k2").verify("unfollow", b"account+decision", &token), "another key");
        // After a rotation the older key still verifies what it signed; new links use the new key.
        let rotated = ReceiptKeys::generate("k2").with_older("k1", keys.keys[0].1.clone());
        assert!(rotated.verify("unfollow", b"account+decision", &token));
        assert_ne!(rotated.sign("unfollow", b"account+decision"), token);
    }
}
