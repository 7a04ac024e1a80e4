//! The feedback report as published: its content, the canonical serialisation its hash is
//! over, and the check of the chain of versions. Plain Rust and serde; no entities or HTTP.
//!
//! Anyone can recompute a version's hash: take the canonical text the API serves
//! (`GET /decisions/{id}/feedback-reports/{version}/canonical`) and run `sha256sum` on it.
//! The text is JSON with object keys in byte order, no insignificant whitespace, UTF-8, and
//! includes the previous version's hash, so changing an earlier version breaks every later one.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::kernel::digest::sha256_hex;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub label: Option<String>,
    pub count: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub adopted: u64,
    pub partly_adopted: u64,
    pub not_adopted: u64,
    pub not_applicable: u64,
    /// Comments neither their viewpoint nor they themselves have a disposition for.
    pub undecided: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Comments received (not withdrawn), all channels, hidden ones included.
    pub received: u64,
    /// Hidden by moderation (spam, abuse, personal data, off topic, duplicates).
    pub hidden: u64,
    /// Comments considered: received and not hidden. Dispositions are counted over these.
    pub comments: u64,
    /// Distinct people: an account, else a contact address, else each anonymous comment.
    pub participants: u64,
    /// By channel, category and article: every comment received (as `received`).
    pub by_channel: Vec<Count>,
    pub by_category: Vec<Count>,
    pub by_section: Vec<Count>,
    pub duplicate_groups: u64,
    pub comments_in_groups: u64,
    /// Comments not grouped under any viewpoint.
    pub unassigned: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportViewpoint {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub comments: u64,
    pub disposition: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reply: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportContent {
    pub decision_id: String,
    pub decision_title: String,
    pub agency_name: String,
    pub version: i32,
    /// RFC 3339, UTC.
    pub published_at: String,
    pub previous_hash: Option<String>,
    pub note: Option<String>,
    pub introduction: String,
    pub totals: Totals,
    /// Comments by disposition (a comment's own, else its viewpoint's).
    pub tally: Tally,
    pub viewpoints: Vec<ReportViewpoint>,
}

/// The canonical text of a JSON value: keys in byte order at every level, no whitespace.
pub fn canonical(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The canonical text and its SHA-256 (hex).
pub fn seal(content: &ReportContent) -> (String, String) {
    let value = serde_json::to_value(content).expect("report content serialises");
    let text = canonical(&value);
    let hash = sha256_hex(&text);
    (text, hash)
}

/// One stored version, as the chain check reads it.
pub struct Stored<'a> {
    pub version: i32,
    pub content: &'a str,
    pub hash: &'a str,
}

/// What the check found for one version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub version: i32,
    pub stored_hash: String,
    pub computed_hash: String,
    /// The content hashes to the stored hash.
    pub hash_matches: bool,
    /// The content names the previous version's stored hash (none for the first) and its
    /// own version number, and is in canonical form.
    pub chain_matches: bool,
}

/// Checks every version, in order: each hash over its content, each link to the one before.
pub fn verify(versions: &[Stored<'_>]) -> Vec<Check> {
    let mut previous: Option<&str> = None;
    let mut checks = Vec::with_capacity(versions.len());
    for (i, v) in versions.iter().enumerate() {
        let computed = sha256_hex(v.content);
        let parsed: Option<ReportContent> = serde_json::from_str(v.content).ok();
        let canonical_form =
            serde_json::from_str::<Value>(v.content).map(|j| canonical(&j) == v.content).unwrap_or(false);
        let chain_matches = canonical_form
            && v.version == i as i32 + 1
            && parsed.is_some_and(|p| p.version == v.version && p.previous_hash.as_deref() == previous);
        checks.push(Check {
            version: v.version,
            stored_hash: v.hash.to_string(),
            hash_matches: computed == v.hash,
            computed_hash: computed,
            chain_matches,
        });
        previous = Some(v.hash);
    }
    checks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(version: i32, previous_hash: Option<String>) -> ReportContent {
        ReportContent {
            decision_id: "d".into(),
            decision_title: "示范区停车管理办法".into(),
            agency_name: "区发展改革委".into(),
            version,
            published_at: "2026-12-01T02:00:00Z".into(),
            previous_hash,
            note: None,
            introduction: "共收到意见 3 条。".into(),
            totals: Totals {
                received: 3,
                hidden: 0,
                comments: 3,
                participants: 2,
                by_channel: vec![Count { key: "online".into(), label: None, count: 3 }],
                by_category: vec![],
                by_section: vec![],
                duplicate_groups: 0,
                comments_in_groups: 0,
                unassigned: 0,
            },
            tally: Tally { adopted: 2, not_adopted: 1, ..Default::default() },
            viewpoints: vec![],
        }
    }

    #[test]
    fn canonical_text_sorts_keys_and_has_no_spaces() {
        let v: Value = serde_json::from_str(r#"{"b": [1, {"d": "文", "c": null}], "a": "x\"y"}"#).unwrap();
        assert_eq!(canonical(&v), r#"{"a":"x\"y","b":[1,{"c":null,"d":"文"}]}"#);
    }

    #[test]
    fn a_chain_verifies_and_a_changed_version_breaks_it() {
        let (t1, h1) = seal(&content(1, None));
        let (t2, h2) = seal(&content(2, Some(h1.clone())));
        let good = [Stored { version: 1, content: &t1, hash: &h1 }, Stored { version: 2, content: &t2, hash: &h2 }];
        assert!(verify(&good).iter().all(|c| c.hash_matches && c.chain_matches));

        let edited = t1.replace("\"adopted\":2", "\"adopted\":3");
        let bad = [Stored { version: 1, content: &edited, hash: &h1 }, Stored { version: 2, content: &t2, hash: &h2 }];
        let checks = verify(&bad);
        assert!(!checks[0].hash_matches, "the edited content no longer hashes to its hash");

        // Re-sealing the edited version does not help: the next one names the old hash.
        let rehashed = sha256_hex(&edited);
        let resealed =
            [Stored { version: 1, content: &edited, hash: &rehashed }, Stored { version: 2, content: &t2, hash: &h2 }];
        let checks = verify(&resealed);
        assert!(checks[0].hash_matches && !checks[1].chain_matches);
    }
}
