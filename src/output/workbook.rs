//! `findings.xlsx`: the dataset as a workbook a reviewer opens in Excel or
//! WPS, four sheets:
//! - 文件: one row per input file — status, ING code and message of a file
//!   that could not be read, kind, organization, year, pages, text layer,
//!   findings by severity, diagnostics (what could not be checked), the
//!   partner files it was checked with;
//! - 问题: one row per finding, the same rows and columns as
//!   `findings.csv` (headers in Chinese), the page a link to the PDF
//!   (relative to the workbook, so the folder can be moved with its
//!   inputs);
//! - 数据: the figures read, one per row — income and expenditure with
//!   their parts, the execution rate, the total score, and each standard
//!   table's 合计/总计 lines and 总表 sides — for a pivot across
//!   departments;
//! - 科目: the rows of every 科目 table (code, name, its figures left to
//!   right).
//!
//! The same records give the same bytes (the workbook's creation time is
//! fixed, not the run's). Every sheet has an autofilter and a frozen
//! header; amounts are numbers
//! shown with the decimals they were stated with. Text from the PDFs goes
//! in as strings, never as formulas, and through [`safe::csv_cell`] as in
//! `findings.csv` (a cell over Excel's limit is cut with a marker).

use super::links::{absolute, relative};
use super::safe;
use crate::ordered_json::OrderedJson;
use crate::record::{Record, Severity, Status};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Url, Workbook, Worksheet, XlsxError};
use std::path::{Path, PathBuf};

/// The header of the findings sheet: `findings.csv`'s columns, in Chinese.
pub const FINDINGS_HEADER: [&str; 8] = [
    "文件",
    "规则",
    "严重程度",
    "说明",
    "所述数",
    "应为",
    "页码",
    "原文",
];

const DOCUMENTS_HEADER: [&str; 14] = [
    "文件",
    "状态",
    "错误代码",
    "错误说明",
    "类型",
    "单位",
    "年度",
    "页数",
    "文本层",
    "错误",
    "警告",
    "提示",
    "未能检查事项",
    "一并核对的文件",
];

const FIGURES_HEADER: [&str; 6] = ["文件", "类别", "表或项目", "名称", "数值", "单位"];

const SUBJECTS_HEADER: [&str; 7] = [
    "文件",
    "表",
    "单位",
    "页码",
    "科目编码",
    "科目名称",
    "数值…",
];

/// The most rows a sheet holds (Excel's limit, the header included).
const MAX_ROWS: u32 = 1_048_576;

/// Builds the workbook, one record (with its report model, when the run
/// has it) at a time; `dir` is where it is written, for the links.
pub struct Book {
    workbook: Workbook,
    dir: PathBuf,
    rows: [u32; 4],
    /// Number formats by decimals (0 to 6).
    numbers: Vec<Format>,
    header: Format,
    cut: bool,
}

const DOCUMENTS: usize = 0;
const FINDINGS: usize = 1;
const FIGURES: usize = 2;
const SUBJECTS: usize = 3;

impl Book {
    pub fn new(dir: &Path) -> Result<Book, XlsxError> {
        let mut workbook = Workbook::new();
        // A fixed creation time: the same records give the same bytes.
        let epoch = ExcelDateTime::from_timestamp(0)?;
        workbook.set_properties(
            &DocProperties::new()
                .set_creation_datetime(&epoch)
                .set_title("审核结果")
                .set_author("jixiao"),
        );
        let header = Format::new().set_bold();
        let names = ["文件", "问题", "数据", "科目"];
        let headers: [&[&str]; 4] = [
            &DOCUMENTS_HEADER,
            &FINDINGS_HEADER,
            &FIGURES_HEADER,
            &SUBJECTS_HEADER,
        ];
        let widths: [&[f64]; 4] = [
            &[
                40.0, 6.0, 8.0, 30.0, 14.0, 24.0, 6.0, 6.0, 10.0, 6.0, 6.0, 6.0, 8.0, 40.0,
            ],
            &[40.0, 8.0, 8.0, 60.0, 10.0, 10.0, 6.0, 60.0],
            &[40.0, 10.0, 30.0, 30.0, 14.0, 6.0],
            &[40.0, 30.0, 6.0, 6.0, 10.0, 30.0, 14.0],
        ];
        for k in 0..4 {
            let ws = workbook.add_worksheet();
            ws.set_name(names[k])?;
            for (c, h) in headers[k].iter().enumerate() {
                ws.write_string_with_format(0, c as u16, *h, &header)?;
                ws.set_column_width(c as u16, widths[k][c])?;
            }
            ws.set_freeze_panes(1, 0)?;
        }
        let numbers = (0..=6)
            .map(|dp| {
                let f = if dp == 0 {
                    "#,##0".to_string()
                } else {
                    format!("#,##0.{}", "0".repeat(dp))
                };
                Format::new().set_num_format(f)
            })
            .collect();
        Ok(Book {
            workbook,
            dir: absolute(dir),
            rows: [1; 4],
            numbers,
            header,
            cut: false,
        })
    }

    /// The next row of sheet `k`, or `None` when the sheet is full (then
    /// the workbook says so on its first sheet).
    fn row(&mut self, k: usize) -> Option<u32> {
        let r = self.rows[k];
        if r >= MAX_ROWS {
            self.cut = true;
            return None;
        }
        self.rows[k] += 1;
        Some(r)
    }

    fn sheet(&mut self, k: usize) -> &mut Worksheet {
        self.workbook
            .worksheet_from_index(k)
            .expect("the four sheets exist")
    }

    /// Adds one record: its row of 文件, its findings, its figures and
    /// 科目 rows (from `report`, the record's report model).
    pub fn add(&mut self, record: &Record, report: Option<&OrderedJson>) -> Result<(), XlsxError> {
        self.add_document(record)?;
        self.add_findings(record)?;
        if let Some(report) = report {
            self.add_figures(record, report)?;
            self.add_subjects(record, report)?;
        }
        Ok(())
    }

    fn add_document(&mut self, record: &Record) -> Result<(), XlsxError> {
        let Some(r) = self.row(DOCUMENTS) else {
            return Ok(());
        };
        let count = |s: Severity| record.findings.iter().filter(|f| f.severity == s).count();
        let (errors, warnings, notices) = (
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Notice),
        );
        let doc = record.document.as_ref();
        let status = match record.status {
            Status::Ok => "已检查",
            Status::Failed => "未能读取",
        };
        let partners: Vec<&str> = record.partners.iter().map(|p| p.path.as_str()).collect();
        let texts: [(u16, String); 8] = [
            (0, record.source.path.clone()),
            (1, status.to_string()),
            (
                2,
                record
                    .error
                    .as_ref()
                    .map_or(String::new(), |e| e.code.to_string()),
            ),
            (
                3,
                record
                    .error
                    .as_ref()
                    .map_or(String::new(), |e| e.message.clone()),
            ),
            (
                4,
                doc.map_or(String::new(), |d| d.kind.chinese().to_string()),
            ),
            (
                5,
                doc.and_then(|d| d.organization.clone()).unwrap_or_default(),
            ),
            (8, record.source.text_layer.clone().unwrap_or_default()),
            (13, partners.join("；")),
        ];
        let link = self.link(&record.source.path, None);
        let ws = self.sheet(DOCUMENTS);
        for (c, t) in texts.iter().filter(|(_, t)| !t.is_empty()) {
            if *c == 0 {
                write_link(ws, r, 0, &link, &safe::csv_cell(t))?;
            } else {
                ws.write_string(r, *c, safe::csv_cell(t).as_ref())?;
            }
        }
        if let Some(y) = doc.and_then(|d| d.year) {
            ws.write_number(r, 6, f64::from(y))?;
        }
        if let Some(p) = record.source.pages {
            ws.write_number(r, 7, f64::from(p))?;
        }
        for (c, n) in [
            (9, errors),
            (10, warnings),
            (11, notices),
            (12, record.diagnostics.len()),
        ] {
            ws.write_number(r, c, n as f64)?;
        }
        Ok(())
    }

    fn add_findings(&mut self, record: &Record) -> Result<(), XlsxError> {
        for finding in &record.findings {
            let Some(r) = self.row(FINDINGS) else {
                return Ok(());
            };
            let primary = finding.evidence.first();
            let page = primary.and_then(|e| e.page);
            let cells = [
                record.source.path.as_str(),
                finding.rule.as_str(),
                finding.severity.as_str(),
                finding.message.as_str(),
                finding.stated.as_deref().unwrap_or(""),
                finding.expected.as_deref().unwrap_or(""),
                "",
                primary.map(|e| e.quote.as_str()).unwrap_or(""),
            ];
            let link = page.map(|p| self.link(&record.source.path, Some(p)));
            let ws = self.sheet(FINDINGS);
            for (c, cell) in cells.iter().enumerate() {
                if !cell.is_empty() {
                    ws.write_string(r, c as u16, safe::csv_cell(cell).as_ref())?;
                }
            }
            if let (Some(p), Some(link)) = (page, link) {
                write_link(ws, r, 6, &link, &p.to_string())?;
            }
        }
        Ok(())
    }

    /// A figure row: file, category, table or item, name, value, unit.
    fn figure(
        &mut self,
        record: &Record,
        category: &str,
        of: &str,
        name: &str,
        value: &str,
        unit: &str,
    ) -> Result<(), XlsxError> {
        let Some(number) = parse(value) else {
            return Ok(());
        };
        let Some(r) = self.row(FIGURES) else {
            return Ok(());
        };
        let format = self.numbers[decimals(value).min(6)].clone();
        let ws = self.sheet(FIGURES);
        ws.write_string(r, 0, safe::csv_cell(&record.source.path).as_ref())?;
        ws.write_string(r, 1, category)?;
        ws.write_string(r, 2, safe::csv_cell(of).as_ref())?;
        ws.write_string(r, 3, safe::csv_cell(name).as_ref())?;
        ws.write_number_with_format(r, 4, number, &format)?;
        if !unit.is_empty() {
            ws.write_string(r, 5, unit)?;
        }
        Ok(())
    }

    fn add_figures(&mut self, record: &Record, report: &OrderedJson) -> Result<(), XlsxError> {
        for (key, category) in [("income", "收入"), ("expenditure", "支出")] {
            let Some(split) = report.get(key) else {
                continue;
            };
            if let Some((v, u)) = split.get("total").and_then(quantity) {
                self.figure(record, category, "合计", "", &v, &u)?;
            }
            for item in array(split.get("items")) {
                let name = text(item.get("name"));
                if let Some((v, u)) = item.get("amount").and_then(quantity) {
                    self.figure(record, category, "其中", &name, &v, &u)?;
                }
            }
        }
        let scalars = [
            ("execution_rate_percent", "执行率", "%"),
            ("budget", "预算数", ""),
            ("executed", "执行数", ""),
        ];
        for (key, name, unit) in scalars {
            if let Some((v, u)) = report.get(key).and_then(quantity) {
                let unit = if u.is_empty() { unit.to_string() } else { u };
                self.figure(record, "执行", name, "", &v, &unit)?;
            }
        }
        if let Some(e) = report.get("evaluation") {
            for (key, name) in [("total_score", "总得分"), ("total_points", "总分值")] {
                if let Some((v, _)) = e.get(key).and_then(quantity) {
                    self.figure(record, "评价", name, "", &v, "分")?;
                }
            }
        }
        for t in array(report.get("tables")) {
            let title = text(t.get("title"));
            let unit = text(t.get("unit"));
            for f in array(t.get("figures")) {
                self.figure(record, "表格", &title, "合计/总计行", &text(Some(f)), &unit)?;
            }
            for (key, what) in [
                ("classes", "支出类"),
                ("sources", "收入来源"),
                ("uses", "支出用途"),
            ] {
                for c in array(t.get(key)) {
                    let name = format!("{what}：{}", text(c.get("name")));
                    self.figure(record, "表格", &title, &name, &text(c.get("amount")), &unit)?;
                }
            }
        }
        Ok(())
    }

    fn add_subjects(&mut self, record: &Record, report: &OrderedJson) -> Result<(), XlsxError> {
        for t in array(report.get("subject_tables")) {
            let title = text(t.get("title"));
            let unit = text(t.get("unit"));
            let page = t.get("page").map(|p| text(Some(p)));
            for row in array(t.get("rows")) {
                let Some(r) = self.row(SUBJECTS) else {
                    return Ok(());
                };
                let cells: Vec<String> = array(row.get("cells")).map(|c| text(Some(c))).collect();
                let formats: Vec<Format> = cells
                    .iter()
                    .map(|c| self.numbers[decimals(c).min(6)].clone())
                    .collect();
                let (code, name) = (text(row.get("code")), text(row.get("name")));
                let ws = self.sheet(SUBJECTS);
                ws.write_string(r, 0, safe::csv_cell(&record.source.path).as_ref())?;
                ws.write_string(r, 1, safe::csv_cell(&title).as_ref())?;
                ws.write_string(r, 2, unit.as_str())?;
                if let Some(p) = page.as_deref().and_then(parse) {
                    ws.write_number(r, 3, p)?;
                }
                ws.write_string(r, 4, safe::csv_cell(&code).as_ref())?;
                ws.write_string(r, 5, safe::csv_cell(&name).as_ref())?;
                for (i, (c, f)) in cells.iter().zip(&formats).enumerate() {
                    let col = 6 + i as u16;
                    match parse(c) {
                        Some(n) => ws.write_number_with_format(r, col, n, f)?,
                        None if c.is_empty() => ws,
                        None => ws.write_string(r, col, c.as_str())?,
                    };
                }
            }
        }
        Ok(())
    }

    /// The workbook's bytes: every sheet with its autofilter; a note on
    /// the first sheet when a sheet was full.
    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
        let widths = [
            DOCUMENTS_HEADER.len(),
            FINDINGS_HEADER.len(),
            FIGURES_HEADER.len(),
            SUBJECTS_HEADER.len() + 12,
        ];
        let rows = self.rows;
        for (k, cols) in widths.iter().enumerate() {
            let last = rows[k].saturating_sub(1).max(1);
            self.sheet(k).autofilter(0, 0, last, *cols as u16 - 1)?;
        }
        if self.cut {
            let header = self.header.clone();
            let r = rows[DOCUMENTS].min(MAX_ROWS - 1);
            self.sheet(DOCUMENTS).write_string_with_format(
                r,
                0,
                "本工作簿已达 Excel 行数上限，其余行未写入；完整数据见 reports.jsonl 与 findings.csv",
                &header,
            )?;
        }
        self.workbook.save_to_buffer()
    }

    /// A link from the workbook to `path` (as the record gives it: relative
    /// to where jixiao ran), at `page`.
    fn link(&self, path: &str, page: Option<u32>) -> String {
        let target = relative(&self.dir, &absolute(Path::new(path)));
        let target = target.to_string_lossy().replace('\\', "/");
        match page {
            Some(p) => format!("file://{target}#page={p}"),
            None => format!("file://{target}"),
        }
    }
}

/// A link with its text; where Excel cannot hold the link (a path over its
/// 2,083 characters), the text alone.
fn write_link(ws: &mut Worksheet, r: u32, c: u16, link: &str, text: &str) -> Result<(), XlsxError> {
    if ws.write_url_with_text(r, c, Url::new(link), text).is_err() {
        ws.write_string(r, c, text)?;
    }
    Ok(())
}

fn array(v: Option<&OrderedJson>) -> impl Iterator<Item = &OrderedJson> {
    let items: &[OrderedJson] = match v {
        Some(OrderedJson::Array(items)) => items,
        _ => &[],
    };
    items.iter()
}

/// A JSON value as text: a string as it is, a number as written.
fn text(v: Option<&OrderedJson>) -> String {
    match v {
        Some(OrderedJson::String(s)) => s.clone(),
        Some(OrderedJson::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// A quantity of the report model: `{"value": "10590.2", "unit": "万元"}`
/// or a bare `"99.85"`; `(value, unit)`.
fn quantity(v: &OrderedJson) -> Option<(String, String)> {
    match v {
        OrderedJson::String(s) => Some((s.clone(), String::new())),
        OrderedJson::Object(_) => {
            let value = text(v.get("value"));
            (!value.is_empty()).then(|| (value, text(v.get("unit"))))
        }
        _ => None,
    }
}

/// A figure as a number for the cell (the text keeps the exact value; a
/// spreadsheet shows it with `decimals` places).
fn parse(s: &str) -> Option<f64> {
    let s = s.trim().replace(',', "");
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return None;
    }
    s.parse().ok()
}

fn decimals(s: &str) -> usize {
    s.split_once('.').map_or(0, |(_, d)| d.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_keep_their_stated_decimals() {
        assert_eq!(decimals("10590.20"), 2);
        assert_eq!(decimals("100"), 0);
        assert_eq!(parse("1,234.50"), Some(1234.5));
        assert_eq!(parse("-"), None);
        assert_eq!(parse("12a"), None);
    }
}
