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

/// The standard tables of a 部门预算/决算, by what they hold (their titles
/// vary by province and year: 「收支预算总表」, 「财务收支预算总表」,
/// 「收入支出决算总表」 are all [`TableKind::Overview`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// 收支预算总表, 财务收支预算总表, 收入支出决算总表: two-sided.
    Overview,
    /// 收入预算总表, 收入决算表.
    Income,
    /// 支出预算总表, 支出决算表.
    Spending,
    /// 动用上年结转和结余资金支出预算总表.
    CarryOverSpending,
    /// 财政拨款收支预算总表, 财政拨款收入支出决算总表: two-sided.
    FiscalOverview,
    /// 财政拨款支出预算表.
    FiscalSpending,
    /// 财政拨款基本支出预算表.
    FiscalBasic,
    /// 一般公共预算支出预算表, 一般公共预算财政拨款支出决算表, …功能分类预算表.
    GeneralSpending,
    /// 一般公共预算基本支出预算表 (经济分类), or 基本支出决算表 alone.
    GeneralBasic,
    /// “三公”经费 (and 会议费, 培训费, 机关运行经费) 支出预算/决算表.
    ThreePublic,
    /// 政府性基金 (预算财政拨款) 支出预算/决算表.
    GovernmentFund,
    /// 国有资本经营预算 (财政拨款) 支出预算/决算表.
    StateCapital,
    /// 一般公共预算机关运行经费支出预算表.
    OperatingCosts,
    /// 政府采购 (支出) 预算表.
    Procurement,
    /// 项目支出 (预算/绩效目标) 表.
    Project,
    /// Another table a 预算/决算 titles as such.
    Other,
}

impl TableKind {
    /// Recognises a table by the words of its title.
    pub fn of_title(title: &str) -> TableKind {
        let has = |w: &str| title.contains(w);
        if has("三公") {
            TableKind::ThreePublic
        } else if has("政府性基金") {
            TableKind::GovernmentFund
        } else if has("国有资本经营") {
            TableKind::StateCapital
        } else if has("机关运行经费") {
            TableKind::OperatingCosts
        } else if has("政府采购") {
            TableKind::Procurement
        } else if has("项目支出") || has("绩效目标") {
            TableKind::Project
        } else if has("结转和结余资金") {
            TableKind::CarryOverSpending
        } else if has("财政拨款收支") || has("财政拨款收入支出") {
            TableKind::FiscalOverview
        } else if has("一般公共预算") && has("基本支出") {
            TableKind::GeneralBasic
        } else if has("一般公共预算") && has("支出") {
            TableKind::GeneralSpending
        } else if has("财政拨款") && has("基本支出") {
            TableKind::FiscalBasic
        } else if has("基本支出") {
            // 「基本支出决算表」: the 经济分类 table without its prefix.
            TableKind::GeneralBasic
        } else if has("财政拨款") && has("支出") {
            TableKind::FiscalSpending
        } else if has("收支") || has("收入支出") {
            TableKind::Overview
        } else if has("收入") {
            TableKind::Income
        } else if has("支出") {
            TableKind::Spending
        } else {
            TableKind::Other
        }
    }
}

/// A standard table as found: its title, kind, unit and page, and the note
/// an empty table prints instead of rows (「此表为空」, 「本表无数据」).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TableEntry {
    pub kind: TableKind,
    /// The title as printed (a number before it kept: 「公开05表财政拨款支出预算表」).
    pub title: String,
    #[serde(serialize_with = "ser_unit")]
    pub unit: Option<Unit>,
    /// The page of its title.
    pub page: u32,
    /// The note that says the table is empty, where one is printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub empty_note: Option<String>,
    /// The 科目 rows read from it (see `subject_tables`); 0 for a table
    /// whose rows are not 科目 or are not read.
    pub subject_rows: usize,
    /// The figures of a table of one row, left to right as the text shows
    /// them (the “三公” table: 合计, its parts, 会议费, 培训费 or 机关运行经费;
    /// a blank cell is not seen), or of a 收支总表's 合计 and 总计 lines.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "ser_figures")]
    pub figures: Vec<Statement>,
    /// The 类 of a 收支总表's 支出 side, each with its (first) figure; a
    /// blank is a 类 the body does not spend on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<ClassAmount>,
    /// A 收支总表's 本年支出合计 (当年支出小计): what its 类 add to.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_opt_statement"
    )]
    pub spending_subtotal: Option<Statement>,
    /// The sources of a 收支总表's 收入 side (一、财政拨款收入 …), each with
    /// its figure.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<ClassAmount>,
    /// The 支出用途 of a 收支总表 that prints them (一、基本支出, 二、项目支出
    /// …): another split of its 本年支出合计.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub uses: Vec<ClassAmount>,
    /// A 收支总表's 本年收入合计 (当年收入小计): what its sources add to.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_opt_statement"
    )]
    pub income_subtotal: Option<Statement>,
    /// The 科目 tables read from it, as indices into `subject_tables`.
    #[serde(skip)]
    pub subjects: Vec<usize>,
    /// Where the title is in the normalized text.
    #[serde(skip)]
    pub at: usize,
}

fn ser_figures<S: Serializer>(figures: &[Statement], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(figures.iter().map(|c| c.value.to_string()))
}

/// What the narrative says of a “三公” item: 「公务接待费支出156.55万元」.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreePublicMention {
    /// 「“三公”经费」, 「因公出国（境）费」, 「公务用车购置及运行费」,
    /// 「公务用车购置费」, 「公务用车运行费」, 「公务接待费」, as written.
    pub item: String,
    pub amount: Statement,
}

/// A total the narrative states, with the table it is the total of: a
/// 收支总表's (「收入、支出预算总计17,996.68万元」: [`TableKind::Overview`];
/// 「财政拨款收入支出总计…」: [`TableKind::FiscalOverview`]) or a 支出
/// table's (「2017年一般公共预算财政拨款支出预算13,649.07万元」:
/// [`TableKind::GeneralSpending`]; 「…财政拨款基本支出预算7,666.68万元」:
/// [`TableKind::FiscalBasic`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TotalMention {
    pub table: TableKind,
    /// 「预算」 or 「决算」 where the statement says which (「支出预算」), to
    /// be compared only with a table of that phase.
    pub phase: Option<&'static str>,
    pub amount: Statement,
}

impl TableEntry {
    /// A table of `kind` titled `title`, nothing read from it yet.
    pub fn new(kind: TableKind, title: &str, unit: Option<Unit>) -> TableEntry {
        TableEntry {
            kind,
            title: title.to_string(),
            unit,
            page: 0,
            empty_note: None,
            subject_rows: 0,
            classes: Vec::new(),
            spending_subtotal: None,
            sources: Vec::new(),
            income_subtotal: None,
            uses: Vec::new(),
            subjects: Vec::new(),
            figures: Vec::new(),
            at: 0,
        }
    }
}

impl super::report::Report {
    /// The document's table of `kind`, when it holds exactly one.
    pub fn only_table(&self, kind: TableKind) -> Option<&TableEntry> {
        let mut of_kind = self.tables.iter().filter(|t| t.kind == kind);
        let first = of_kind.next()?;
        of_kind.next().is_none().then_some(first)
    }

    /// The 科目 table read from `entry`, when exactly one was.
    pub fn subject_table_of(&self, entry: &TableEntry) -> Option<&SubjectTable> {
        let [k] = entry.subjects.as_slice() else {
            return None;
        };
        self.subject_tables.get(*k)
    }
}

/// A 类 on the 支出 side of a 收支总表, and its figure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClassAmount {
    pub name: String,
    #[serde(serialize_with = "ser_opt_statement")]
    pub amount: Option<Statement>,
}

fn ser_opt_statement<S: Serializer>(st: &Option<Statement>, s: S) -> Result<S::Ok, S::Error> {
    match st {
        Some(st) => s.serialize_str(&st.value.to_string()),
        None => s.serialize_none(),
    }
}
