//! The sections of a new draft version: split from the plain text, or entered one by one
//! and checked the same way (labels present and unique, each nested under the nearest
//! section of a higher rank).

use super::splitter::{self, MAX_SECTIONS, ParsedSection, SectionKind};
use crate::error::{AppError, AppResult, FieldIssue, Issues};
use crate::t;

/// One section of a draft as staff entered it.
pub struct SectionInput {
    pub kind: SectionKind,
    pub label: String,
    pub heading: String,
    pub text: String,
}

pub enum VersionContent {
    /// The plain text of the draft, split by its own headings.
    Text(String),
    /// Sections already structured by the client.
    Sections(Vec<SectionInput>),
}

/// Turns the content of a new version into sections, or says exactly what is wrong.
pub fn parse_content(content: VersionContent) -> AppResult<Vec<ParsedSection>> {
    match content {
        VersionContent::Text(text) => split_text(&text),
        VersionContent::Sections(input) => structured(input),
    }
}

/// A draft's plain text split by its own headings, or a 422 naming the line at fault.
pub fn split_text(text: &str) -> AppResult<Vec<ParsedSection>> {
    splitter::split(text).map_err(|e| AppError::invalid("text", e.code, crate::i18n::Text::new(e.zh, e.en)))
}

fn structured(input: Vec<SectionInput>) -> AppResult<Vec<ParsedSection>> {
    if input.is_empty() || input.len() > MAX_SECTIONS {
        return Err(AppError::invalid(
            "sections",
            "count",
            t!("草案须有 1 至 {MAX_SECTIONS} 个条款。", "A draft needs 1 to {MAX_SECTIONS} sections."),
        ));
    }
    let mut issues = Issues::default();
    let mut out: Vec<ParsedSection> = Vec::with_capacity(input.len());
    let mut kinds: Vec<SectionKind> = Vec::with_capacity(input.len());
    let mut keys = std::collections::HashSet::new();
    for (i, s) in input.into_iter().enumerate() {
        let kind = s.kind;
        let label = s.label.trim().to_string();
        let text = s.text.trim().to_string();
        let heading = s.heading.trim().to_string();
        if (label.is_empty() && kind != SectionKind::Preamble) || label.chars().count() > 32 {
            issues.push(FieldIssue::new(
                format!("sections[{i}].label"),
                "invalid_label",
                t!(
                    "请填写条款编号（32 字以内），如“第三条”。",
                    "Give the section's number label (at most 32 characters), e.g. 第三条."
                ),
            ));
        }
        if text.chars().count() > 20_000 || heading.chars().count() > 200 || (text.is_empty() && heading.is_empty()) {
            issues.push(FieldIssue::new(
                format!("sections[{i}].text"),
                "invalid_text",
                t!("条款内容不能为空，且不超过 20000 字。", "A section needs text, at most 20,000 characters."),
            ));
        }
        let parent = (0..out.len()).rev().find(|&j| kinds[j].rank() < kind.rank() && kinds[j] != SectionKind::Preamble);
        let key = match parent {
            Some(p) => format!("{}/{}", out[p].key, label),
            None if kind == SectionKind::Preamble => "preamble".to_string(),
            None => label.clone(),
        };
        if !keys.insert(key.clone()) {
            issues.push(FieldIssue::new(
                format!("sections[{i}].label"),
                "duplicate",
                t!("条款编号重复：{key}", "Duplicate section number: {key}"),
            ));
        }
        kinds.push(kind);
        out.push(ParsedSection { kind, number: None, label, heading, text, parent, key });
    }
    issues.finish()?;
    Ok(out)
}
