//! The statistics tables as spreadsheets: CSV (UTF-8 with a byte-order mark) and XLSX with
//! typed columns (counts as numbers, rates as percentages) and Chinese headers. The tables
//! are small (one row per agency or month), so they are built in memory.

use rust_xlsxwriter::{Format, Workbook};

use super::model::Figures;

/// The columns after the first (agency or month), in order.
const COLUMNS: &[&str] = &[
    "征求意见事项",
    "收到意见",
    "参与人数",
    "采纳",
    "部分采纳",
    "未采纳",
    "不适用",
    "采纳率",
    "征求期不足30天",
    "按时公布反馈",
    "逾期公布反馈",
    "逾期未公布",
    "尚未到期",
    "反馈用时中位数（天）",
    "平均每项意见数",
    "满意",
    "基本满意",
    "不满意",
    "满意率",
];

enum Cell {
    Count(u64),
    Rate(Option<f64>),
    Number(Option<f64>),
}

fn cells(f: &Figures) -> Vec<Cell> {
    use Cell::*;
    vec![
        Count(f.consultations),
        Count(f.comments),
        Count(f.participants),
        Count(f.adopted),
        Count(f.partly_adopted),
        Count(f.not_adopted),
        Count(f.not_applicable),
        Rate(f.adoption_rate),
        Count(f.short_windows),
        Count(f.reports_on_time),
        Count(f.reports_late),
        Count(f.reports_missing),
        Count(f.reports_pending),
        Number(f.median_days_to_report),
        Number(f.comments_per_consultation),
        Count(f.satisfied),
        Count(f.basically_satisfied),
        Count(f.dissatisfied),
        Rate(f.satisfaction_rate),
    ]
}

/// A table: its first column's header and rows of (first cell, figures).
pub struct Table<'a> {
    pub first: &'a str,
    pub rows: Vec<(String, &'a Figures)>,
}

pub fn csv(table: &Table<'_>) -> Vec<u8> {
    let mut header = vec![table.first];
    header.extend_from_slice(COLUMNS);
    let rows = table.rows.iter().map(|(name, f)| {
        let mut row = vec![name.clone()];
        row.extend(cells(f).into_iter().map(|c| match c {
            Cell::Count(n) => n.to_string(),
            Cell::Rate(r) => r.map(|r| format!("{:.1}%", r * 100.0)).unwrap_or_default(),
            Cell::Number(n) => n.map(|n| format!("{n:.1}")).unwrap_or_default(),
        }));
        row
    });
    crate::kernel::csv::csv(&header, rows)
}

pub fn xlsx(table: &Table<'_>, sheet: &str) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet)?;
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let decimal = Format::new().set_num_format("0.0");
    ws.write_string_with_format(0, 0, table.first, &bold)?;
    for (i, h) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, i as u16 + 1, *h, &bold)?;
    }
    for (r, (name, f)) in table.rows.iter().enumerate() {
        let row = r as u32 + 1;
        ws.write_string(row, 0, name)?;
        for (i, c) in cells(f).into_iter().enumerate() {
            let col = i as u16 + 1;
            match c {
                Cell::Count(n) => drop(ws.write_number(row, col, n as f64)?),
                Cell::Rate(Some(v)) => drop(ws.write_number_with_format(row, col, v, &percent)?),
                Cell::Number(Some(v)) => drop(ws.write_number_with_format(row, col, v, &decimal)?),
                Cell::Rate(None) | Cell::Number(None) => {}
            }
        }
    }
    ws.set_column_width(0, 28)?;
    ws.set_freeze_panes(1, 1)?;
    book.save_to_buffer()
}
