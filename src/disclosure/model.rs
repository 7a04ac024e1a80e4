//! The rules of the disclosure standard catalogue: what an item is made of, how its fields
//! are parsed (from a form or a spreadsheet cell), how a time limit is read, and what
//! changed between two versions. No entities, DTOs or HTTP here.

use uuid::Uuid;

use crate::error::{FieldIssue, Issues};
use crate::kernel::{digest::sha256_hex, fields, text::folded};
use crate::t;

crate::vocabulary! {
    /// 公开属性.
    pub enum Attribute {
        /// 主动公开.
        Proactive = "proactive",
        /// 依申请公开.
        OnRequest = "on_request",
    }
}

crate::vocabulary! {
    /// 公开对象.
    pub enum Audience {
        /// 全社会.
        Public = "public",
        /// 特定群体.
        SpecificGroups = "specific_groups",
    }
}

crate::vocabulary! {
    /// 公开层级.
    pub enum Level {
        /// 区级.
        District = "district",
        /// 街乡级.
        Street = "street",
    }
}

crate::vocabulary! {
    /// What a member of the public reports about an item.
    pub enum ReportKind {
        /// The catalogue lacks something that should be published (缺失).
        Missing = "missing",
        /// The item is out of date (过时).
        Outdated = "outdated",
        /// The agency does not publish what the item promises (未落实).
        NotHonoured = "not_honoured",
    }
}

crate::vocabulary! {
    /// Where a report stands.
    pub enum ReportStatus {
        Open = "open",
        Answered = "answered",
    }
}

crate::vocabulary! {
    /// What a version of an item did.
    pub enum ChangeKind {
        Created = "created",
        Changed = "changed",
        Removed = "removed",
        Restored = "restored",
    }
}

impl Attribute {
    pub fn label(self) -> &'static str {
        match self {
            Attribute::Proactive => "主动公开",
            Attribute::OnRequest => "依申请公开",
        }
    }

    /// From a spreadsheet cell: the label, its short form, or the stored name.
    pub fn from_label(s: &str) -> Option<Self> {
        match folded(s).as_str() {
            "主动公开" | "主动" | "proactive" => Some(Attribute::Proactive),
            "依申请公开" | "依申请" | "onrequest" => Some(Attribute::OnRequest),
            _ => None,
        }
    }
}

impl Audience {
    pub fn label(self) -> &'static str {
        match self {
            Audience::Public => "全社会",
            Audience::SpecificGroups => "特定群体",
        }
    }

    pub fn from_label(s: &str) -> Option<Self> {
        match folded(s).as_str() {
            "全社会" | "社会公众" | "public" => Some(Audience::Public),
            "特定群体" | "特定对象" | "specificgroups" => Some(Audience::SpecificGroups),
            _ => None,
        }
    }
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::District => "区级",
            Level::Street => "街乡级",
        }
    }

    pub fn from_label(s: &str) -> Option<Self> {
        match folded(s).as_str() {
            "区级" | "区" | "district" => Some(Level::District),
            "街乡级" | "街乡" | "街道级" | "乡镇级" | "街道" | "乡镇" | "street" => Some(Level::Street),
            _ => None,
        }
    }
}

/// 公开时限: the text as written, and where it says so, a number of (working) days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeLimit {
    pub text: String,
    pub days: Option<i32>,
    pub working_days: bool,
}

impl TimeLimit {
    /// Reads "信息形成或变更之日起20个工作日内", "7日内", "二十个工作日"; "实时" and
    /// "长期公开" carry no number.
    pub fn read(text: &str) -> TimeLimit {
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            // "3月31日" is a date, not thirty-one days: a number after 月 is skipped whole.
            let after_month = i > 0 && chars[i - 1] == '月';
            let Some((n, used)) = number_at(&chars[i..]) else {
                i += 1;
                continue;
            };
            if !after_month {
                let rest: String = chars[i + used..].iter().take(6).collect();
                let rest = rest.trim_start_matches(['个', ' ']);
                if rest.starts_with("工作日") {
                    return TimeLimit { text: text.into(), days: Some(n), working_days: true };
                }
                if rest.starts_with('日') || rest.starts_with('天') {
                    return TimeLimit { text: text.into(), days: Some(n), working_days: false };
                }
            }
            i += used;
        }
        TimeLimit { text: text.into(), days: None, working_days: false }
    }
}

/// A number written with digits or Chinese numerals (up to 99) at the start of `s`, and how
/// many characters it took.
fn number_at(s: &[char]) -> Option<(i32, usize)> {
    let digits: String = s.iter().take_while(|c| c.is_ascii_digit()).take(4).collect();
    if !digits.is_empty() {
        return digits.parse().ok().map(|n| (n, digits.chars().count()));
    }
    let value = |c: char| "零一二三四五六七八九".chars().position(|d| d == c).map(|v| v as i32);
    let (mut n, mut used) = (0, 0);
    match (s.first().copied(), s.get(1).copied(), s.get(2).copied()) {
        (Some('十'), b, _) => {
            n = 10 + b.and_then(value).unwrap_or(0);
            used = 1 + usize::from(b.and_then(value).is_some());
        }
        (Some(a), Some('十'), c) if value(a).is_some() => {
            n = value(a)? * 10 + c.and_then(value).unwrap_or(0);
            used = 2 + usize::from(c.and_then(value).is_some());
        }
        (Some(a), _, _) if value(a).is_some_and(|v| v > 0) => {
            n = value(a)?;
            used = 1;
        }
        _ => {}
    }
    (used > 0).then_some((n, used))
}

/// An item's fields as staff give them, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemFields {
    pub policy_area_id: Uuid,
    pub item: String,
    pub sub_item: String,
    pub basis: String,
    pub content: String,
    pub responsible_body: String,
    pub time_limit: TimeLimit,
    pub channels: Vec<String>,
    pub attribute: Attribute,
    pub audience: Audience,
    pub level: Level,
}

/// What a form or a spreadsheet row gives, before parsing. Field names in issues are the
/// API's (`item`, `channels`, …); a spreadsheet report maps them back to its columns.
pub struct ItemForm<'a> {
    pub policy_area_id: Option<Uuid>,
    pub item: Option<&'a str>,
    pub sub_item: Option<&'a str>,
    pub basis: Option<&'a str>,
    pub content: Option<&'a str>,
    pub responsible_body: Option<&'a str>,
    pub time_limit: Option<&'a str>,
    pub channels: Vec<String>,
    pub attribute: Option<Attribute>,
    pub audience: Option<Audience>,
    pub level: Option<Level>,
}

pub const MAX_CHANNELS: usize = 12;

impl ItemFields {
    /// Parses a form: every issue at once. `known_channels` is the admin's list;
    /// `default_body` stands in for a blank responsible body (the agency's name).
    pub fn parse(
        form: ItemForm<'_>,
        known_channels: &[String],
        default_body: &str,
    ) -> Result<ItemFields, Vec<FieldIssue>> {
        let mut issues = Issues::default();
        let area = form.policy_area_id;
        if area.is_none() {
            issues.push(required("policy_area_id"));
        }
        let item = issues.take(fields::line("item", form.item, 200));
        let sub_item = issues.take(fields::text("sub_item", form.sub_item, 200).and_then(|s| one_line("sub_item", s)));
        let basis = issues.take(fields::required_text("basis", form.basis, 4000));
        let content = issues.take(fields::required_text("content", form.content, 4000));
        let body = issues.take(fields::text("responsible_body", form.responsible_body, 200));
        let time_limit = issues.take(fields::line("time_limit", form.time_limit, 200));
        let channels = issues.take(channels(form.channels, known_channels));
        if form.attribute.is_none() {
            issues.push(FieldIssue::new(
                "attribute",
                "required",
                t!("请填写公开属性（主动公开或依申请公开）。", "Give the attribute: proactive or on request."),
            ));
        }
        match (area, item, sub_item, basis, content, body, time_limit, channels, form.attribute, issues.finish()) {
            (
                Some(area),
                Some(item),
                Some(sub),
                Some(basis),
                Some(content),
                Some(body),
                Some(limit),
                Some(ch),
                Some(a),
                Ok(()),
            ) => Ok(ItemFields {
                policy_area_id: area,
                item,
                sub_item: sub.unwrap_or_default(),
                basis,
                content,
                responsible_body: body.unwrap_or_else(|| default_body.to_string()),
                time_limit: TimeLimit::read(&limit),
                channels: ch,
                attribute: a,
                audience: form.audience.unwrap_or(Audience::Public),
                level: form.level.unwrap_or(Level::District),
            }),
            (.., Err(crate::error::AppError::Invalid(found))) => Err(found),
            _ => Err(vec![required("item")]),
        }
    }

    /// The item's key within its agency's catalogue: the policy area, item and sub-item as
    /// search folds them, so "养老 服务" and "养老服务" are one item.
    pub fn key(&self) -> String {
        sha256_hex(format!("{}|{}|{}", self.policy_area_id, folded(&self.item), folded(&self.sub_item)))
    }

    /// Field by field, what differs from `before` (names as the API's). `area_name` shows a
    /// policy area by its name.
    pub fn changes_from(&self, before: &ItemFields, area_name: impl Fn(Uuid) -> String) -> Vec<FieldChange> {
        let mut out = Vec::new();
        let mut put = |field: &'static str, b: String, a: String| {
            if b != a {
                out.push(FieldChange { field: field.to_string(), before: b, after: a });
            }
        };
        put("policy_area", area_name(before.policy_area_id), area_name(self.policy_area_id));
        put("item", before.item.clone(), self.item.clone());
        put("sub_item", before.sub_item.clone(), self.sub_item.clone());
        put("basis", before.basis.clone(), self.basis.clone());
        put("content", before.content.clone(), self.content.clone());
        put("responsible_body", before.responsible_body.clone(), self.responsible_body.clone());
        put("time_limit", before.time_limit.text.clone(), self.time_limit.text.clone());
        put("channels", before.channels.join("、"), self.channels.join("、"));
        put("attribute", before.attribute.label().into(), self.attribute.label().into());
        put("audience", before.audience.label().into(), self.audience.label().into());
        put("level", before.level.label().into(), self.level.label().into());
        out
    }
}

/// One field of one version: what it was and what it became.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

fn required(field: &str) -> FieldIssue {
    FieldIssue::new(field, "required", t!("此项必填。", "This is required."))
}

fn one_line(field: &str, s: Option<String>) -> Result<Option<String>, FieldIssue> {
    match s {
        Some(s) if s.contains(['\n', '\r', '\t']) => {
            Err(FieldIssue::new(field, "one_line", t!("只能填写一行。", "One line only.")))
        }
        other => Ok(other),
    }
}

/// Splits a spreadsheet cell of channels: "政府网站、公示栏", "政府网站;公示栏", one per line.
pub fn split_channels(cell: &str) -> Vec<String> {
    cell.split(['、', ',', '，', ';', '；', '/', '\n', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// The channels given, each one of the admin's list (compared folded; stored as listed),
/// without repeats, at least one.
fn channels(given: Vec<String>, known: &[String]) -> Result<Vec<String>, FieldIssue> {
    let mut out: Vec<String> = Vec::new();
    for g in given.iter().map(|g| g.trim()).filter(|g| !g.is_empty()) {
        let Some(k) = known.iter().find(|k| folded(k) == folded(g)) else {
            let list = known.join("、");
            return Err(FieldIssue::new(
                "channels",
                "unknown_channel",
                t!(
                    "“{g}”不是平台列出的公开渠道（可选：{list}）。",
                    "“{g}” is not a listed channel (choose from: {list})."
                ),
            ));
        };
        if !out.contains(k) {
            out.push(k.clone());
        }
    }
    if out.is_empty() {
        return Err(FieldIssue::new(
            "channels",
            "required",
            t!("请至少选择一个公开渠道。", "Choose at least one channel."),
        ));
    }
    if out.len() > MAX_CHANNELS {
        return Err(FieldIssue::new(
            "channels",
            "too_many",
            t!("公开渠道最多 {MAX_CHANNELS} 个。", "At most {MAX_CHANNELS} channels."),
        ));
    }
    Ok(out)
}

/// A report's text and its optional private contact.
pub struct ReportDraft {
    pub kind: ReportKind,
    pub body: String,
    pub contact: Option<String>,
}

impl ReportDraft {
    pub fn parse(kind: ReportKind, body: Option<&str>, contact: Option<&str>) -> Result<ReportDraft, Vec<FieldIssue>> {
        let mut issues = Issues::default();
        let body = issues.take(fields::required_text("body", body, 2000));
        let contact = issues.take(fields::text("contact", contact, 100).and_then(|c| one_line("contact", c)));
        match (body, contact, issues.finish()) {
            (Some(body), Some(contact), Ok(())) => Ok(ReportDraft { kind, body, contact }),
            (.., Err(crate::error::AppError::Invalid(found))) => Err(found),
            _ => Err(vec![required("body")]),
        }
    }
}

/// A staff answer to a report.
pub fn parse_answer(raw: Option<&str>) -> Result<String, FieldIssue> {
    fields::required_text("answer", raw, 2000)
}

/// What a list of items is narrowed by.
#[derive(Default, Clone, Debug)]
pub struct Filter {
    pub agencies: Option<Vec<Uuid>>,
    pub policy_area: Option<Uuid>,
    pub attribute: Option<Attribute>,
    pub level: Option<Level>,
    pub text: Option<String>,
    pub include_removed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_limits_are_read_where_they_say_a_number() {
        let t = TimeLimit::read("信息形成或变更之日起20个工作日内");
        assert_eq!((t.days, t.working_days), (Some(20), true));
        let t = TimeLimit::read("自作出决定之日起7日内");
        assert_eq!((t.days, t.working_days), (Some(7), false));
        let t = TimeLimit::read("二十个工作日");
        assert_eq!((t.days, t.working_days), (Some(20), true));
        let t = TimeLimit::read("十五天");
        assert_eq!((t.days, t.working_days), (Some(15), false));
        let t = TimeLimit::read("三日内");
        assert_eq!((t.days, t.working_days), (Some(3), false));
        assert_eq!(TimeLimit::read("实时公开").days, None);
        assert_eq!(TimeLimit::read("2024年修订版长期公开").days, None);
        assert_eq!(TimeLimit::read("每年3月31日前").days, None);
    }

    #[test]
    fn labels_read_both_ways() {
        for a in Attribute::ALL {
            assert_eq!(Attribute::from_label(a.label()), Some(*a));
            assert_eq!(Attribute::from_label(a.as_str()), Some(*a));
        }
        for a in Audience::ALL {
            assert_eq!(Audience::from_label(a.label()), Some(*a));
        }
        for l in Level::ALL {
            assert_eq!(Level::from_label(l.label()), Some(*l));
        }
        assert_eq!(Attribute::from_label(" 依申请 "), Some(Attribute::OnRequest));
        assert_eq!(Level::from_label("街道级"), Some(Level::Street));
        assert_eq!(Attribute::from_label("公开"), None);
    }

    fn form<'a>(channels: Vec<String>) -> ItemForm<'a> {
        ItemForm {
            policy_area_id: Some(Uuid::nil()),
            item: Some("养老服务"),
            sub_item: Some("养老机构名录"),
            basis: Some("《养老机构管理办法》"),
            content: Some("机构名称、地址、床位数"),
            responsible_body: None,
            time_limit: Some("信息形成之日起20个工作日内"),
            channels,
            attribute: Some(Attribute::Proactive),
            audience: None,
            level: None,
        }
    }

    #[test]
    fn an_item_parses_with_defaults_and_known_channels() {
        let known = vec!["政府网站".to_string(), "公示栏".to_string()];
        let f = ItemFields::parse(form(split_channels("政府网站、 公示栏；政府网站")), &known, "区民政局").unwrap();
        assert_eq!(f.channels, known);
        assert_eq!(f.responsible_body, "区民政局");
        assert_eq!((f.audience, f.level), (Audience::Public, Level::District));
        let issues = ItemFields::parse(form(vec!["抖音".into()]), &known, "x").unwrap_err();
        assert_eq!(issues[0].field, "channels");
        assert_eq!(issues[0].code, "unknown_channel");
        let mut blank = form(vec![]);
        blank.basis = Some("  ");
        blank.attribute = None;
        let issues = ItemFields::parse(blank, &known, "x").unwrap_err();
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["basis", "channels", "attribute"]);
    }

    #[test]
    fn keys_fold_and_changes_are_field_by_field() {
        let known = vec!["政府网站".to_string(), "公示栏".to_string()];
        let a = ItemFields::parse(form(vec!["政府网站".into()]), &known, "x").unwrap();
        let mut b = a.clone();
        b.item = "养老 服务".into();
        assert_eq!(a.key(), b.key());
        b.channels.push("公示栏".into());
        b.time_limit = TimeLimit::read("10个工作日");
        let changes = b.changes_from(&a, |_| "养老".into());
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["item", "time_limit", "channels"]);
        assert_eq!(changes[2].after, "政府网站、公示栏");
    }
}
