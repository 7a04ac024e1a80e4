//! Account values, parsed once at the edge so nothing downstream holds an invalid one.

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::authz::Role;
use crate::error::FieldIssue;
use crate::t;

/// An account as the platform shows it to its owner and to agency admins (never publicly:
/// the e-mail address is personal data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub agency_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    /// Disabled accounts cannot sign in; their sessions ended when they were disabled.
    pub disabled: bool,
    /// An admin reset the password; the person chooses a new one with the reset code.
    pub reset_pending: bool,
}

pub use crate::kernel::fields::Email;

/// A password that meets the policy: 8 to 128 characters, not on the common-password list.
/// Deliberately no composition rules (NIST SP 800-63B): they make passwords worse.
pub struct Password(String);

static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("common-passwords.txt").lines().map(str::trim).filter(|l| !l.is_empty()).collect());

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;

impl Password {
    pub fn parse(field: &str, raw: &str) -> Result<Password, FieldIssue> {
        let n = raw.chars().count();
        if n < PASSWORD_MIN_CHARS {
            return Err(FieldIssue::new(
                field,
                "too_short",
                t!(
                    "密码至少需要 {PASSWORD_MIN_CHARS} 个字符。",
                    "The password needs at least {PASSWORD_MIN_CHARS} characters."
                ),
            ));
        }
        if n > PASSWORD_MAX_CHARS {
            return Err(FieldIssue::new(
                field,
                "too_long",
                t!(
                    "密码不能超过 {PASSWORD_MAX_CHARS} 个字符。",
                    "The password can have at most {PASSWORD_MAX_CHARS} characters."
                ),
            ));
        }
        if is_common_password(raw) {
            return Err(FieldIssue::new(
                field,
                "too_common",
                t!(
                    "这个密码过于常见，容易被猜中，请换一个。",
                    "This password is too common and easy to guess; choose another."
                ),
            ));
        }
        Ok(Password(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

pub fn is_common_password(raw: &str) -> bool {
    COMMON_PASSWORDS.contains(raw.to_lowercase().as_str())
}

/// A name shown to others: 1 to 50 characters, no control characters, trimmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(field: &str, raw: &str) -> Result<DisplayName, FieldIssue> {
        let visible = crate::kernel::text::without_invisible(raw);
        let s = visible.trim();
        let n = s.chars().count();
        if n == 0 {
            return Err(FieldIssue::new(field, "required", t!("请填写名称。", "Enter a name.")));
        }
        if n > 50 {
            return Err(FieldIssue::new(
                field,
                "too_long",
                t!("名称不能超过 50 个字符。", "The name can have at most 50 characters."),
            ));
        }
        if s.chars().any(char::is_control) {
            return Err(FieldIssue::new(
                field,
                "invalid_characters",
                t!("名称不能包含控制字符。", "The name cannot contain control characters."),
            ));
        }
        Ok(DisplayName(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(Email::parse("email", "  Zhang.San@Example.CN ").unwrap().as_str(), "zhang.san@example.cn");
        assert_eq!(Email::parse("email", "用户@例子.中国").unwrap().as_str(), "用户@例子.中国");
        for bad in ["", "no-at-sign", "a@b", "a@.cn", "a b@c.cn", "@c.cn", "a@c..cn", "a@c.cn.", "a@b@c.cn"] {
            let issue = Email::parse("email", bad).unwrap_err();
            assert_eq!((issue.field.as_str(), issue.code), ("email", "invalid_email"), "{bad}");
        }
    }

    #[test]
    fn password_policy() {
        assert_eq!(Password::parse("password", "short").err().unwrap().code, "too_short");
        assert_eq!(Password::parse("password", &"x".repeat(129)).err().unwrap().code, "too_long");
        assert_eq!(Password::parse("password", "password1").err().unwrap().code, "too_common");
        assert_eq!(Password::parse("password", "PassWord1").err().unwrap().code, "too_common");
        assert_eq!(Password::parse("password", "woaini1314").err().unwrap().code, "too_common");
        assert!(Password::parse("password", "长城内外惟余莽莽").is_ok(), "8 Chinese characters count as 8");
        assert!(Password::parse("password", "correct horse battery staple").is_ok());
        assert!(Password::parse("password", &"x".repeat(128)).is_ok());
    }

    #[test]
    fn common_list_is_loaded() {
        assert!(COMMON_PASSWORDS.len() > 500);
        assert!(COMMON_PASSWORDS.iter().all(|p| p.chars().count() >= PASSWORD_MIN_CHARS));
    }

    #[test]
    fn display_names() {
        assert_eq!(DisplayName::parse("n", "  王小明 ").unwrap().as_str(), "王小明");
        assert_eq!(DisplayName::parse("n", "   ").unwrap_err().code, "required");
        assert_eq!(DisplayName::parse("n", &"名".repeat(51)).unwrap_err().code, "too_long");
        assert_eq!(DisplayName::parse("n", "a\u{0007}b").unwrap_err().code, "invalid_characters");
        assert_eq!(DisplayName::parse("n", "王\u{2067}小明\u{200D}").unwrap().as_str(), "王小明");
    }
}
