//! The rules of a comment: its vocabularies, what may be submitted, the counts kept for
//! every consultation, and near-duplicate detection on Chinese text.

use std::collections::HashSet;

use crate::error::{AppError, FieldIssue, Issues};
use crate::t;

pub const MAX_BODY_CHARS: usize = 5000;

crate::vocabulary! {
    /// Who is commenting.
    pub enum Category {
        /// 个人
        Individual = "individual",
        /// 企业
        Company = "company",
        /// 社会组织
        Organisation = "organisation",
        /// 专家
        Expert = "expert",
        /// 其他
        Other = "other",
    }
}

crate::vocabulary! {
    /// How the comment reached the agency.
    pub enum Channel {
        /// 网上提交
        Online = "online",
        /// 信函
        Letter = "letter",
        /// 电子邮件
        Email = "email",
        /// 座谈会
        Symposium = "symposium",
        /// 听证会
        Hearing = "hearing",
        /// 问卷调查
        Survey = "survey",
    }
}

crate::vocabulary! {
    /// Where a comment stands.
    pub enum CommentStatus {
        /// Waiting for moderation (pre-moderated consultations).
        Received = "received",
        Published = "published",
        /// Hidden by moderation; the reason is public.
        Hidden = "hidden",
        Withdrawn = "withdrawn",
    }
}

crate::vocabulary! {
    /// Why a comment was hidden; shown publicly as counts.
    pub enum HiddenReason {
        /// 广告或无关推广
        Spam = "spam",
        /// 辱骂、攻击
        Abusive = "abusive",
        /// 含个人信息
        PersonalData = "personal_data",
        /// 与本事项无关
        OffTopic = "off_topic",
        /// 重复提交
        Duplicate = "duplicate",
    }
}

crate::vocabulary! {
    /// What moderation does to the chosen comments.
    pub enum ModerationAction {
        Publish = "publish",
        Hide = "hide",
    }
}

crate::vocabulary! {
    /// The order of a list of comments.
    pub enum CommentOrder {
        Newest = "newest",
        Oldest = "oldest",
    }
}

/// Which comments of a consultation the staff inbox shows (and bulk moderation and exports
/// act on).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InboxFilter {
    pub status: Option<CommentStatus>,
    pub section_id: Option<uuid::Uuid>,
    pub category: Option<Category>,
    pub channel: Option<Channel>,
    pub duplicate_group_id: Option<uuid::Uuid>,
    /// Text the comment contains.
    pub text: Option<String>,
    /// Comments grouped under this viewpoint (adoption feedback).
    pub viewpoint_id: Option<uuid::Uuid>,
    /// Only comments under no viewpoint yet.
    pub unassigned: bool,
}

/// Comment text: 1 to 5,000 characters after trimming, no control characters.
pub fn body(raw: &str) -> Result<String, FieldIssue> {
    let visible = crate::kernel::text::without_invisible(raw);
    let s = visible.trim();
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
    let visible = raw.map(crate::kernel::text::without_invisible);
    let Some(s) = visible.as_deref().map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
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
    // At most 40 characters, the width it is stored in.
    if !(5..=20).contains(&digits) || s.len() > 40 || !s.chars().all(|c| c.is_ascii_digit() || "+-() ".contains(c)) {
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
        Some(s) => crate::kernel::fields::Email::parse("contact_email", s).map(|e| Some(e.as_str().to_string())),
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

/// Why staff accept an offline comment whose date falls outside the consultation window
/// (a symposium held before it opened, a letter posted in time that arrived late): 1 to 500
/// characters, kept in the audit log.
pub fn window_exception(raw: Option<&str>) -> Result<Option<String>, FieldIssue> {
    let visible = raw.map(crate::kernel::text::without_invisible);
    let Some(s) = visible.as_deref().map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    if s.chars().count() > 500 || s.chars().any(|c| c.is_control() && c != '\n') {
        return Err(FieldIssue::new(
            "outside_window_reason",
            "invalid",
            t!("例外理由不能超过 500 个字符。", "The reason can have at most 500 characters."),
        ));
    }
    Ok(Some(s.to_string()))
}

/// An offline comment follows the consultation's moderation like an online one, unless the
/// staff member entering it decides otherwise (`publish_now`), which the audit log records.
pub fn offline_status(pre_moderated: bool, publish_now: Option<bool>) -> CommentStatus {
    match publish_now.unwrap_or(!pre_moderated) {
        true => CommentStatus::Published,
        false => CommentStatus::Received,
    }
}

/// Text folded for duplicate detection: same as search folding (width, case, punctuation).
pub fn normalised(text: &str) -> Vec<char> {
    crate::kernel::text::fold(text)
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

/// The maintained counts whose sum is the number of comments an inbox filter matches, when
/// there are such (no filter, or only a status, or published comments on one article): the
/// inbox then counts nothing on request.
pub fn counts_matching(f: &InboxFilter) -> Option<Vec<(&'static str, String)>> {
    let only_status = f.category.is_none()
        && f.channel.is_none()
        && f.duplicate_group_id.is_none()
        && f.viewpoint_id.is_none()
        && !f.unassigned
        && f.text.as_deref().is_none_or(|t| t.trim().is_empty());
    if !only_status {
        return None;
    }
    match (f.status, f.section_id) {
        (None, None) => Some(vec![("all", "all".into()), ("status", CommentStatus::Withdrawn.as_str().into())]),
        (Some(s), None) => Some(vec![("status", s.as_str().into())]),
        (Some(CommentStatus::Published), Some(section)) => Some(vec![("published", section.to_string())]),
        _ => None,
    }
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
        assert_eq!(body("\u{202E}意见\u{200B}").unwrap(), "意见");
        assert_eq!(body("\u{200B}\u{FEFF}").unwrap_err().code, "required");
        assert_eq!(display_name(Some("张\u{202E}三")).unwrap().as_deref(), Some("张三"));
    }

    #[test]
    fn contacts() {
        assert_eq!(phone(Some(" 138-0013-8000 ")).unwrap().as_deref(), Some("138-0013-8000"));
        assert!(phone(Some("12")).is_err());
        assert!(phone(Some("call me")).is_err());
        // Valid digits, but wider than the stored column: refused, not a database error.
        assert_eq!(phone(Some(&"1  ".repeat(20))).unwrap_err().code, "invalid_phone");
        assert_eq!(phone(None).unwrap(), None);
        assert!(email(Some("not an email")).is_err());
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
