//! Read: the normalized text → what it states, by one reader per
//! structure, in one forward pass.
//!
//! 1. The scoring tables of a self-evaluation form ([`scoring`]: the budget
//!    execution table and the indicator table) are read first; each line
//!    they read is theirs ([`Claims`]).
//! 2. Prose ([`prose`]) reads every sentence that is not a table line; in
//!    a claimed paragraph it keeps only the markers (得满分, 等级为优).
//! 3. Flat tables ([`flat_table`]: a label and number cells per line,
//!    columns named by a header) read the table lines nobody claimed.
//!
//! No reader deletes another's output. The facts come out in text order;
//! what could not be read comes out as diagnostics.

pub mod balance;
pub mod classify;
pub mod document;
pub mod fact;
pub mod flat_table;
pub mod label;
pub mod names;
pub mod prose;
pub mod purpose_list;
pub mod scoring;
pub mod subject_table;
pub mod subject_text;
pub mod table_index;
pub mod template;
pub mod three_public;
pub mod total_text;

pub use fact::{Fact, FactDiagnostic, FactKind};

use crate::model::{Diagnostic, DiagnosticKind, Statement, Unit};
use crate::number::{Precision, Stated};
use crate::segment::Segments;
use crate::text::{KindSource, LineInfo, LineKind};
use scoring::ScoringTables;

/// The paragraphs (lines) a table reader has read: the figures in them
/// are that reader's, and no other reader takes figures from them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Claims {
    claimed: Vec<bool>,
}

impl Claims {
    /// Claims paragraph `para`.
    pub fn claim(&mut self, para: usize) {
        if self.claimed.len() <= para {
            self.claimed.resize(para + 1, false);
        }
        self.claimed[para] = true;
    }

    /// Whether a table reader claimed paragraph `para`.
    pub fn contains(&self, para: usize) -> bool {
        self.claimed.get(para).copied().unwrap_or(false)
    }
}

/// Everything the readers read from one document.
#[derive(Clone, Debug, Default)]
pub struct Readings {
    /// The facts of prose and flat tables, in text order.
    pub facts: Vec<Fact>,
    /// What could not be used, where, and why.
    pub diagnostics: Vec<FactDiagnostic>,
    /// The budget execution and indicator tables of a self-evaluation form.
    pub tables: ScoringTables,
    /// The lines the scoring tables read.
    pub claims: Claims,
    /// The standard tables of a 部门预算/决算, by title.
    pub index: Vec<crate::model::TableEntry>,
    /// The 科目 tables of a 部门预算/决算.
    pub subjects: Vec<crate::model::SubjectTable>,
    /// What the narrative says of their 科目.
    pub mentions: Vec<crate::model::SubjectMention>,
    /// The bottom lines of the 收支总表.
    pub balances: Vec<crate::model::Balance>,
    /// What the narrative says of the “三公” items.
    pub three_public: Vec<crate::model::ThreePublicMention>,
    /// Totals and the uses listed under them.
    pub purposes: Vec<crate::model::PurposeList>,
    /// The 收支总表 totals the narrative states.
    pub totals: Vec<crate::model::TotalMention>,
    /// Template text left unfilled.
    pub slips: Vec<crate::model::TemplateSlip>,
}

/// Reads every structure of the document; see the module docs.
pub fn read(text: &str, seg: &Segments, lines: &[LineInfo]) -> Readings {
    let mut claims = Claims::default();
    let tables = scoring::read(text, seg, &mut claims);
    let mut out = Readings::default();
    prose::read(text, seg, lines, &claims, &mut out);
    for &pi in &tables.unread {
        let line = &text[seg.paragraphs[pi].span.clone()];
        out.diagnostics.push(FactDiagnostic {
            at: seg.paragraphs[pi].span.start,
            token: line.to_string(),
            diagnostic: Diagnostic {
                kind: DiagnosticKind::UnreadTable,
                page: None,
                message: format!(
                    "项目资金表的行「{line}」无法按列读取（单元格数字可能粘连），其执行率和金额未被检查"
                ),
            },
        });
    }
    flat_table::read(text, seg, &claims, &mut out);
    out.subjects = subject_table::read(text, seg);
    out.index = table_index::read(text, seg, &out.subjects);
    out.mentions = subject_text::read(text, seg);
    out.balances = balance::read(text, seg);
    out.slips = template::read(text, seg);
    out.three_public = three_public::read(text, seg);
    out.totals = total_text::read(text, seg);
    out.purposes = purpose_list::read(text, seg);
    out.facts.sort_by_key(|f| f.span.start);
    out.tables = tables;
    out.claims = claims;
    out
}

/// One figure at byte `at` of the text, in the sentence that holds it (the
/// search starts at sentence `first`); `None` for an empty cell's mark or
/// what is no number.
pub(crate) fn figure_at(
    tok: &str,
    at: usize,
    unit: Option<Unit>,
    seg: &Segments,
    first: usize,
) -> Option<Statement> {
    let value = Stated::parse(tok, Precision::Digits)?;
    let span = at..at + tok.len();
    let sentence = seg
        .sentences
        .iter()
        .enumerate()
        .skip(first)
        .find(|(_, s)| s.span.contains(&span.start))
        .map_or(first, |(i, _)| i);
    Some(Statement {
        value,
        unit,
        span,
        sentence,
    })
}

/// The items of a reader kept only when they are of the latest year any
/// of them names (an item naming none is kept): a 2017 budget's
/// 「2016年…」 states last year's figure.
pub(crate) fn of_latest_year<T>(found: Vec<(Option<u32>, T)>) -> Vec<T> {
    let latest = found.iter().filter_map(|f| f.0).max();
    found
        .into_iter()
        .filter(|(y, _)| y.is_none() || *y == latest)
        .map(|(_, t)| t)
        .collect()
}

/// Whether a paragraph (a line of the normalized text) is a table row that
/// the readers of prose leave alone: a row of a ruled table, as the page's
/// geometry shows it, or a line shaped like a flat table's row (a label
/// and number cells, see [`flat_table::is_table_line`]). `line` is the
/// paragraph's [`LineInfo`], when the text came with them.
pub fn is_table_row(paragraph: &str, line: Option<&LineInfo>) -> bool {
    let ruled = line
        .is_some_and(|l| l.source == KindSource::Ruling && matches!(l.kind, LineKind::Row { .. }));
    ruled || flat_table::is_table_line(paragraph)
}
