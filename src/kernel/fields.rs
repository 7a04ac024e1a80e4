//! Fields of forms people fill in, parsed the same way in every domain: trimmed text without
//! invisible characters and within a length, phone numbers, e-mail addresses, each failing
//! with a field-level issue in both languages.

use crate::error::FieldIssue;
use crate::kernel::text::without_invisible;
use crate::t;

/// Trimmed text without invisible characters; `None` when blank; an issue when too long
/// or holding control characters other than line breaks.
pub fn text(field: &str, raw: Option<&str>, max: usize) -> Result<Option<String>, FieldIssue> {
    let visible = raw.map(without_invisible);
    let Some(s) = visible.as_deref().map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    let n = s.chars().count();
    if n > max {
        return Err(FieldIssue::new(
            field,
            "too_long",
            t!("不能超过 {max} 个字（现为 {n} 字）。", "At most {max} characters (this has {n})."),
        ));
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(FieldIssue::new(
            field,
            "invalid_characters",
            t!("包含不允许的控制字符。", "Contains control characters."),
        ));
    }
    Ok(Some(s.replace("\r\n", "\n")))
}

/// Like [`text`], but blank is an issue (`required`).
pub fn required_text(field: &str, raw: Option<&str>, max: usize) -> Result<String, FieldIssue> {
    text(field, raw, max)?.ok_or_else(|| FieldIssue::new(field, "required", t!("此项必填。", "This is required.")))
}

/// One line (a name, a title, a venue): like [`required_text`] without line breaks.
pub fn line(field: &str, raw: Option<&str>, max: usize) -> Result<String, FieldIssue> {
    let s = required_text(field, raw, max)?;
    if s.contains(['\n', '\r', '\t']) {
        return Err(FieldIssue::new(field, "one_line", t!("只能填写一行。", "One line only.")));
    }
    Ok(s)
}

/// A phone number: digits with `+ - ( )` and spaces, 5 to 20 digits, at most 40 characters.
pub fn phone(field: &str, raw: Option<&str>) -> Result<Option<String>, FieldIssue> {
    let Some(s) = raw.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    let digits = s.chars().filter(char::is_ascii_digit).count();
    if !(5..=20).contains(&digits) || s.len() > 40 || !s.chars().all(|c| c.is_ascii_digit() || "+-() ".contains(c)) {
        return Err(FieldIssue::new(
            field,
            "invalid_phone",
            t!("请输入有效的电话号码。", "Enter a valid phone number."),
        ));
    }
    Ok(Some(s.to_string()))
}

/// A lower-cased e-mail address of plausible shape: accounts sign in with one, residents
/// leave one as a contact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Email, FieldIssue> {
        let s = raw.trim().to_lowercase();
        let invalid = || {
            FieldIssue::new(field, "invalid_email", t!("请输入有效的电子邮箱地址。", "Enter a valid e-mail address."))
        };
        if s.is_empty() || s.chars().count() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = s.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(invalid());
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, by the rule of [`Email`].
pub fn email(field: &str, raw: Option<&str>) -> Result<Option<String>, FieldIssue> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Email::parse(field, s).map(|e| Some(e.as_str().to_string())),
    }
}

/// A mainland resident identity card number (居民身份证号码, GB 11643): 17 digits and a
/// check character, verified. Only its shape is checked, never shown back in public.
pub fn id_number(field: &str, raw: Option<&str>) -> Result<Option<String>, FieldIssue> {
    let Some(s) = raw.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    let s = s.to_ascii_uppercase();
    let b = s.as_bytes();
    let shape = b.len() == 18 && b[..17].iter().all(u8::is_ascii_digit) && (b[17].is_ascii_digit() || b[17] == b'X');
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let valid = shape && {
        let sum: u32 = b[..17].iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
        b"10X98765432"[(sum % 11) as usize] == b[17]
    };
    if !valid {
        return Err(FieldIssue::new(
            field,
            "invalid_id_number",
            t!("请输入有效的 18 位居民身份证号码。", "Enter a valid 18-character resident ID number."),
        ));
    }
    Ok(Some(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_are_checked_by_their_check_character() {
        assert_eq!(id_number("f", Some("11010519491231002x")).unwrap().as_deref(), Some("11010519491231002X"));
        assert_eq!(id_number("f", Some("110105194912310021")).unwrap_err().code, "invalid_id_number");
        assert_eq!(id_number("f", Some("1101051949")).unwrap_err().code, "invalid_id_number");
        assert_eq!(id_number("f", Some("  ")).unwrap(), None);
    }

    #[test]
    fn a_line_is_required_and_one_line() {
        assert_eq!(line("t", Some("  会议  "), 10).unwrap(), "会议");
        assert_eq!(line("t", Some(" "), 10).unwrap_err().code, "required");
        assert_eq!(line("t", Some("a\nb"), 10).unwrap_err().code, "one_line");
        assert_eq!(line("t", Some("一二三"), 2).unwrap_err().code, "too_long");
    }
}
