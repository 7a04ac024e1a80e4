//! Receipts: what lets a person come back to something they sent without an account — a
//! tracking number that can be read aloud, and a secret derived from a server key. Comments
//! use them today; open-day registrations and catalogue feedback will too.
//!
//! The secret is derived (HMAC of the record's id under a key shared by every node through
//! the database), so a retried request gets the same receipt back although only the
//! secret's SHA-256 is stored.

use rand::Rng;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::digest::sha256_hex;
use crate::entities::server_keys;
use crate::error::AppResult;

/// Crockford's base32: no I, L, O or U, so it survives being read aloud or copied by hand.
pub const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Crockford's check symbols (value mod 37).
const CHECK: &[u8; 37] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";

fn check_symbol(chars: &[u8]) -> Option<u8> {
    let mut value: u64 = 0;
    for c in chars {
        value = value * 32 + CROCKFORD.iter().position(|x| x == c)? as u64;
    }
    Some(CHECK[(value % 37) as usize])
}

/// A tracking number like `WJ-2026-7K3M-9QX5`: year, seven random symbols, one check symbol.
/// Crockford's check (value mod 37) catches every single wrong or swapped symbol; its five
/// extra symbols (`*~$=U`) are awkward to read aloud or type on a phone, so bodies whose check
/// would need one are drawn again (about one in seven).
pub fn tracking_number(year: i32) -> String {
    let mut rng = rand::thread_rng();
    loop {
        let body: Vec<u8> = (0..7).map(|_| CROCKFORD[rng.gen_range(0..32)]).collect();
        let check = check_symbol(&body).unwrap_or(b'*');
        if !CROCKFORD.contains(&check) {
            continue;
        }
        let s = String::from_utf8_lossy(&body);
        return format!("WJ-{year}-{}-{}{}", &s[..4], &s[4..], check as char);
    }
}

/// Reads a tracking number as people type it (lower case, spaces, O for 0, I/L for 1),
/// answering the canonical form when its check symbol is right.
pub fn parse_tracking_number(raw: &str) -> Option<String> {
    let cleaned: String = raw
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "*~$=".contains(*c))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    let rest = cleaned.strip_prefix("WJ")?;
    if rest.len() != 12 {
        return None;
    }
    let (year, code) = rest.split_at(4);
    if !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (body, check) = code.as_bytes().split_at(7);
    if check_symbol(body)? != check[0] {
        return None;
    }
    let body = std::str::from_utf8(body).ok()?;
    Some(format!("WJ-{year}-{}-{}{}", &body[..4], &body[4..], check[0] as char))
}

/// A random one-time code of `groups` groups of five Crockford symbols (25 bits a group),
/// e.g. `7K3M9-QX5AB-…`: read aloud or typed from paper without confusion.
pub fn one_time_code(groups: usize) -> String {
    use rand::RngCore;
    let mut rng = rand::rngs::OsRng;
    (0..groups)
        .map(|_| (0..5).map(|_| CROCKFORD[(rng.next_u32() % 32) as usize] as char).collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as people type it: upper case, without spaces or dashes, O read as 0, I/L as 1.
pub fn normalise_code(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

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

/// What is stored of a secret.
pub fn secret_hash(secret: &str) -> String {
    sha256_hex(secret)
}

/// Does `given` (as the person typed it) match the stored hash? In constant time.
pub fn secret_matches(stored_hash: &str, given: &str) -> bool {
    let given = sha256_hex(given.trim().to_ascii_uppercase());
    let (a, b) = (stored_hash.as_bytes(), given.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The server's key called `name`, created at random the first time any node asks.
pub async fn server_key(db: &impl ConnectionTrait, name: &str) -> AppResult<Vec<u8>> {
    use rand::RngCore;
    let mut fresh = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut fresh);
    let row = server_keys::ActiveModel { name: Set(name.to_string()), value: Set(hex::encode(fresh)) };
    server_keys::Entity::insert(row)
        .on_conflict(OnConflict::column(server_keys::Column::Name).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    let stored = server_keys::Entity::find_by_id(name.to_string())
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("server key {name} missing after insert"))?;
    Ok(hex::decode(stored.value).map_err(anyhow::Error::from)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_numbers_check_themselves() {
        for _ in 0..2000 {
            let t = tracking_number(2026);
            assert_eq!(t.len(), 17, "{t}");
            // Only Crockford's 32 symbols: readable aloud, typeable on a phone keypad.
            assert!(t[8..].chars().all(|c| c == '-' || (CROCKFORD.contains(&(c as u8)))), "{t}");
            assert!(t.starts_with("WJ-2026-"));
            assert_eq!(parse_tracking_number(&t).as_deref(), Some(t.as_str()));
            assert_eq!(parse_tracking_number(&t.to_lowercase().replace('-', " ")).as_deref(), Some(t.as_str()));
            // One wrong symbol is caught.
            let mut wrong: Vec<char> = t.chars().collect();
            wrong[9] = if wrong[9] == '7' { '8' } else { '7' };
            let wrong: String = wrong.into_iter().collect();
            assert_ne!(parse_tracking_number(&wrong).as_deref(), Some(t.as_str()));
        }
        assert_eq!(parse_tracking_number("WJ-2026-0000-0000").as_deref(), Some("WJ-2026-0000-0000"));
        assert_eq!(parse_tracking_number("wj 2026 oooo ooo0").as_deref(), Some("WJ-2026-0000-0000"));
        assert_eq!(parse_tracking_number("nonsense"), None);
    }

    #[test]
    fn one_time_codes() {
        let code = one_time_code(4);
        assert_eq!(code.len(), 23);
        assert_ne!(code, one_time_code(4));
        assert_eq!(normalise_code(&code.to_lowercase().replace('-', " ")), code.replace('-', ""));
        assert_eq!(normalise_code("o1l-i"), "0111");
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
