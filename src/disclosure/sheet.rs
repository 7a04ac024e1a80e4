//! Catalogue spreadsheets as agencies keep them: XLSX, or CSV saved as UTF-8 or GB18030 (the
//! encoding is detected), read into a header and rows of text; and written back in one
//! layout, so that an exported file imports as a no-op.
//!
//! Reading is bounded: at most [`MAX_ROWS`] rows, [`MAX_COLUMNS`] columns, and for XLSX a
//! declared unpacked size of [`MAX_UNPACKED`] bytes (a small file that unpacks to gigabytes
//! is refused before it is read).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

pub const MAX_ROWS: usize = 50_000;
pub const MAX_COLUMNS: usize = 40;
pub const MAX_UNPACKED: u64 = 200 * 1024 * 1024;

/// The layout of exported catalogues, and the names the import knows best.
pub const COLUMNS: [&str; 12] = [
    "序号",
    "政策领域",
    "一级事项",
    "二级事项",
    "公开依据",
    "公开内容",
    "责任主体",
    "公开时限",
    "公开渠道",
    "公开属性",
    "公开对象",
    "公开层级",
];

/// How the file was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Xlsx,
    Utf8,
    Gb18030,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Xlsx => "xlsx",
            Encoding::Utf8 => "utf-8",
            Encoding::Gb18030 => "gb18030",
        }
    }
}

/// A sheet: its header and its non-empty rows, each with its row number in the file (the
/// header is row 1).
#[derive(Debug)]
pub struct Sheet {
    pub encoding: Encoding,
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Why a file could not be read at all.
#[derive(Debug, PartialEq, Eq)]
pub enum SheetError {
    Empty,
    NotText,
    Unreadable(String),
    TooManyRows,
    TooManyColumns,
    TooLarge,
}

/// Reads an XLSX workbook's first sheet, or a CSV file.
pub fn read(bytes: &[u8]) -> Result<Sheet, SheetError> {
    if bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(bytes);
    }
    let (text, encoding) = decode(bytes)?;
    let mut lines = parse_csv(&text)?;
    sheet(encoding, &mut lines)
}

/// UTF-8 (with or without its byte-order mark), else GB18030; anything else is refused
/// rather than guessed at.
fn decode(bytes: &[u8]) -> Result<(String, Encoding), SheetError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), Encoding::Utf8));
    }
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(s) => Ok((s.into_owned(), Encoding::Gb18030)),
        None => Err(SheetError::NotText),
    }
}

/// RFC 4180 CSV: quoted cells with doubled quotes, CRLF or LF; a header with tabs and no
/// commas is read as tab-separated.
fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, SheetError> {
    let first_line = text.lines().next().unwrap_or("");
    let sep = if first_line.contains('\t') && !first_line.contains(',') { '\t' } else { ',' };
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if cell.is_empty() => quoted = true,
            c if c == sep => row.push(std::mem::take(&mut cell)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
                if rows.len() > MAX_ROWS + 1 {
                    return Err(SheetError::TooManyRows);
                }
            }
            _ => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    Ok(rows)
}

fn read_xlsx(bytes: &[u8]) -> Result<Sheet, SheetError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| SheetError::Unreadable(e.to_string()))?;
    let mut unpacked = 0u64;
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|e| SheetError::Unreadable(e.to_string()))?;
        unpacked = unpacked.saturating_add(f.size());
    }
    if unpacked > MAX_UNPACKED {
        return Err(SheetError::TooLarge);
    }
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| SheetError::Unreadable(e.to_string()))?;
    let range = match book.worksheet_range_at(0) {
        Some(Ok(r)) => r,
        Some(Err(e)) => return Err(SheetError::Unreadable(e.to_string())),
        None => return Err(SheetError::Empty),
    };
    let first_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    if range.height() > MAX_ROWS + 1 {
        return Err(SheetError::TooManyRows);
    }
    let mut lines: Vec<Vec<String>> = Vec::with_capacity(range.height());
    // Rows above the range are empty: keep row numbers true to the file.
    lines.extend(std::iter::repeat_n(Vec::new(), first_row));
    for r in range.rows() {
        lines.push(r.iter().map(cell_text).collect());
    }
    sheet(Encoding::Xlsx, &mut lines)
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

/// The header is the first non-empty line; rows after it that are all blank are dropped.
fn sheet(encoding: Encoding, lines: &mut [Vec<String>]) -> Result<Sheet, SheetError> {
    let blank = |l: &Vec<String>| l.iter().all(|c| c.trim().is_empty());
    let Some(h) = lines.iter().position(|l| !blank(l)) else { return Err(SheetError::Empty) };
    let header: Vec<String> = lines[h].iter().map(|c| c.trim().to_string()).collect();
    if header.len() > MAX_COLUMNS {
        return Err(SheetError::TooManyColumns);
    }
    let rows: Vec<(usize, Vec<String>)> = lines[h + 1..]
        .iter_mut()
        .enumerate()
        .filter(|(_, l)| !blank(l))
        .map(|(i, l)| (h + i + 2, std::mem::take(l).into_iter().map(|c| undefuse(&c)).collect()))
        .collect();
    if rows.len() > MAX_ROWS {
        return Err(SheetError::TooManyRows);
    }
    Ok(Sheet { encoding, header, rows })
}

/// Our exports put a `'` before a cell that a spreadsheet would take for a formula; reading
/// one back takes it off, so a round trip keeps the text.
fn undefuse(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
        _ => cell.to_string(),
    }
}

/// CSV in the export layout (UTF-8 with a byte-order mark, formula-safe cells).
pub fn write_csv(rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    crate::kernel::csv::csv(&COLUMNS, rows)
}

/// An XLSX workbook in the export layout: one sheet, text cells.
pub fn write_xlsx(rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("公开事项标准目录")?;
    let bold = Format::new().set_bold();
    for (i, h) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, &bold)?;
    }
    for (r, row) in rows.enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, text)?;
            }
        }
    }
    for (c, width) in [6.0, 12.0, 24.0, 24.0, 36.0, 36.0, 18.0, 24.0, 24.0, 12.0, 10.0, 10.0].into_iter().enumerate() {
        ws.set_column_width(c as u16, width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_gb18030_and_utf8_reads_the_same() {
        let text = "政策领域,一级事项,公开内容\r\n养老服务,\"养老机构名录, 含地址\",\"名称\n地址\"\r\n\r\n,,\r\n教育,招生,\"学校\"\"名单\"\"\"\n";
        let (gb, _, bad) = encoding_rs::GB18030.encode(text);
        assert!(!bad);
        let a = read(&gb).unwrap();
        let b = read(format!("\u{feff}{text}").as_bytes()).unwrap();
        assert_eq!((a.encoding, b.encoding), (Encoding::Gb18030, Encoding::Utf8));
        assert_eq!(a.header, b.header);
        assert_eq!(a.rows, b.rows);
        assert_eq!(a.rows[0], (2, vec!["养老服务".into(), "养老机构名录, 含地址".into(), "名称\n地址".into()]));
        assert_eq!(a.rows[1], (5, vec!["教育".into(), "招生".into(), "学校\"名单\"".into()]));
    }

    #[test]
    fn bytes_that_are_no_text_are_refused() {
        assert_eq!(read(&[0x81, 0x20, 0xff, 0xfe, 0x00]).unwrap_err(), SheetError::NotText);
        assert_eq!(read(b" \r\n,,\r\n").unwrap_err(), SheetError::Empty);
    }

    #[test]
    fn xlsx_round_trips_through_the_writer() {
        let rows = vec![
            COLUMNS.iter().enumerate().map(|(i, c)| if i == 0 { "1".into() } else { format!("{c}的值") }).collect(),
            vec!["2".into(), "=1+1".into(), "事项".into()],
        ];
        let bytes = write_xlsx(rows.clone().into_iter()).unwrap();
        let s = read(&bytes).unwrap();
        assert_eq!(s.encoding, Encoding::Xlsx);
        assert_eq!(s.header, COLUMNS);
        assert_eq!(s.rows[0].1, rows[0]);
        assert_eq!(s.rows[1].1[..3], rows[1][..]);
        let csv = write_csv(rows.clone().into_iter());
        let s = read(&csv).unwrap();
        assert_eq!(s.rows[1].1[1], "=1+1", "the defused formula reads back as written");
    }
}
