//! The rules of a comment: what may be submitted, receipts that can be read aloud, the
//! counts kept for every consultation, and near-duplicate detection on Chinese text.

use std::collections::HashSet;

use rand::Rng;
use sha2::{Digest, Sha256};

use crate::error::{AppError, FieldIssue, Issues};
use crate::t;

pub const MAX_BODY_CHARS: usize = 5000;

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $s),+ } }
            pub fn parse(s: &str) -> Option<Self> { match s { $($s => Some($name::$variant),)+ _ => None } }
        }
    };
}

string_enum!(
    /// Who is commenting.
    Category { Individual = "individual", Company = "company", Organisation = "organisation", Expert = "expert", Other = "other" }
);
string_enum!(
    /// How the comment reached the agency.
    Channel { Online = "online", Letter = "letter", Email = "email", Symposium = "symposium", Hearing = "hearing", Survey = "survey" }
);
string_enum!(
    /// Where a comment stands.
    CommentStatus { Received = "received", Published = "published", Hidden = "hidden", Withdrawn = "withdrawn" }
);
string_enum!(
    /// Why a comment was hidden; shown publicly as counts.
    HiddenReason { Spam = "spam", Abusive = "abusive", PersonalData = "personal_data", OffTopic = "off_topic", Duplicate = "duplicate" }
);

/// Comment text: 1 to 5,000 characters after trimming, no control characters.
pub fn body(raw: &str) -> Result<String, FieldIssue> {
    let s = raw.trim();
    let n = s.chars().count();
    if n == 0 {
        return Err(FieldIssue::new("body", "required", t!("请填写意见内容。", "Write your comment.")));
    }
    if n > MAX_BODY_CHARS {
        return Err(FieldIssue::new(
            "body",
            "too_long",
            t!(
                "意见内容不能超过 {MAX_BODY_CHARS} 字（现为 {n} 字）。",
                "A comment can have at most {MAX_BODY_CHARS} characters (this one has {n})."
            ),
        ));
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(FieldIssue::new(
            "body",
            "invalid_characters",
            t!("意见内容包含不允许的控制字符。", "The comment contains control characters."),
        ));
    }
    Ok(s.replace("\r\n", "\n"))
}

/// An optional public name: at most 50 characters.
pub fn display_name(raw: Option<&str>) -> Result<Option<String>, FieldIssue> {
    let Some(s) = raw.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    if s.chars().count() > 50 || s.chars().any(char::is_control) {
        return Err(FieldIssue::new(
            "display_name",
            "invalid",
            t!("署名不能超过 50 个字符。", "The name can have at most 50 characters."),
        ));
    }
    Ok(Some(s.to_string()))
}

/// An optional private phone number: digits with `+ - ( )` and spaces, 5 to 20 digits.
pub fn phone(raw: Option<&str>) -> Result<Option<String>, FieldIssue> {
    let Some(s) = raw.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    let digits = s.chars().filter(char::is_ascii_digit).count();
    if !(5..=20).contains(&digits) || !s.chars().all(|c| c.is_ascii_digit() || "+-() ".contains(c)) {
        return Err(FieldIssue::new(
            "contact_phone",
            "invalid_phone",
            t!("请输入有效的电话号码。", "Enter a valid phone number."),
        ));
    }
    Ok(Some(s.to_string()))
}

pub fn email(raw: Option<&str>) -> Result<Option<String>, FieldIssue> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => crate::accounts::model::Email::parse("contact_email", s).map(|e| Some(e.as_str().to_string())),
    }
}

/// A comment as submitted, parsed.
#[derive(Clone, Debug)]
pub struct NewComment {
    pub body: String,
    pub category: Category,
    pub display_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
}

impl NewComment {
    pub fn parse(
        body_raw: &str,
        category: Category,
        name: Option<&str>,
        phone_raw: Option<&str>,
        email_raw: Option<&str>,
    ) -> Result<Self, AppError> {
        let mut issues = Issues::default();
        let body = issues.take(body(body_raw));
        let display_name = issues.take(display_name(name));
        let contact_phone = issues.take(phone(phone_raw));
        let contact_email = issues.take(email(email_raw));
        issues.finish()?;
        Ok(NewComment {
            body: body.unwrap_or_default(),
            category,
            display_name: display_name.flatten(),
            contact_phone: contact_phone.flatten(),
            contact_email: contact_email.flatten(),
        })
    }
}

/// Crockford's base32: no I, L, O or U, so it survives being read aloud or copied by hand.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
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

/// HMAC-SHA256 (RFC 2104), for receipt secrets derived from a server key.
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

/// The receipt secret of a comment: derived from the server key and the comment id, so a
/// retried submission gets the same receipt back although only its hash is stored.
pub fn receipt_secret(server_key: &[u8], comment_id: uuid::Uuid) -> String {
    let mac = hmac_sha256(server_key, comment_id.as_bytes());
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

/// Text folded for duplicate detection: same as search folding (width, case, punctuation).
pub fn normalised(text: &str) -> Vec<char> {
    crate::decisions::model::fold(text)
}

/// Pairs of adjacent characters: on Chinese text these carry most of the meaning.
pub fn shingles(text: &str) -> HashSet<u64> {
    let chars = normalised(text);
    let hash = |s: &[char]| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for c in s {
            for b in (*c as u32).to_le_bytes() {
                h ^= b as u64;
                h = h.wrapping_mul(0x100_0000_01b3);
            }
        }
        h
    };
    if chars.len() < 2 {
        return chars.iter().map(|c| hash(std::slice::from_ref(c))).collect();
    }
    chars.windows(2).map(hash).collect()
}

pub fn jaccard(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let inter = a.intersection(b).count() as f64;
    inter / ((a.len() + b.len()) as f64 - inter)
}

/// Comments at least this alike (Jaccard on character pairs) are one duplicate group.
pub const SAME_TEXT: f64 = 0.6;
const BANDS: usize = 16;
const ROWS: usize = 2;

/// MinHash band buckets: two texts whose pairs overlap by 60 % share a bucket with
/// probability above 99.9 %, so only bucket-mates are compared.
pub fn buckets(shingles: &HashSet<u64>) -> Vec<i64> {
    let mut signature = [u64::MAX; BANDS * ROWS];
    for s in shingles {
        for (i, slot) in signature.iter_mut().enumerate() {
            let h = mix(s ^ (0x9e37_79b9_7f4a_7c15u64.wrapping_mul(i as u64 + 1)));
            if h < *slot {
                *slot = h;
            }
        }
    }
    signature
        .chunks(ROWS)
        .enumerate()
        .map(|(band, rows)| {
            let mut h = band as u64;
            for r in rows {
                h = mix(h ^ r);
            }
            h as i64
        })
        .collect()
}

fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// What the maintained counts of a consultation know about one comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts {
    pub status: CommentStatus,
    pub section: Option<String>,
    pub category: Category,
    pub channel: Channel,
    pub day: String,
    pub hidden_reason: Option<HiddenReason>,
}

/// (dimension, key) pairs a comment is counted under. Withdrawn comments count only as withdrawn.
fn counted_under(f: &Facts) -> Vec<(&'static str, String)> {
    let mut out = vec![("status", f.status.as_str().to_string())];
    if f.status == CommentStatus::Withdrawn {
        return out;
    }
    let section = f.section.clone().unwrap_or_else(|| "whole".into());
    out.push(("all", "all".into()));
    out.push(("section", section.clone()));
    out.push(("category", f.category.as_str().into()));
    out.push(("channel", f.channel.as_str().into()));
    out.push(("day", f.day.clone()));
    if f.status == CommentStatus::Published {
        out.push(("published", section));
    }
    if let (CommentStatus::Hidden, Some(r)) = (f.status, f.hidden_reason) {
        out.push(("hidden", r.as_str().into()));
    }
    out
}

/// The changes to the maintained counts when a comment goes from `before` to `after`.
/// A change to one maintained count: (dimension, key, by how much).
pub type Delta = (&'static str, String, i64);

pub fn count_deltas(before: Option<&Facts>, after: Option<&Facts>) -> Vec<Delta> {
    let removed = before.map(counted_under).unwrap_or_default().into_iter().map(|(dim, key)| (dim, key, -1));
    let added = after.map(counted_under).unwrap_or_default().into_iter().map(|(dim, key)| (dim, key, 1));
    merge_deltas(removed.chain(added))
}

/// Sums the deltas of the same count, in first-seen order, dropping those that cancel out.
pub fn merge_deltas(deltas: impl IntoIterator<Item = Delta>) -> Vec<Delta> {
    let mut out: Vec<Delta> = Vec::new();
    for (dim, key, d) in deltas {
        match out.iter_mut().find(|(a, b, _)| *a == dim && *b == key) {
            Some(entry) => entry.2 += d,
            None => out.push((dim, key, d)),
        }
    }
    out.retain(|(_, _, d)| *d != 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies() {
        assert_eq!(body("  建议增加停车位。 ").unwrap(), "建议增加停车位。");
        assert_eq!(body("   ").unwrap_err().code, "required");
        assert_eq!(body(&"字".repeat(5001)).unwrap_err().code, "too_long");
        assert!(body(&"字".repeat(5000)).is_ok());
        assert_eq!(body("a\u{0000}b").unwrap_err().code, "invalid_characters");
        assert_eq!(body("第一行\r\n第二行").unwrap(), "第一行\n第二行");
    }

    #[test]
    fn contacts() {
        assert_eq!(phone(Some(" 138-0013-8000 ")).unwrap().as_deref(), Some("138-0013-8000"));
        assert!(phone(Some("12")).is_err());
        assert!(phone(Some("call me")).is_err());
        assert_eq!(phone(None).unwrap(), None);
        assert!(email(Some("not an email")).is_err());
    }

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
    fn hmac_matches_rfc_4231() {
        let mac = hmac_sha256(&[0x0b; 20], b"Hi There");
        assert_eq!(hex::encode(mac), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    }

    #[test]
    fn receipt_secrets_are_stable_and_distinct() {
        let a = uuid::Uuid::now_v7();
        let b = uuid::Uuid::now_v7();
        let s = receipt_secret(b"key", a);
        assert_eq!(s.len(), 26);
        assert_eq!(s, receipt_secret(b"key", a));
        assert_ne!(s, receipt_secret(b"key", b));
        assert_ne!(s, receipt_secret(b"other key", a));
    }

    #[test]
    fn near_duplicates_of_chinese_text() {
        let base = "建议在小区周边增设养老服务站，方便老年人就近获得助餐、助浴等服务，同时加强专业护理人员配备。";
        let variants = [
            "建议在小区周边增设养老服务站,方便老年人就近获得助餐、助浴等服务。同时加强专业护理人员配备!",
            "建议在小区周边增设养老服务站，方便老人就近获得助餐、助浴等服务，同时加强专业护理人员的配备。",
            "建议在小区周边增设养老服务站，方便老年人就近获得助餐、助浴等服务，同时加强专业护理人员配备。ＯＫ",
        ];
        let different = "公交线路调整后，早高峰班次明显不足，希望增加班次并延长末班车时间。";
        let s = shingles(base);
        for v in variants {
            let j = jaccard(&s, &shingles(v));
            assert!(j >= SAME_TEXT, "{j} for {v}");
            let shared = buckets(&s).iter().zip(buckets(&shingles(v))).any(|(a, b)| *a == b);
            assert!(shared, "variants share a bucket: {v}");
        }
        assert!(jaccard(&s, &shingles(different)) < 0.2);
    }

    #[test]
    fn counts_follow_the_comment() {
        let f = Facts {
            status: CommentStatus::Received,
            section: None,
            category: Category::Individual,
            channel: Channel::Online,
            day: "2026-11-24".into(),
            hidden_reason: None,
        };
        let created = count_deltas(None, Some(&f));
        assert!(created.contains(&("all", "all".into(), 1)));
        assert!(created.contains(&("status", "received".into(), 1)));
        assert!(!created.iter().any(|d| d.0 == "published"));
        let published = Facts { status: CommentStatus::Published, ..f.clone() };
        let d = count_deltas(Some(&f), Some(&published));
        assert_eq!(
            d,
            vec![
                ("status", "received".into(), -1),
                ("status", "published".into(), 1),
                ("published", "whole".into(), 1)
            ]
        );
        let hidden = Facts { status: CommentStatus::Hidden, hidden_reason: Some(HiddenReason::Spam), ..f.clone() };
        let d = count_deltas(Some(&published), Some(&hidden));
        assert!(d.contains(&("hidden", "spam".into(), 1)) && d.contains(&("published", "whole".into(), -1)));
        let withdrawn = Facts { status: CommentStatus::Withdrawn, ..f.clone() };
        let d = count_deltas(Some(&f), Some(&withdrawn));
        assert!(d.contains(&("all", "all".into(), -1)) && d.contains(&("status", "withdrawn".into(), 1)));
    }

    #[test]
    fn enums_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(*c));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(*c));
        }
        assert_eq!(HiddenReason::parse("nope"), None);
    }
}
