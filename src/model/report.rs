//! The report model of one document: what a reviewer builds by hand —
//! income and its items with shares, expenditure and its items, the
//! execution rate, the indicator tree (levels, points, scores, deductions,
//! stated counts), the total score and grade, the projects of each unit
//! with amounts and counts, breakdowns, budget lines and year-on-year
//! changes. Every value keeps the statements it came from, so a quantity
//! stated twice can be compared ([`Quantity`]), and every finding can quote
//! its sentence.

use crate::model::composition::COMPOSITIONS;
use crate::model::quantity::{Grade, Quantity, Statement};
use crate::number::{Interval, Stated};
use rust_decimal::Decimal;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::ops::Range;

#[derive(Clone, Debug, Default, Serialize)]
pub struct Split {
    pub total: Quantity,
    pub items: Vec<SplitItem>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct SplitItem {
    pub name: String,
    pub amount: Quantity,
    pub share_percent: Quantity,
}

/// What a stated count counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Counted {
    /// 二级指标 N 个
    Level2,
    /// 三级指标 N 个
    Level3,
    /// N 个全部为满分
    FullMarks,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatedCount {
    pub counted: Counted,
    #[serde(rename = "stated")]
    pub value: StatementValue,
}

/// A statement serialized as its value only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementValue(pub Statement);

impl Serialize for StatementValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.value.serialize(s)
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Indicator {
    pub name: String,
    pub level: Option<u8>,
    #[serde(skip)]
    pub parent: Option<usize>,
    pub points: Quantity,
    pub score: Quantity,
    pub deduction: Quantity,
    /// Where the report says it scored full marks (得满分, 均为满分).
    #[serde(skip)]
    pub full_marks: Option<Range<usize>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_marks_sentence: Option<usize>,
    /// A rate stated for this indicator (e.g. its 支出进度), for SCR004.
    #[serde(skip_serializing_if = "Quantity::is_unstated")]
    pub rate_percent: Quantity,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub counts: Vec<StatedCount>,
    /// How the items under it are listed, which decides what their sums
    /// prove.
    #[serde(skip)]
    pub listing: Listing,
}

/// How an indicator's items are listed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Listing {
    /// The items the text names: the indicator states its own points and
    /// score, and the items may be only some of its items.
    #[default]
    Named,
    /// Every scored item, one per row under the indicator's merged cell (an
    /// indicator table): an indicator without a score of its own scores the
    /// sum of its items; the grouping of the rows is trusted where their
    /// points make the indicator's, and the indicator's points are checked
    /// against the 总分 rather than against its items.
    Every,
}

impl Indicator {
    /// Whether every scored item under it is listed (see [`Listing`]).
    pub fn lists_every_item(&self) -> bool {
        self.listing == Listing::Every
    }

    /// Whether the report says the score equals the points.
    pub fn has_full_marks(&self) -> bool {
        self.full_marks.is_some()
    }
}

#[derive(Clone, Debug, Default)]
pub struct Evaluation {
    pub total_score: Quantity,
    pub total_points: Quantity,
    pub grade: Option<(Grade, Range<usize>, usize)>,
    /// Flat, in order of first mention; `parent` links make the tree.
    pub indicators: Vec<Indicator>,
    /// Counts stated for the whole evaluation rather than one section.
    pub counts: Vec<StatedCount>,
}

impl Evaluation {
    pub fn children(&self, parent: usize) -> impl Iterator<Item = usize> + '_ {
        self.indicators
            .iter()
            .enumerate()
            .filter(move |(_, i)| i.parent == Some(parent))
            .map(|(k, _)| k)
    }

    /// Every indicator below `root`, depth first.
    pub fn descendants(&self, root: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = self.children(root).collect();
        stack.reverse();
        while let Some(i) = stack.pop() {
            out.push(i);
            let mut kids: Vec<usize> = self.children(i).collect();
            kids.reverse();
            stack.extend(kids);
        }
        out
    }

    /// The root above `i` (itself when it is a root).
    pub fn root_of(&self, mut i: usize) -> usize {
        for _ in 0..8 {
            match self.indicators[i].parent {
                Some(p) => i = p,
                None => break,
            }
        }
        i
    }

    pub fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        self.indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| i.parent.is_none())
            .map(|(k, _)| k)
    }

    /// The score to add up for an item: its score, or its points when the
    /// report says it has full marks.
    pub fn effective_score(&self, i: usize) -> Option<(Stated, Interval)> {
        let ind = &self.indicators[i];
        if let Some(s) = ind.score.get() {
            return Some((s.value, s.interval()));
        }
        if ind.has_full_marks() {
            let p = ind.points.get()?;
            return Some((p.value, p.interval()));
        }
        None
    }

    /// Whether the items listed under `root` match every 三级指标 count the
    /// report states for it (true when it states none).
    pub fn listing_complete(&self, root: usize) -> bool {
        let leaves = self.leaves(root).len();
        self.indicators[root]
            .counts
            .iter()
            .filter(|c| c.counted == Counted::Level3)
            .all(|c| c.value.0.value.value == Decimal::from(leaves))
    }

    /// Whether the points of `items` make the points of `parent`: Some(true)
    /// when every one is stated and their sum can equal the parent's (the
    /// listing is then confirmed complete), Some(false) when they are
    /// stated and cannot, None when a point is not stated.
    pub fn points_close(&self, parent: usize, items: &[usize]) -> Option<bool> {
        let total = self.indicators[parent].points.get()?;
        let sum = items
            .iter()
            .map(|&i| self.indicators[i].points.get().map(|p| p.interval()))
            .sum::<Option<Interval>>()?;
        Some(!items.is_empty() && sum.intersects(&total.interval()))
    }

    /// The level-3 (leaf) indicators under a root: the scored items.
    pub fn leaves(&self, root: usize) -> Vec<usize> {
        self.descendants(root)
            .into_iter()
            .filter(|&i| self.children(i).next().is_none() && self.indicators[i].level != Some(2))
            .collect()
    }
}

struct Node<'a> {
    ev: &'a Evaluation,
    at: usize,
}

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let ind = &self.ev.indicators[self.at];
        let kids: Vec<Node> = self
            .ev
            .children(self.at)
            .map(|at| Node { ev: self.ev, at })
            .collect();
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("name", &ind.name)?;
        m.serialize_entry("level", &ind.level)?;
        m.serialize_entry("points", &ind.points)?;
        // A full-marks item scores its points: the report says so.
        match (ind.score.get(), ind.has_full_marks()) {
            (None, true) => m.serialize_entry("score", &ind.points)?,
            _ => m.serialize_entry("score", &ind.score)?,
        }
        if ind.deduction.is_stated() {
            m.serialize_entry("deduction", &ind.deduction)?;
        }
        if ind.has_full_marks() {
            m.serialize_entry("full_marks", &true)?;
        }
        if ind.rate_percent.is_stated() {
            m.serialize_entry("rate_percent", &ind.rate_percent)?;
        }
        if !ind.counts.is_empty() {
            m.serialize_entry("counts", &ind.counts)?;
        }
        if !kids.is_empty() {
            m.serialize_entry("children", &kids)?;
        }
        m.end()
    }
}

impl Serialize for Evaluation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let roots: Vec<Node> = self.roots().map(|at| Node { ev: self, at }).collect();
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("total_score", &self.total_score)?;
        m.serialize_entry("total_points", &self.total_points)?;
        m.serialize_entry("grade", &self.grade.as_ref().map(|g| g.0))?;
        if !self.counts.is_empty() {
            m.serialize_entry("counts", &self.counts)?;
        }
        m.serialize_entry("indicators", &roots)?;
        m.end()
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Project {
    pub name: String,
    pub amount: Quantity,
    /// "含…8个二级项目"
    pub level2_count: Option<StatementValue>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct ProjectUnit {
    pub name: String,
    pub level1_count: Option<StatementValue>,
    pub level2_count: Option<StatementValue>,
    pub projects: Vec<Project>,
    /// The sentence that introduces the unit.
    #[serde(skip)]
    pub sentence: usize,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Projects {
    pub level1_count: Option<StatementValue>,
    pub level2_count: Option<StatementValue>,
    pub units: Vec<ProjectUnit>,
}

impl Projects {
    pub fn is_empty(&self) -> bool {
        self.units.is_empty() && self.level1_count.is_none() && self.level2_count.is_none()
    }

    pub fn all(&self) -> impl Iterator<Item = &Project> {
        self.units.iter().flat_map(|u| u.projects.iter())
    }
}

/// The report model of one document.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    pub income: Split,
    pub expenditure: Split,
    pub execution_rate_percent: Quantity,
    /// Budget and executed amounts, when stated, for RATE001.
    #[serde(skip_serializing_if = "Quantity::is_unstated")]
    pub budget: Quantity,
    #[serde(skip_serializing_if = "Quantity::is_unstated")]
    pub executed: Quantity,
    pub evaluation: Evaluation,
    pub projects: Projects,
    /// Scores stated with a grade for something other than the whole
    /// department (a project's self-evaluation), for GRD001.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub graded: Vec<Graded>,
    /// Year-on-year changes ("比上年增加 X 万元，增长 Y%"), for GRW001.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// The rows of a budget execution table (项目资金: 年度资金总额, then
    /// 当年财政拨款, 上年结转资金, 其他资金), for RATE001 and SUM001.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub budget_lines: Vec<BudgetLine>,
    /// The 预算数, 执行数 and 执行率 an enumerated project states, for RATE001.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub project_rates: Vec<BudgetLine>,
    /// Where a 收入总计 / 支出总计 is stated (it may include 年初结转和结余).
    #[serde(skip)]
    pub grand_totals: Vec<Range<usize>>,
    /// The standard tables of a 部门预算/决算 as found by their titles: kind,
    /// title, unit, page, the note of an empty table.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<super::table::TableEntry>,
    /// The 科目 tables of a 部门预算/决算 (rows by 科目编码), for TBL001.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subject_tables: Vec<super::table::SubjectTable>,
    /// What the narrative says of a 科目 of those tables, for TBL003.
    #[serde(skip)]
    pub subject_mentions: Vec<super::table::SubjectMention>,
    /// The bottom lines of the 收支总表, for TBL004.
    #[serde(skip)]
    pub balances: Vec<super::table::Balance>,
    /// The 收支总表 totals the narrative states, for TBL007.
    #[serde(skip)]
    pub total_mentions: Vec<super::table::TotalMention>,
    /// What the narrative says of the “三公” items, for TBL005.
    #[serde(skip)]
    pub three_public_mentions: Vec<super::table::ThreePublicMention>,
    /// Template text left unfilled in the narrative, for TPL001.
    #[serde(skip)]
    pub template_slips: Vec<super::table::TemplateSlip>,
    /// Totals broken into their parts (基本支出, “三公”经费…), for SUM001.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub breakdowns: Vec<Breakdown>,
    /// A total and the uses listed under it (「共完成预算资金89.97万元。其中：
    /// 30万元用于…；29.99万元用于…」), for SUM001.
    #[serde(skip)]
    pub purpose_lists: Vec<PurposeList>,
    /// An expenditure split again by a classification (「按支出功能分类：卫生
    /// 健康支出X万元，占Y%；…」), against the total stated last before it,
    /// for PCT001.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub classified_expenditure: Vec<Split>,
    /// A count followed by the names it counts (「设9个内设机构，分别为：
    /// 办公室、…」), for CNT001.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub named_lists: Vec<NamedList>,
    /// Quantities stated with different values, and what decided each:
    /// set by CON001's resolution before the rules run.
    #[serde(skip)]
    pub conflicts: Vec<Conflict>,
    /// Quantities read with three or more different values: a misreading
    /// (different quantities taken for one) rather than a contradiction,
    /// so not reported as one.
    #[serde(skip)]
    pub unconfirmed: Vec<Conflict>,
}

/// A total and the parts the report breaks it into (基本支出 = 人员经费 +
/// 公用经费), for SUM001.
#[derive(Clone, Debug, Serialize)]
pub struct Breakdown {
    pub name: String,
    #[serde(skip)]
    pub composition: usize,
    #[serde(serialize_with = "ser_statement")]
    pub total: Statement,
    pub parts: Vec<BreakdownPart>,
    #[serde(skip)]
    pub paragraph: usize,
}

impl Breakdown {
    /// Whether every part the composition requires is stated.
    pub fn is_complete(&self) -> bool {
        let comp = &COMPOSITIONS[self.composition];
        self.parts.len() >= 2
            && (0..comp.parts.len())
                .filter(|&k| comp.required >> k & 1 == 1)
                .all(|k| self.parts.iter().any(|p| p.slot == k))
    }
}

/// A total and the amounts listed under it by their use: 「共申请预算资金
/// 90万元。其中：30万元用于预算编制；30万元用于审计；30万元用于设计」.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurposeList {
    pub total: Statement,
    pub parts: Vec<Statement>,
}

#[derive(Clone, Debug, Serialize)]
pub struct BreakdownPart {
    pub name: String,
    #[serde(skip)]
    pub slot: usize,
    #[serde(serialize_with = "ser_statement")]
    pub amount: Statement,
    /// Its share of the total, when stated right after it (「因公出国（境）费
    /// 22.5万元，占8.75%」), for PCT001.
    #[serde(skip_serializing_if = "Quantity::is_unstated")]
    pub share_percent: Quantity,
}

/// One row of a budget execution table.
#[derive(Clone, Debug, Default, Serialize)]
pub struct BudgetLine {
    pub name: String,
    #[serde(skip_serializing_if = "Quantity::is_unstated")]
    pub initial_budget: Quantity,
    pub budget: Quantity,
    pub executed: Quantity,
    #[serde(skip_serializing_if = "Quantity::is_unstated")]
    pub rate_percent: Quantity,
    /// The row's own 分值 and 得分, where the table scores it.
    #[serde(skip_serializing_if = "Quantity::is_unstated")]
    pub points: Quantity,
    #[serde(skip_serializing_if = "Quantity::is_unstated")]
    pub score: Quantity,
}

/// A score and the grade stated with it ("…项目自评得分79.5分，绩效等级为良").
#[derive(Clone, Debug, Serialize)]
pub struct Graded {
    pub name: String,
    #[serde(serialize_with = "ser_statement")]
    pub score: Statement,
    pub grade: Grade,
    #[serde(skip)]
    pub grade_span: Range<usize>,
    #[serde(skip)]
    pub grade_sentence: usize,
}

/// A change against last year stated for an amount.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    pub name: String,
    #[serde(serialize_with = "ser_statement")]
    pub current: Statement,
    #[serde(serialize_with = "ser_opt_statement")]
    pub previous: Option<Statement>,
    #[serde(serialize_with = "ser_opt_statement")]
    pub delta: Option<Statement>,
    #[serde(serialize_with = "ser_opt_statement")]
    pub percent: Option<Statement>,
    pub increase: bool,
}

/// A count the report states, with the names it then gives for what it
/// counts: 「直属事业单位10个，即A、B、…」. `names` are the 、-separated
/// items; `joined` says whether the last one holds two joined by 和/及
/// (「B和C」), which may be one name or two.
#[derive(Clone, Debug, Serialize)]
pub struct NamedList {
    /// What is counted (内设机构, 直属事业单位).
    pub what: String,
    #[serde(serialize_with = "ser_statement")]
    pub count: Statement,
    pub names: Vec<String>,
    #[serde(skip)]
    pub joined: bool,
}

impl NamedList {
    /// How many names the list gives: as written, and with the last item
    /// split at its 和/及 (the same when it has none).
    pub fn listed(&self) -> (usize, usize) {
        let n = self.names.len();
        (n, n + usize::from(self.joined))
    }
}

fn ser_statement<S: Serializer>(st: &Statement, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&st.display())
}

fn ser_opt_statement<S: Serializer>(st: &Option<Statement>, s: S) -> Result<S::Ok, S::Error> {
    match st {
        Some(st) => s.collect_str(&st.display()),
        None => s.serialize_none(),
    }
}

/// A quantity stated with different values, and what decided it.
#[derive(Clone, Debug)]
pub struct Conflict {
    /// What the quantity is, for the message ("采购政策效能得分").
    pub name: String,
    pub statements: Vec<Statement>,
    /// Index of the statement the relations back, if they decide.
    pub chosen: Option<usize>,
    /// The relations that decided, as Chinese phrases.
    pub reasons: Vec<String>,
    /// Statements the reasons rely on, for evidence.
    pub support: Vec<Statement>,
    pub unit_word: &'static str,
}

impl Conflict {
    /// How many different values the statements give: statements whose
    /// intervals meet count as one value.
    pub fn values(&self) -> usize {
        let mut groups: Vec<&Statement> = Vec::new();
        for s in &self.statements {
            if !groups
                .iter()
                .any(|g| g.interval().intersects(&s.interval()))
            {
                groups.push(s);
            }
        }
        groups.len()
    }
}
