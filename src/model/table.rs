//! The standard tables of a 部门预算 or 部门决算 as read: a table of rows
//! by 科目 (功能分类 or 经济分类), each with its 科目编码, name and cells.

use super::quantity::{Statement, Unit};
use serde::{Serialize, Serializer};

/// A table whose rows are 科目: 类 (3-digit code), 款 (5), 项 (7).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SubjectTable {
    /// The title as printed before it (「表五财政拨款支出预算表」), or empty
    /// when none was found.
    pub title: String,
    #[serde(serialize_with = "ser_unit")]
    pub unit: Option<Unit>,
    /// The page of its first row.
    pub page: u32,
    pub rows: Vec<SubjectRow>,
    /// The 合计 row (its code empty), where the table prints one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<SubjectRow>,
}

/// A row of a [`SubjectTable`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SubjectRow {
    /// 科目编码: 3 digits for a 类, 5 for a 款, 7 for a 项.
    pub code: String,
    pub name: String,
    /// The row's figures left to right; `None` for an empty cell's mark
    /// (`-`). Cells left blank are not seen in the text, so a row may have
    /// fewer cells than the table has columns.
    #[serde(serialize_with = "ser_cells")]
    pub cells: Vec<Option<Statement>>,
}

impl SubjectTable {
    /// The most cells any row has: the table's columns of figures, as far
    /// as the text shows them.
    pub fn width(&self) -> usize {
        self.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0)
    }

    /// The rows one level below row `i` (款 under a 类, 项 under a 款),
    /// as the table lists them after it.
    pub fn children(&self, i: usize) -> Vec<&SubjectRow> {
        let parent = &self.rows[i].code;
        self.rows[i + 1..]
            .iter()
            .take_while(|r| r.code.len() > parent.len() && r.code.starts_with(parent.as_str()))
            .filter(|r| r.code.len() == parent.len() + 2)
            .collect()
    }
}

fn ser_unit<S: Serializer>(u: &Option<Unit>, s: S) -> Result<S::Ok, S::Error> {
    match u {
        Some(u) => s.serialize_str(u.as_str()),
        None => s.serialize_none(),
    }
}

fn ser_cells<S: Serializer>(cells: &[Option<Statement>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(
        cells
            .iter()
            .map(|c| c.as_ref().map(|c| c.value.to_string())),
    )
}

/// What the narrative says of one 科目 in the section that explains a
/// table: 「政协事务（款）行政运行（项）支出3,233.03万元」 under
/// 「财政拨款支出预算表情况说明」.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubjectMention {
    /// The table the section explains, as its heading names it.
    pub table: String,
    /// The 科目 named, outermost first, with their levels as code lengths
    /// (类 3, 款 5, 项 7).
    pub chain: Vec<(String, usize)>,
    pub amount: Statement,
}

/// The bottom line of a 收支总表: its income side and its spending side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Balance {
    /// 收入总计, 收入合计 or 总计, as written.
    pub income_label: String,
    pub income: Statement,
    /// 支出总计, 支出合计 or 总计.
    pub spending_label: String,
    pub spending: Statement,
}

/// What kind of template text was left unfilled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateSlipKind {
    /// 「主要原因是。」: the reason left empty.
    EmptyReason,
    /// 「增加（减少）」 before a change that is not zero.
    Alternatives,
    /// 「XX万元」, 「待填写」.
    Placeholder,
}

/// Template text left in the narrative, where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateSlip {
    pub kind: TemplateSlipKind,
    pub text: String,
    pub span: std::ops::Range<usize>,
    pub sentence: usize,
}
