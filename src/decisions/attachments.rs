//! Attachments of a decision: what may be uploaded (checked by content as well as by name),
//! and safe names. (Their bytes are stored in the database: `store::insert_attachment_content`.)

use crate::error::FieldIssue;
use crate::t;

/// A file kind on the allow-list, recognised by its first bytes and its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kind {
    pub extensions: &'static [&'static str],
    pub content_type: &'static str,
}

const ZIP: &[u8] = b"PK\x03\x04";
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// PDF, OFD, Word, Excel and common images. Office formats share containers (ZIP, OLE), so
/// for them the name decides between kinds that the content allows.
fn kinds_for(content: &[u8]) -> &'static [Kind] {
    const PDF: &[Kind] = &[Kind { extensions: &["pdf"], content_type: "application/pdf" }];
    const ZIPPED: &[Kind] = &[
        Kind { extensions: &["ofd"], content_type: "application/ofd" },
        Kind {
            extensions: &["docx"],
            content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        },
        Kind {
            extensions: &["xlsx"],
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        },
    ];
    const OLE_KINDS: &[Kind] = &[
        Kind { extensions: &["doc"], content_type: "application/msword" },
        Kind { extensions: &["xls"], content_type: "application/vnd.ms-excel" },
    ];
    const PNG: &[Kind] = &[Kind { extensions: &["png"], content_type: "image/png" }];
    const JPEG: &[Kind] = &[Kind { extensions: &["jpg", "jpeg"], content_type: "image/jpeg" }];
    const GIF: &[Kind] = &[Kind { extensions: &["gif"], content_type: "image/gif" }];
    const WEBP: &[Kind] = &[Kind { extensions: &["webp"], content_type: "image/webp" }];
    if content.starts_with(b"%PDF-") {
        PDF
    } else if content.starts_with(ZIP) {
        ZIPPED
    } else if content.starts_with(OLE) {
        OLE_KINDS
    } else if content.starts_with(b"\x89PNG\r\n\x1a\n") {
        PNG
    } else if content.starts_with(&[0xFF, 0xD8, 0xFF]) {
        JPEG
    } else if content.starts_with(b"GIF87a") || content.starts_with(b"GIF89a") {
        GIF
    } else if content.len() > 12 && &content[..4] == b"RIFF" && &content[8..12] == b"WEBP" {
        WEBP
    } else {
        &[]
    }
}

/// The name a file is stored and offered under: the last path component, without control
/// characters or characters that break headers and file systems, at most 120 characters.
pub fn safe_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*' | ';'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    cleaned.chars().take(120).collect()
}

fn extension(name: &str) -> Option<String> {
    name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())
}

/// Accepts a file when its content is on the allow-list and its name says the same kind.
pub fn check(name: &str, content: &[u8], limit: usize) -> Result<(String, Kind), FieldIssue> {
    if content.is_empty() || content.len() > limit {
        let mb = limit / (1024 * 1024);
        return Err(FieldIssue::new(
            "file",
            "size",
            t!("附件不能为空，且不超过 {mb} MB。", "An attachment must not be empty and at most {mb} MB."),
        ));
    }
    let name = safe_name(name);
    let ext = extension(&name).unwrap_or_default();
    match kinds_for(content).iter().find(|k| k.extensions.contains(&ext.as_str())) {
        Some(kind) if !name.is_empty() => Ok((name, *kind)),
        _ => Err(FieldIssue::new(
            "file",
            "unsupported_type",
            t!(
                "只接受 PDF、OFD、Word、Excel 和图片（PNG、JPEG、GIF、WebP）文件，且文件名后缀须与内容一致。",
                "Only PDF, OFD, Word, Excel and image (PNG, JPEG, GIF, WebP) files are accepted, with a name that matches their content."
            ),
        )),
    }
}

/// `Content-Disposition` offering the file for download under its name, safe in every browser:
/// an ASCII fallback plus the UTF-8 name (RFC 6266 / 5987).
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect();
    let ascii = ascii.replace(['"', '\\'], "_");
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_and_the_name_must_agree() {
        let pdf = b"%PDF-1.7 rest";
        assert_eq!(check("草案说明.pdf", pdf, 1000).unwrap().1.content_type, "application/pdf");
        assert_eq!(check("草案说明.exe", pdf, 1000).unwrap_err().code, "unsupported_type");
        assert_eq!(check("evil.pdf", b"MZ\x90\x00", 1000).unwrap_err().code, "unsupported_type");
        let docx = b"PK\x03\x04....";
        assert!(check("意见表.docx", docx, 1000).unwrap().1.content_type.contains("wordprocessingml"));
        assert_eq!(check("意见表.ofd", docx, 1000).unwrap().1.content_type, "application/ofd");
        assert_eq!(check("x.pdf", b"", 1000).unwrap_err().code, "size");
        assert_eq!(check("x.pdf", &[b'%'; 2000], 1000).unwrap_err().code, "size");
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("C:\\Users\\张三\\附件一.pdf"), "附件一.pdf");
        assert_eq!(safe_name("a\"b;c\r\n.pdf"), "abc.pdf");
        assert_eq!(safe_name(".hidden.pdf"), "hidden.pdf");
        let d = content_disposition("附件 \"一\".pdf");
        assert!(d.starts_with("attachment; filename=\"__ ___.pdf\"; filename*=UTF-8''%E9%99%84"), "{d}");
    }
}
