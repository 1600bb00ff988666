//! Tables flattened by the PDF into lines.
//!
//! After normalization a table row is one line: a label, then its cells
//! separated by single spaces (`一般公共预算财政拨款收入10583.6 99.94%`). A
//! row whose cells the PDF put one per line (a bare number per line) is
//! rebuilt by appending those lines to the row above. Columns are named by
//! the header line (`项目金额占比`, `一级指标分值得分`), and the unit comes
//! from the caption or header (`（单位：万元）`). A cell is typed by its
//! column; without a header, a `%` cell is a share, the one number of a
//! row under a caption with an amount unit is an amount, and other cells
//! are not guessed at.

use super::document::report_year;
use super::fact::{Fact, FactDiagnostic, FactKind};
use super::{Claims, Readings};
use crate::model::{Diagnostic, DiagnosticKind, Unit};
use crate::number::{Precision, Stated};
use crate::segment::Segments;
use regex::Regex;
use std::sync::LazyLock;

/// A number cell of a flat table row (a percent included).
const CELL_PATTERN: &str = r"-?\d[\d,]*(?:\.\d+)*%?";

/// A row: a label, then its number cells.
static ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?P<label>[^\d\s，。；：:;,][^，。；：:;]{{0,40}}?) ?(?P<cells>{CELL_PATTERN}(?: {CELL_PATTERN})*)$"
    ))
    .unwrap()
});

/// Number cells only (a row's cells on a line of their own).
static CELLS_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^{CELL_PATTERN}(?: {CELL_PATTERN})*$")).unwrap());

/// One number cell.
static CELL: LazyLock<Regex> = LazyLock::new(|| Regex::new(CELL_PATTERN).unwrap());

/// The unit a caption or header names (（单位：万元）).
static UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:单位[：:]\s*)?[（(]?(?:单位[：:])?(万元|亿元|元)[)）]?").unwrap()
});

/// An enumeration marker before a row's label (「二、项目支出」).
static ENUMERATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])\s*")
        .unwrap()
});

/// Header words, longest first so that "一级指标" wins over "指标".
const COLUMN_WORDS: &[&str] = &[
    "一级指标",
    "二级指标",
    "三级指标",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "预算数",
    "执行数",
    "执行率",
    "项目名称",
    "指标名称",
    "金额",
    "占比",
    "比重",
    "分值",
    "权重",
    "满分",
    "得分",
    "项目",
    "指标",
    "名称",
    "序号",
    "单位",
    "合计",
    "万元",
    "亿元",
    "元",
    "（",
    "）",
    "(",
    ")",
    "：",
    ":",
    "%",
];

/// Whether a line is a table row (a label and number cells, or cells only).
pub fn is_table_line(line: &str) -> bool {
    if line.ends_with(|c: char| "。；：".contains(c)) {
        return false;
    }
    if let Some(c) = ROW.captures(line) {
        // "(1)运行经费 2" style enumerations are not rows; a row's label has
        // no unit before its first cell.
        let label = &c["label"];
        return !label.ends_with("万元") && !label.ends_with('年') && !label.ends_with('第');
    }
    CELLS_ONLY.is_match(line)
}

/// Why a row's label shows that the line is not one row of one table, if
/// it does: a figure inside the label (the two sides of a 收支总表 on one
/// line, `收入合计 17,996.68 支出合计`), two enumerated names (`一、财政拨款…
/// 一、一般公共服务支出`), or a header glued before the row
/// (`科目编码科目名称金额合计`).
fn unconfirmed_label(label: &str) -> Option<&'static str> {
    static FIGURE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\d[\d,]*\.\d|\d{1,3}(?:,\d{3})+").unwrap());
    static ENUMERATED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[一二三四五六七八九十]+、").unwrap());
    if FIGURE.is_match(label) {
        Some("的名称中夹有数字")
    } else if ENUMERATED.find_iter(label).count() >= 2 {
        Some("含有两个编号的名称")
    } else if label.contains("科目") && ["编码", "代码", "名称"].iter().any(|w| label.contains(w))
    {
        Some("与表头粘连")
    } else {
        None
    }
}

/// Splits a header line into its column words, if it is one.
fn header_columns(line: &str) -> Option<Vec<String>> {
    let mut rest = line.trim();
    let mut cols = Vec::new();
    while !rest.is_empty() {
        let w = COLUMN_WORDS.iter().find(|w| rest.starts_with(**w))?;
        rest = rest[w.len()..].trim_start();
        if !matches!(
            *w,
            "（" | "）" | "(" | ")" | "：" | ":" | "万元" | "亿元" | "元" | "单位" | "%"
        ) {
            cols.push(w.to_string());
        }
    }
    (cols.len() >= 2).then_some(cols)
}

/// The table being read.
#[derive(Default)]
struct State {
    unit: Option<Unit>,
    columns: Vec<String>,
    /// The label of the last row, for cells that come one per line.
    open_label: Option<String>,
    /// Value cells the open row still lacks.
    pending_cells: usize,
    /// The caption says the table is about other figures than the report's
    /// (a budget, last year's, another year's): its header-less rows are
    /// not read as the report's amounts.
    other_figures: bool,
}

/// A row's label and where its cells are in the line.
struct Row<'a> {
    label: String,
    cells: &'a str,
    cells_start: usize,
    /// The line is a whole row (a label and its cells), not cells going on
    /// the row above.
    whole: bool,
}

/// Whether a caption names figures other than the report's own: 预算,
/// 年初, 上年, or a year other than the report's.
fn other_figures(caption: &str, year: Option<u32>) -> bool {
    static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年").unwrap());
    let y = &*YEAR;
    ["预算", "年初", "上年"].iter().any(|w| caption.contains(w))
        || y.captures_iter(caption)
            .any(|c| year.is_some_and(|r| c[1].parse::<u32>().ok() != Some(r)))
}

/// Reads the rows of the flat tables (label and number cells) into facts;
/// a paragraph a table reader claimed is that reader's.
pub fn read(text: &str, seg: &Segments, claimed: &Claims, out: &mut Readings) {
    let mut st = State::default();
    let year = report_year(text);
    for (pi, para) in seg.paragraphs.iter().enumerate() {
        if claimed.contains(pi) {
            st = State::default();
            continue;
        }
        let line = &text[para.span.clone()];
        if !st.is_row(line, year) {
            continue;
        }
        let Some(row) = st.row(line) else {
            continue;
        };
        if let Some(why) = unconfirmed_label(&row.label) {
            // The cells of two columns or two rows glued into one line: no
            // column reading of it can be confirmed.
            out.diagnostics.push(FactDiagnostic {
                at: para.span.start,
                token: line.to_string(),
                diagnostic: Diagnostic {
                    kind: DiagnosticKind::UnreadTable,
                    page: None,
                    message: format!("表格行「{line}」{why}，无法确认各数字所属的行列，未检查"),
                },
            });
            st.open_label = None;
            st.pending_cells = 0;
            continue;
        }
        let cells: Vec<_> = CELL.find_iter(row.cells).collect();
        let value_cols = st.columns.len().saturating_sub(1);
        let offset = if row.whole {
            0
        } else {
            value_cols - st.pending_cells
        };
        let at = Place {
            para: pi,
            sentence: para.sentences.start,
            start: para.span.start + row.cells_start,
            lone_cell: cells.len() == 1,
        };
        for (ci, m) in cells.iter().enumerate() {
            if let Some(f) = st.cell_fact(&row.label, m, offset + ci, &at, &mut out.diagnostics) {
                out.facts.push(f);
            }
        }
        let filled = offset + cells.len();
        st.pending_cells = value_cols.saturating_sub(filled);
        st.open_label = Some(row.label);
    }
}

/// Where a row's cells are: its paragraph and sentence, the byte offset of
/// its cells, and whether it has one cell only.
struct Place {
    para: usize,
    sentence: usize,
    start: usize,
    lone_cell: bool,
}

impl State {
    /// Reads what a line says of the table — a header, a label whose cells
    /// follow one per line, a caption, prose that ends it — and whether it
    /// is a row to read.
    fn is_row(&mut self, line: &str, year: Option<u32>) -> bool {
        if let Some(cols) = header_columns(line) {
            self.columns = cols;
            if let Some(u) = UNIT.captures(line) {
                self.unit = Unit::parse(&u[1]);
            }
            return false;
        }
        if !self.columns.is_empty()
            && line.chars().count() <= 30
            && !line.contains(|c: char| c.is_ascii_digit() || "，。；：".contains(c))
        {
            // A label whose cells follow one per line.
            self.pending_cells = self.columns.len() - 1;
            self.open_label = Some(line.to_string());
            return false;
        }
        if !is_table_line(line) {
            // A caption such as "表1 …（单位：万元）" sets the next table's unit.
            if line.starts_with('表') || line.contains("单位：") || line.contains("单位:") {
                *self = State {
                    unit: UNIT.captures(line).and_then(|u| Unit::parse(&u[1])),
                    other_figures: other_figures(line, year),
                    ..State::default()
                };
            } else if line.chars().count() > 40 && line.contains(['，', '。', '；']) {
                // Prose ends the table; a long row with a remark column
                // (「其中：人员经费27,415,302.56工资福利支出」) does not.
                *self = State::default();
            }
            self.pending_cells = 0;
            return false;
        }
        true
    }

    /// The row a table line is: a label and its cells, or cells going on
    /// the open row.
    fn row<'a>(&self, line: &'a str) -> Option<Row<'a>> {
        match ROW.captures(line) {
            Some(c) => {
                let cells = c.name("cells").unwrap();
                Some(Row {
                    label: c["label"].trim().to_string(),
                    cells: cells.as_str(),
                    cells_start: cells.start(),
                    whole: true,
                })
            }
            None => match (&self.open_label, self.pending_cells > 0) {
                (Some(label), true) => Some(Row {
                    label: label.clone(),
                    cells: line,
                    cells_start: 0,
                    whole: false,
                }),
                _ => None,
            },
        }
    }

    /// The fact of one cell, typed by its column; None for a cell no column
    /// types, or one that cannot be read (reported).
    fn cell_fact(
        &self,
        label: &str,
        m: &regex::Match,
        col: usize,
        at: &Place,
        diagnostics: &mut Vec<FactDiagnostic>,
    ) -> Option<Fact> {
        let cell = m.as_str();
        let start = at.start + m.start();
        if cell.trim_end_matches('%').matches('.').count() > 1 {
            diagnostics.push(FactDiagnostic {
                at: start,
                token: cell.to_string(),
                diagnostic: Diagnostic {
                    kind: DiagnosticKind::GluedNumber,
                    page: None,
                    message: format!(
                        "表格行「{label}」中的数字「{cell}」疑似相邻单元格粘连，未采用"
                    ),
                },
            });
            return None;
        }
        let percent = cell.ends_with('%');
        // Without a header, the one number of a row under a caption
        // that states an amount unit (「表1 …（单位：元）」) is its amount.
        let lone_amount = self.columns.is_empty()
            && self.unit.is_some()
            && !self.other_figures
            && at.lone_cell
            && !percent;
        let column = self
            .columns
            .get(col + 1)
            .cloned()
            .or_else(|| lone_amount.then(|| "金额".to_string()));
        let kind = match self.cell_kind(column.as_deref(), percent) {
            Ok(kind) => kind?,
            Err(()) => {
                diagnostics.push(FactDiagnostic {
                    at: start,
                    token: label.to_string(),
                    diagnostic: Diagnostic {
                        kind: DiagnosticKind::UnreadTable,
                        page: None,
                        message: format!("表格行「{label}」的金额未注明单位，未采用"),
                    },
                });
                return None;
            }
        };
        let precision = match kind {
            FactKind::Points => Precision::Exact,
            FactKind::Score => Precision::AtLeast(2),
            _ => Precision::Digits,
        };
        let value = Stated::parse(cell.trim_end_matches('%'), precision)?;
        let level = match self.columns.first().map(String::as_str) {
            Some("一级指标") => Some(1),
            Some("二级指标") => Some(2),
            Some("三级指标") => Some(3),
            _ => None,
        };
        let (_, mut clean) = super::label::clean_label(label);
        if matches!(kind, FactKind::Amount(_)) {
            // 「二、项目支出」 is the row of 项目支出.
            if let Some(m) = ENUMERATION.find(&clean) {
                clean = clean[m.end()..].to_string();
            }
        }
        Some(Fact {
            kind,
            value: Some(value),
            label: clean,
            raw_label: label.to_string(),
            follows: String::new(),
            each: false,
            level,
            span: start..start + cell.len(),
            sentence: at.sentence,
            paragraph: at.para,
            column: column.or_else(|| percent.then(|| "占比".to_string())),
        })
    }

    /// A cell's kind by its column: Ok(None) for a column no fact is read
    /// from, Err for an amount column without a unit.
    fn cell_kind(&self, column: Option<&str>, percent: bool) -> Result<Option<FactKind>, ()> {
        Ok(Some(match (column, percent) {
            (_, true) => FactKind::Percent,
            (Some("分值" | "权重" | "满分"), _) => FactKind::Points,
            (Some("得分"), _) => FactKind::Score,
            (
                Some("金额" | "预算数" | "执行数" | "年初预算数" | "全年预算数" | "全年执行数"),
                _,
            ) => match self.unit {
                Some(u) => FactKind::Amount(u),
                None => return Err(()),
            },
            (Some("执行率" | "占比" | "比重"), false) => FactKind::Percent,
            _ => return Ok(None),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::segment;

    #[test]
    fn rows_with_header_and_caption_unit() {
        let t = "表1 2023年部门整体收支情况（单位：万元）\n项目金额占比\n收入合计10590.2 100%\n一般公共预算财政拨款收入10583.6 99.94%\n其他收入\n6.6\n0.06%\n表2 得分情况\n一级指标分值得分\n履职效能50 49.93\n合计100 98.92\n这是一段很长的正文，它结束了表格的上下文，因为它超过了四十个字符，所以不会被当成表格的一部分。";
        let seg = segment(t);
        let mut claims = Claims::default();
        crate::read::scoring::read(t, &seg, &mut claims);
        let mut out = Readings::default();
        read(t, &seg, &claims, &mut out);
        let got: Vec<String> = out
            .facts
            .iter()
            .map(|f| {
                format!(
                    "{:?}|{}|{}|{:?}",
                    f.kind,
                    f.label,
                    f.value.unwrap(),
                    f.level
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                "Amount(WanYuan)|收入合计|10590.2|None",
                "Percent|收入合计|100|None",
                "Amount(WanYuan)|一般公共预算财政拨款收入|10583.6|None",
                "Percent|一般公共预算财政拨款收入|99.94|None",
                "Amount(WanYuan)|其他收入|6.6|None",
                "Percent|其他收入|0.06|None",
                "Points|履职效能|50|Some(1)",
                "Score|履职效能|49.93|Some(1)",
                "Points|合计|100|Some(1)",
                "Score|合计|98.92|Some(1)",
            ]
        );
    }

    #[test]
    fn prose_is_not_a_row() {
        assert!(!is_table_line(
            "2023年广州市档案馆一级项目6个，二级项目21个，具体情况如下："
        ));
        assert!(!is_table_line("(1)运行经费支出1808.84万元"));
        assert!(is_table_line("一般公共预算财政拨款收入10583.6 99.94%"));
        assert!(is_table_line("6.6"));
    }
}
