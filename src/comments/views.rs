//! Building the wire shapes of comments, and CSV.

use std::collections::HashMap;

use uuid::Uuid;

use super::dto::*;
use super::model::{Category, Channel, CommentStatus, HiddenReason};
use crate::entities::comments;

pub fn category(s: &str) -> CategoryDto {
    match Category::parse(s) {
        Some(Category::Individual) => CategoryDto::Individual,
        Some(Category::Company) => CategoryDto::Company,
        Some(Category::Organisation) => CategoryDto::Organisation,
        Some(Category::Expert) => CategoryDto::Expert,
        _ => CategoryDto::Other,
    }
}

pub fn category_in(c: CategoryDto) -> Category {
    match c {
        CategoryDto::Individual => Category::Individual,
        CategoryDto::Company => Category::Company,
        CategoryDto::Organisation => Category::Organisation,
        CategoryDto::Expert => Category::Expert,
        CategoryDto::Other => Category::Other,
    }
}

pub fn channel(s: &str) -> ChannelDto {
    match Channel::parse(s) {
        Some(Channel::Letter) => ChannelDto::Letter,
        Some(Channel::Email) => ChannelDto::Email,
        Some(Channel::Symposium) => ChannelDto::Symposium,
        Some(Channel::Hearing) => ChannelDto::Hearing,
        Some(Channel::Survey) => ChannelDto::Survey,
        _ => ChannelDto::Online,
    }
}

pub fn channel_in(c: ChannelDto) -> Channel {
    match c {
        ChannelDto::Online => Channel::Online,
        ChannelDto::Letter => Channel::Letter,
        ChannelDto::Email => Channel::Email,
        ChannelDto::Symposium => Channel::Symposium,
        ChannelDto::Hearing => Channel::Hearing,
        ChannelDto::Survey => Channel::Survey,
    }
}

pub fn status(s: &str) -> CommentStatusDto {
    match CommentStatus::parse(s) {
        Some(CommentStatus::Received) => CommentStatusDto::Received,
        Some(CommentStatus::Hidden) => CommentStatusDto::Hidden,
        Some(CommentStatus::Withdrawn) => CommentStatusDto::Withdrawn,
        _ => CommentStatusDto::Published,
    }
}

pub fn status_in(s: CommentStatusDto) -> CommentStatus {
    match s {
        CommentStatusDto::Received => CommentStatus::Received,
        CommentStatusDto::Published => CommentStatus::Published,
        CommentStatusDto::Hidden => CommentStatus::Hidden,
        CommentStatusDto::Withdrawn => CommentStatus::Withdrawn,
    }
}

pub fn reason(s: Option<&str>) -> Option<HiddenReasonDto> {
    Some(match HiddenReason::parse(s?)? {
        HiddenReason::Spam => HiddenReasonDto::Spam,
        HiddenReason::Abusive => HiddenReasonDto::Abusive,
        HiddenReason::PersonalData => HiddenReasonDto::PersonalData,
        HiddenReason::OffTopic => HiddenReasonDto::OffTopic,
        HiddenReason::Duplicate => HiddenReasonDto::Duplicate,
    })
}

pub fn reason_in(r: HiddenReasonDto) -> HiddenReason {
    match r {
        HiddenReasonDto::Spam => HiddenReason::Spam,
        HiddenReasonDto::Abusive => HiddenReason::Abusive,
        HiddenReasonDto::PersonalData => HiddenReason::PersonalData,
        HiddenReasonDto::OffTopic => HiddenReason::OffTopic,
        HiddenReasonDto::Duplicate => HiddenReason::Duplicate,
    }
}

pub fn public(c: comments::Model) -> PublicComment {
    PublicComment {
        id: c.id,
        category: category(&c.category),
        channel: channel(&c.channel),
        body: c.body,
        section_id: c.section_id,
        display_name: c.display_name,
        received_on: c.received_on,
        duplicate_group_id: c.duplicate_group_id,
    }
}

pub fn own(
    c: comments::Model,
    decision_title: String,
    section_label: Option<String>,
    can_withdraw: bool,
) -> OwnComment {
    OwnComment {
        id: c.id,
        decision_id: c.decision_id,
        decision_title,
        section_label,
        category: category(&c.category),
        channel: channel(&c.channel),
        status: status(&c.status),
        hidden_reason: reason(c.hidden_reason.as_deref()),
        can_withdraw: can_withdraw && c.status != CommentStatus::Withdrawn.as_str(),
        tracking_number: c.tracking_number,
        body: c.body,
        section_id: c.section_id,
        display_name: c.display_name,
        created_at: c.created_at,
    }
}

pub fn staff(c: comments::Model, labels: &HashMap<Uuid, String>) -> StaffComment {
    StaffComment {
        id: c.id,
        section_label: c.section_id.and_then(|s| labels.get(&s).cloned()),
        category: category(&c.category),
        channel: channel(&c.channel),
        status: status(&c.status),
        hidden_reason: reason(c.hidden_reason.as_deref()),
        signed_in: c.account_id.is_some(),
        tracking_number: c.tracking_number,
        body: c.body,
        section_id: c.section_id,
        display_name: c.display_name,
        contact_phone: c.contact_phone,
        contact_email: c.contact_email,
        moderation_note: c.moderation_note,
        duplicate_group_id: c.duplicate_group_id,
        received_on: c.received_on,
        created_at: c.created_at,
    }
}

/// One CSV cell: quoted when needed, and defused when it would start a spreadsheet formula.
fn cell(raw: &str) -> String {
    let mut s = raw.to_string();
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        s.insert(0, '\'');
    }
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

/// UTF-8 CSV with a byte-order mark, so that Excel opens Chinese text correctly.
pub fn csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    out.push_str(&header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_is_excel_safe() {
        let bytes = csv(
            &["编号", "意见"],
            vec![vec!["1".into(), "=HYPERLINK(\"x\")".into()], vec!["2".into(), "第一行\n第二行, 逗号".into()]]
                .into_iter(),
        );
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{text}");
        assert!(text.contains("\"第一行\n第二行, 逗号\""));
    }
}
