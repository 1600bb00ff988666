//! The reading context of assembly while it walks the facts in text order,
//! grouped by what each part follows: the outline of indicators, the
//! project, the split, the sentence and the paragraph's amounts.

use super::wholes::SplitKind;
use crate::model::*;
use std::collections::HashMap;
use std::ops::Range;

/// The reading context while walking the facts in text order.
#[derive(Default)]
pub(super) struct Assembler {
    pub(super) r: Report,
    /// The document is a budget (部门预算): its 支出预算 is a whole.
    pub(super) budget_doc: bool,
    /// The document reports on one budget's execution (a project's or a
    /// department's self-evaluation): its 预算数, 执行数 and 执行率 are the
    /// report's own. In a 决算 or a government report they are each of
    /// some item, and are not pooled as one.
    pub(super) own_rate: bool,
    /// The year the document reports on, as its title says.
    pub(super) year: Option<u32>,
    pub(super) outline: Outline,
    pub(super) place: ProjectPlace,
    pub(super) splits: Splits,
    pub(super) sentence: SentenceState,
    pub(super) amounts: ParagraphAmounts,
}

/// Where the reader is in the document's outline of indicators.
#[derive(Default)]
pub(super) struct Outline {
    /// The name a heading announced ("（二）履职效能分析" → 履职效能).
    pub(super) heading_name: Option<String>,
    /// The level-1 indicator whose section we are in.
    pub(super) section: Option<usize>,
    /// The level-2 indicator this paragraph is about.
    pub(super) level2: Option<usize>,
    /// The last numbered paragraph that opened with a name.
    pub(super) item: Option<NumberedItem>,
    /// This paragraph goes on a numbered list of the section's sub-items:
    /// its name is one of them even where it can also name a 一级指标.
    pub(super) list_item: bool,
}

/// A numbered paragraph that opened with a name (「1.产出指标。…」).
pub(super) struct NumberedItem {
    /// Numbered in brackets: 「（1）」 rather than 「1.」.
    pub(super) paren: bool,
    pub(super) number: u32,
    pub(super) name: String,
}

/// The project unit and project the reader is in.
#[derive(Default)]
pub(super) struct ProjectPlace {
    /// The unit (一级项目 heading) whose projects are listed.
    pub(super) unit: Option<usize>,
    /// The project of the unit being read: (unit, project).
    pub(super) project: Option<(usize, usize)>,
    /// The paragraph is an enumerated project's (「（1）…」).
    pub(super) in_project: bool,
    /// An enumerated project's name, and its budget, executed amount and
    /// rate as its paragraph states them.
    pub(super) name: Option<String>,
    pub(super) rate: BudgetLine,
}

/// The split (income, expenditure, a classification) being read, and the
/// wholes a classification may divide.
#[derive(Default)]
pub(super) struct Splits {
    pub(super) split: Option<SplitKind>,
    pub(super) last_item: Option<(SplitKind, usize)>,
    /// The part of a breakdown stated last (breakdown, part): a share
    /// right after it is its share of the breakdown's total.
    pub(super) last_part: Option<(usize, usize)>,
    /// The expenditure wholes stated in this section, one of which a
    /// classification that follows divides.
    pub(super) expense_wholes: Vec<Statement>,
    /// For each classified split, the wholes it may divide (see
    /// [`choose_wholes`]).
    pub(super) classified_wholes: Vec<Vec<Statement>>,
}

/// What the sentence has stated so far.
#[derive(Default)]
pub(super) struct SentenceState {
    /// The indicator the sentence is currently about.
    pub(super) current: Option<usize>,
    pub(super) inds: Vec<usize>,
    pub(super) level: Option<u8>,
    pub(super) last_amount: Option<(String, Statement)>,
    /// The last score the sentence stated: a grade in the same sentence is
    /// that score's grade.
    pub(super) last_score: Option<LastScore>,
    /// The first change pushed in this sentence.
    pub(super) changes: usize,
    /// The sentence opens with 其中 (its amounts are parts).
    pub(super) part: bool,
    /// Last year's amount stated before the sentence named its change or
    /// its current amount (「上年决算数为X万元，本年比上年增加Δ万元」), with
    /// its subject (empty for 上年决算数, 上年数).
    pub(super) pending_previous: Option<(String, Statement)>,
    /// The sentence speaks of a date within the year ("截至6月底").
    pub(super) interim: bool,
    /// Where (in the document's text) the sentence first says 分值, and
    /// whether a 分值 with its figure has been read in it: a bare 「得分X分」
    /// after a 分值 whose figure is missing is about an indicator whose
    /// name went with it, never the total.
    pub(super) points_word_at: Option<usize>,
    pub(super) points_read: bool,
}

/// A score a sentence stated, and whether it is the total.
pub(super) struct LastScore {
    pub(super) name: String,
    pub(super) score: Statement,
    pub(super) is_total: bool,
}

/// The amounts of the paragraph so far, and the change of each amount.
#[derive(Default)]
pub(super) struct ParagraphAmounts {
    /// With their labels: the current amount of a change stated in a
    /// sentence of its own. Each with whether it is a part (「其中…」, or in
    /// a sentence that opens with 其中), which a change naming only the year
    /// is not of.
    pub(super) in_paragraph: Vec<(String, Statement, bool)>,
    /// The same amounts by label, for the change that names its subject.
    pub(super) by_label: HashMap<String, Vec<Statement>>,
    /// The change of each current amount, by the amount's span.
    pub(super) change_at: HashMap<Range<usize>, usize>,
}
