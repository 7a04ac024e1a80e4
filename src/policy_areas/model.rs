use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::FieldIssue;
use crate::t;

/// A policy area (领域), e.g. 城乡规划.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyArea {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub sort_order: i32,
    pub created_at: DateTime<Utc>,
}

/// A valid new policy area.
#[derive(Debug)]
pub struct NewPolicyArea {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub sort_order: i32,
}

fn text_ok(s: &str, max: usize) -> bool {
    let n = s.chars().count();
    n > 0 && n <= max && !s.chars().any(char::is_control)
}

impl NewPolicyArea {
    pub fn parse(code: &str, name: &str, name_en: &str, sort_order: Option<i32>) -> Result<Self, Vec<FieldIssue>> {
        let (code, name, name_en) = (code.trim(), name.trim(), name_en.trim());
        let mut issues = Vec::new();
        let code_ok = (2..=64).contains(&code.len())
            && code.starts_with(|c: char| c.is_ascii_lowercase())
            && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !code_ok {
            issues.push(FieldIssue::new(
                "code",
                "invalid_code",
                t!(
                    "代码须为 2 至 64 位小写字母、数字或下划线，并以字母开头。",
                    "The code must be 2 to 64 lower-case letters, digits or underscores, starting with a letter."
                ),
            ));
        }
        if !text_ok(name, 50) {
            issues.push(FieldIssue::new(
                "name",
                "invalid_name",
                t!("名称须为 1 至 50 个字符。", "The name must have 1 to 50 characters."),
            ));
        }
        if !text_ok(name_en, 100) {
            issues.push(FieldIssue::new(
                "name_en",
                "invalid_name",
                t!("英文名称须为 1 至 100 个字符。", "The English name must have 1 to 100 characters."),
            ));
        }
        if issues.is_empty() {
            Ok(NewPolicyArea {
                code: code.into(),
                name: name.into(),
                name_en: name_en.into(),
                sort_order: sort_order.unwrap_or(0),
            })
        } else {
            Err(issues)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert!(NewPolicyArea::parse("urban_planning", "城乡规划", "Urban and rural planning", None).is_ok());
        let issues = NewPolicyArea::parse("Urban Planning", "", "x", None).unwrap_err();
        let codes: Vec<(&str, &str)> = issues.iter().map(|i| (i.field.as_str(), i.code)).collect();
        assert_eq!(codes, vec![("code", "invalid_code"), ("name", "invalid_name")]);
    }
}
