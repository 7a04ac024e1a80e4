//! CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel opens Chinese text), and
//! cells that cannot be taken for formulas.

/// One CSV cell: quoted when needed, and defused when it would start a spreadsheet formula.
fn cell(raw: &str) -> String {
    let mut s = raw.to_string();
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        s.insert(0, '\'');
    }
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

/// The first line of a file: the byte-order mark, so that Excel opens Chinese text
/// correctly, and the header.
pub fn header_line(header: &[&str]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
    out
}

/// One row, appended to `out`.
pub fn push_row(out: &mut String, row: &[String]) {
    out.push_str(&row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
}

/// UTF-8 CSV with a byte-order mark, in one piece (for small files; exports stream).
pub fn csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut out = header_line(header);
    for row in rows {
        push_row(&mut out, &row);
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
