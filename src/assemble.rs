//! Assemble: facts → the report model.
//!
//! The model is what a reviewer builds by hand: income and its items with
//! shares, expenditure and its items, the execution rate, the indicator
//! tree (levels, points, scores, deductions, stated counts), the total
//! score and grade, and the projects of each unit with amounts and counts.
//! Every value keeps the statements it came from, so a quantity stated
//! twice can be compared ([`Quantity`]), and every finding can quote its
//! sentence.

use crate::model::composition::COMPOSITIONS;
use crate::model::*;
use crate::number::Interval;
use crate::read::document::is_budget;
use crate::read::flat_table::is_table_line;
use crate::read::scoring::{Cell, ScoringTables};
use crate::read::{Fact, FactKind, Readings};
use crate::segment::Segments;
use regex::Regex;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

/// The change words of a label: Some(true) for an increase, Some(false)
/// for a decrease, None when it is not a change.
fn change_direction(raw: &str) -> Option<bool> {
    let against = ["比上年", "较上年", "同比", "比去年", "较去年"]
        .iter()
        .any(|k| raw.contains(k));
    let up = ["增加", "增长", "上升", "提高"]
        .iter()
        .any(|k| raw.contains(k));
    let down = ["减少", "下降", "降低"].iter().any(|k| raw.contains(k));
    match (up, down) {
        (true, false) if against || raw.ends_with("增加") || raw.ends_with("增长") => {
            Some(true)
        }
        (false, true) if against || raw.ends_with("减少") || raw.ends_with("下降") => {
            Some(false)
        }
        _ => None,
    }
}

/// What a change's label names before its change words, without the
/// year: 「公务用车运行维护费较上年减少」 → 公务用车运行维护费, 「本年比上年增加」
/// → nothing.
fn change_subject(label: &str) -> &str {
    let cut = [
        "与上年相比",
        "和上年相比",
        "比上年",
        "较上年",
        "同比",
        "比去年",
        "较去年",
        "增加",
        "增长",
        "上升",
        "提高",
        "减少",
        "下降",
        "降低",
    ]
    .iter()
    .filter_map(|k| label.find(k))
    .min()
    .unwrap_or(label.len());
    let s = label[..cut].trim_matches(crate::text::is_punct);
    let s = ["本年度", "本年", "今年", "当年"]
        .iter()
        .find_map(|y| s.strip_prefix(y))
        .unwrap_or(s);
    s.trim_matches(crate::text::is_punct)
}

struct Patterns {
    classification: Regex,
    heading: Regex,
    top_heading: Regex,
    level2_marker: Regex,
    interim: Regex,
    unit_heading: Regex,
    project_para: Regex,
    item_lead: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        classification: Regex::new(
            r"^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*)?[从按](?:支出)?(?:功能|经济)(?:科目)?分类",
        )
        .unwrap(),
        heading: Regex::new(
            r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.、])\s*([^，。；：\d]{2,12}?)(?:分析|情况)?$",
        )
        .unwrap(),
        top_heading: Regex::new(r"^[一二三四五六七八九十]+、").unwrap(),
        // A rate as of a date within the year is not the year's rate.
        interim: Regex::new(r"截[至止]\d{1,2}月|\d{1,2}月(?:底|末|份)|上半年|前三季度|第[一二三]季度|序时进度").unwrap(),
        level2_marker: Regex::new(r"^(?:\d+[.、．]\s*)?二级指标([^\d，,；。：:、]{1,20})[，,：:]").unwrap(),
        unit_heading: Regex::new(r"^\d+[.、．]\s*(.+?)一级项目").unwrap(),
        project_para: Regex::new(r"^[（(]\d+[)）]").unwrap(),
        // 「1.产出指标。…」, 「4.成本指标（权重5分）。…」: a numbered paragraph
        // that opens with the name of what it is about.
        item_lead: Regex::new(
            r"^(\d+[.、．]|[（(][一二三四五六七八九十\d]+[)）])\s*([^，。；：:\d（(]{2,12}?)(?:[（(][^）)]*[)）])?[。：:]",
        )
        .unwrap(),
    })
}

/// Level-1 indicator names used across the bureau's templates.
const LEVEL1_NAMES: &[&str] = &[
    "履职效能",
    "管理效率",
    "决策",
    "过程",
    "产出",
    "效益",
    "满意度",
    "产出指标",
    "效益指标",
    "满意度指标",
    "成本指标",
    "社会效益",
    "经济效益",
    "生态效益",
    "预算执行",
    "预算执行率",
];

/// Labels that name the total score rather than an indicator.
const TOTAL_LABELS: &[&str] = &[
    "综合",
    "总",
    "自评总",
    "最终",
    "整体",
    "部门整体",
    "",
    "整体支出绩效",
    "绩效",
    "整体绩效",
    "部门整体绩效",
    "部门整体支出绩效",
    "绩效自评",
    "自评",
    "总分",
    "总得分",
    "综合得分",
    "合计",
    "总计",
    "自评总分",
    "绩效评价",
    "评价",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum SplitKind {
    Income,
    Expenditure,
    /// The expenditure split by a classification, an index into
    /// [`Report::classified_expenditure`].
    Classified(usize),
}

/// Whether an amount so labelled is a whole that an expenditure
/// classification may divide: 支出合计 and the like, a 财政拨款支出, a
/// department's 支出预算.
fn is_expenditure_whole(label: &str) -> bool {
    !label.contains("采购")
        && (EXPENSE_TOTAL.iter().any(|k| label.ends_with(k))
            || label.ends_with("财政拨款支出")
            || label == "支出预算"
            || label.ends_with("部门支出预算"))
}

const EXPENSE_TOTAL: &[&str] = &["支出合计", "总支出", "支出总计", "支出总额", "本年支出合计"];

/// Builds the report model from the facts, reading the paragraph structure
/// (headings, enumerated units and projects) from the text.
pub fn assemble(text: &str, seg: &Segments, facts: &Readings) -> Report {
    let mut a = Assembler {
        budget_doc: is_budget(text),
        ..Assembler::default()
    };
    let mut fi = 0;
    let mut table_block = false;
    for para in &seg.paragraphs {
        let line = &text[para.span.clone()];
        let is_table = is_table_line(line);
        a.paragraph(line, para.sentences.start, is_table && table_block);
        table_block = is_table;
        for si in para.sentences.clone() {
            a.sentence(&text[seg.sentences[si].span.clone()]);
            while fi < facts.facts.len() && facts.facts[fi].sentence < si {
                fi += 1; // cannot happen with ordered facts; never stall
            }
            let end = fi + facts.facts[fi..].partition_point(|f| f.sentence == si);
            let listed = listed_projects(text, &facts.facts[fi..end], line, si);
            let mut taken: &[Range<usize>] = &[];
            if let Some((unit, spans)) = &listed {
                a.r.projects.units.push(unit.clone());
                taken = spans;
            }
            for f in &facts.facts[fi..end] {
                if !taken.contains(&f.span) {
                    a.fact(f, si, line, is_table);
                }
            }
            fi = end;
        }
    }
    a.flush_project_rate();
    choose_wholes(&mut a.r, &a.classified_wholes);
    let mut r = a.r;
    // A total with no part stated is not a breakdown.
    r.breakdowns.retain(|b| !b.parts.is_empty());
    // A 决算's 收入总计 adds 年初结转和结余 to the 本年收入合计: where the
    // report speaks of 结转/结余 and both are stated and differ, they are
    // two quantities, and the items add up to the 本年 one.
    let carry_over =
        text.contains("结转和结余") || text.contains("年初结转") || text.contains("年末结转");
    for split in [&mut r.income, &mut r.expenditure]
        .into_iter()
        .filter(|_| carry_over)
    {
        let t = &mut split.total;
        let (grand, own): (Vec<_>, Vec<_>) = t
            .statements
            .iter()
            .cloned()
            .partition(|s| r.grand_totals.contains(&s.span));
        if !grand.is_empty() && !own.is_empty() && t.is_conflicting() {
            t.statements = own;
        }
    }
    apply_tables(&mut r, &facts.tables);
    infer_levels(&mut r.evaluation);
    r
}

/// A classification divides one of the wholes stated before it in its
/// section (支出合计, 财政拨款支出, …): the one its items add up to; where
/// they add up to none, the last stated — unless the shares fit another
/// whole, when which whole is meant is unknown and the split is left out.
fn choose_wholes(r: &mut Report, wholes: &[Vec<Statement>]) {
    let mut keep = vec![true; r.classified_expenditure.len()];
    for (j, split) in r.classified_expenditure.iter_mut().enumerate() {
        let Some(cands) = wholes.get(j).filter(|c| c.len() > 1) else {
            continue;
        };
        let amounts: Option<Vec<&Statement>> =
            split.items.iter().map(|it| it.amount.get()).collect();
        let sum = amounts.as_ref().and_then(|a| {
            a.iter()
                .try_fold(Interval::zero(), |acc, s| {
                    let i = s.interval();
                    Some(Interval {
                        lo: acc.lo.checked_add(i.lo)?,
                        hi: acc.hi.checked_add(i.hi)?,
                    })
                })
                .filter(|_| !a.is_empty())
        });
        if let Some(w) =
            sum.and_then(|sum| cands.iter().rev().find(|w| w.interval().intersects(&sum)))
        {
            let mut total = Quantity::default();
            total.push(w.clone());
            split.total = total;
            continue;
        }
        // The shares as stated, against each other whole.
        let last = cands.last().unwrap();
        let fits = |w: &Statement| {
            let wi = w.interval();
            let mut any = false;
            for it in &split.items {
                let (Some(a), Some(p)) = (it.amount.get(), it.share_percent.get()) else {
                    continue;
                };
                let (ai, pi) = (a.interval(), p.interval());
                // a / w × 100 within the share's interval, at its rounding.
                let lo = ai
                    .lo
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .and_then(|x| x.checked_div(wi.hi));
                let hi = ai
                    .hi
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .and_then(|x| x.checked_div(wi.lo));
                match (lo, hi) {
                    (Some(lo), Some(hi)) if lo <= pi.hi && pi.lo <= hi => any = true,
                    _ => return false,
                }
            }
            any
        };
        if cands.iter().any(|w| w.span != last.span && fits(w)) && !fits(last) {
            keep[j] = false;
        }
    }
    let mut j = 0;
    r.classified_expenditure.retain(|_| {
        j += 1;
        keep[j - 1]
    });
}

/// 「一级项目五个，具体为：A经费806.52万元，B经费238.17万元，…」: a
/// sentence that counts the 一级项目 and then names as many amounts lists
/// the projects with their amounts (in a unit of its own, so that their
/// sum is checked against 项目支出). A listing that says it is partial
/// (主要, 部分), or whose amounts are not all named as projects (涉及资金,
/// 实际支出, a change), or are not as many as counted, is not one. Returns
/// the unit and the spans of the amounts it took.
fn listed_projects(
    text: &str,
    fs: &[Fact],
    line: &str,
    si: usize,
) -> Option<(ProjectUnit, Vec<Range<usize>>)> {
    let p = patterns();
    if p.unit_heading.is_match(line) || p.project_para.is_match(line) {
        return None;
    }
    let k = fs.iter().position(|f| {
        f.kind == FactKind::Count
            && (f.label.ends_with("一级项目") || f.follows.starts_with("一级项目"))
    })?;
    let count = fs[k].value?.value;
    let amounts: Vec<&Fact> = fs[k + 1..]
        .iter()
        .filter(|f| matches!(f.kind, FactKind::Amount(_)))
        .collect();
    if amounts.len() < 2 || Decimal::from(amounts.len()) != count {
        return None;
    }
    let intro = text.get(fs[k].span.end..amounts[0].span.start)?;
    if ["主要", "部分"].iter().any(|w| intro.contains(w)) {
        return None;
    }
    // A list says it is one (「具体为」, 「分别为」, 「包括」, 「：」); amounts
    // that merely follow the count (「资金总额X万元，到位资金Y万元」) are not.
    if !["具体为", "分别为", "包括", "：", ":"]
        .iter()
        .any(|w| intro.contains(w))
    {
        return None;
    }
    const NOT_A_PROJECT: &[&str] = &[
        "合计", "共计", "总计", "累计", "涉及", "预算", "执行", "实际", "结转", "结余", "支出",
        "资金", "总额", "到位", "安排", "下达", "拨付",
    ];
    // A 「其中」 amount is a part of the one before it, not a project.
    let part = |f: &Fact| {
        let raw = f.raw_label.trim_start_matches(crate::text::is_punct);
        let before = text.get(..f.span.start).unwrap_or_default();
        let clause = before.rsplit(['，', '；', '。']).next().unwrap_or_default();
        raw.starts_with("其中") || clause.contains("其中")
    };
    let named = amounts.iter().all(|f| {
        !f.label.is_empty()
            && !part(f)
            && change_direction(&f.raw_label).is_none()
            && !NOT_A_PROJECT.iter().any(|w| f.label.contains(w))
    });
    if !named {
        return None;
    }
    let projects = amounts
        .iter()
        .map(|f| {
            let mut amount = Quantity::default();
            amount.push(f.statement()?);
            Some(Project {
                name: f.label.clone(),
                amount,
                level2_count: None,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some((
        ProjectUnit {
            name: String::new(),
            sentence: si,
            projects,
            ..ProjectUnit::default()
        },
        amounts.iter().map(|f| f.span.clone()).collect(),
    ))
}

fn cell_statement(c: &Cell, unit: Option<Unit>) -> Statement {
    Statement {
        value: c.value,
        unit,
        span: c.span.clone(),
        sentence: c.sentence,
    }
}

/// Puts the scoring tables into the model: the budget rows (the first is
/// the project's budget, executed amount and rate, and its 分值/得分 the
/// 预算执行率 indicator), the indicator rows as a tree under their 一级指标,
/// and the 总分 row as the total.
fn apply_tables(r: &mut Report, t: &ScoringTables) {
    let st = |c: &Option<Cell>, unit: Option<Unit>| c.as_ref().map(|c| cell_statement(c, unit));
    // The first row must be the total (年度资金总额), not a source of funds
    // whose total row could not be read.
    let sub_row = |n: &str| {
        ["财政拨款", "结转", "其他", "自筹"]
            .iter()
            .any(|k| n.contains(k))
    };
    let usable = !t.scrambled_budget && t.budget.first().is_some_and(|r| !sub_row(&r.name));
    for (k, row) in t.budget.iter().enumerate().filter(|_| usable) {
        let mut line = BudgetLine {
            name: row.name.clone(),
            ..BudgetLine::default()
        };
        let fill = |q: &mut Quantity, s: Option<Statement>| {
            if let Some(s) = s {
                q.push(s);
            }
        };
        fill(&mut line.initial_budget, st(&row.initial, row.unit));
        fill(&mut line.budget, st(&row.budget, row.unit));
        fill(&mut line.executed, st(&row.executed, row.unit));
        fill(&mut line.rate_percent, st(&row.rate, None));
        if k == 0 {
            fill(&mut r.budget, st(&row.budget, row.unit));
            fill(&mut r.executed, st(&row.executed, row.unit));
            fill(&mut r.execution_rate_percent, st(&row.rate, None));
            if row.points.is_some() || row.score.is_some() {
                let ev = &mut r.evaluation;
                let i = find_or_create(ev, "预算执行率", Some(1), None, None);
                let ind = &mut ev.indicators[i];
                ind.from_table = true;
                fill(&mut ind.points, st(&row.points, None));
                fill(&mut ind.score, st(&row.score, None));
                fill(&mut ind.rate_percent, st(&row.rate, None));
            }
        }
        r.budget_lines.push(line);
    }
    let ev = &mut r.evaluation;
    for row in &t.indicators {
        let l1 = row.level1.as_deref().map(|n| {
            let i = find_or_create(ev, n, Some(1), None, None);
            ev.indicators[i].from_table = true;
            i
        });
        let l2 = row.level2.as_deref().map(|n| {
            let i = find_or_create(ev, n, Some(2), l1, l1);
            ev.indicators[i].from_table = true;
            i
        });
        let mut i = find_or_create(ev, &row.name, Some(3), l2.or(l1), l1);
        if Some(i) == l2 {
            // A 三级指标 named as its 二级指标 (预算执行率 under 预算执行率).
            ev.indicators.push(Indicator {
                name: row.name.clone(),
                level: Some(3),
                parent: l2,
                ..Indicator::default()
            });
            i = ev.indicators.len() - 1;
        }
        let ind = &mut ev.indicators[i];
        ind.from_table = true;
        if let Some(p) = st(&row.points, None) {
            ind.points.push(p);
        }
        if let Some(s) = st(&row.score, None) {
            ind.score.push(s);
        }
        if let Some(d) = st(&row.deduction, None) {
            ind.deduction.push(d);
        }
    }
    for row in &t.level1 {
        let i = find_or_create(ev, &row.name, Some(1), None, None);
        let ind = &mut ev.indicators[i];
        ind.from_table = true;
        if let Some(p) = st(&row.points, None) {
            ind.points.push(p);
        }
        if let Some(s) = st(&row.score, None) {
            ind.score.push(s);
        }
    }
    if let Some(p) = st(&t.total_points, None) {
        ev.total_points.push(p);
    }
    if let Some(s) = st(&t.total_score, None) {
        ev.total_score.push(s);
    }
    if let (None, Some(g)) = (&ev.grade, &t.grade) {
        ev.grade = Some(g.clone());
    }
}

/// The reading context while walking the facts in text order.
#[derive(Default)]
struct Assembler {
    r: Report,
    /// The name a heading announced ("（二）履职效能分析" → 履职效能).
    heading_name: Option<String>,
    /// The level-1 indicator whose section we are in.
    section: Option<usize>,
    /// The level-2 indicator this paragraph is about.
    level2: Option<usize>,
    unit: Option<usize>,
    project: Option<(usize, usize)>,
    project_para: bool,
    split: Option<SplitKind>,
    last_item: Option<(SplitKind, usize)>,
    /// The indicator the sentence is currently about.
    current: Option<usize>,
    sentence_inds: Vec<usize>,
    sentence_level: Option<u8>,
    last_amount: Option<(String, Statement)>,
    /// The amounts of the paragraph so far, with their labels: the current
    /// amount of a change stated in a sentence of its own.
    /// Each with whether it is a part (「其中…」, or in a sentence that
    /// opens with 其中), which a change naming only the year is not of.
    para_amounts: Vec<(String, Statement, bool)>,
    /// The same amounts by label, for the change that names its subject.
    para_by_label: HashMap<String, Vec<Statement>>,
    /// The change of each current amount, by the amount's span.
    change_at: HashMap<Range<usize>, usize>,
    /// The first change pushed in this sentence.
    sentence_changes: usize,
    /// The sentence opens with 其中 (its amounts are parts).
    sentence_part: bool,
    /// Last year's amount stated before the sentence named its change or
    /// its current amount (「上年决算数为X万元，本年比上年增加Δ万元」), with
    /// its subject (empty for 上年决算数, 上年数).
    pending_previous: Option<(String, Statement)>,
    /// The expenditure wholes stated in this section, one of which a
    /// classification that follows divides.
    expense_wholes: Vec<Statement>,
    /// For each classified split, the wholes it may divide (see
    /// [`choose_wholes`]).
    classified_wholes: Vec<Vec<Statement>>,
    /// The document is a budget (部门预算): its 支出预算 is a whole.
    budget_doc: bool,
    /// The sentence speaks of a date within the year ("截至6月底").
    interim: bool,
    /// An enumerated project's name, and its budget, executed amount and
    /// rate as its paragraph states them.
    project_name: Option<String>,
    project_rate: BudgetLine,
    /// The last score the sentence stated: its name, and whether it is the
    /// total; a grade in the same sentence is that score's grade.
    last_score: Option<(String, Statement, bool)>,
    /// The last numbered paragraph that opened with a name: its numbering
    /// style (parenthesized or not), number and name.
    item: Option<(bool, u32, String)>,
    /// This paragraph goes on a numbered list of the section's sub-items:
    /// its name is one of them even where it can also name a 一级指标.
    list_item: bool,
}

impl Assembler {
    fn paragraph(&mut self, line: &str, first_sentence: usize, continues_table: bool) {
        let p = patterns();
        if !continues_table {
            self.split = None;
            self.last_item = None;
        }
        self.level2 = None;
        self.project = None;
        self.list_item = false;
        self.para_amounts.clear();
        self.para_by_label.clear();
        if p.top_heading.is_match(line) && line.chars().count() <= 30 {
            self.section = None;
            self.heading_name = None;
            self.item = None;
            self.expense_wholes.clear();
        }
        if let Some(c) = p.heading.captures(line) {
            self.item = None;
            self.heading_name = Some(c[1].to_string());
            // 「（二）履职效能」: the section of a level-1 indicator starts at
            // its heading, before any sentence scores it.
            let ev = &mut self.r.evaluation;
            let known = ev
                .indicators
                .iter()
                .any(|i| i.level == Some(1) && i.name == c[1]);
            if known || LEVEL1_NAMES.contains(&&c[1]) {
                self.section = Some(find_or_create(ev, &c[1], Some(1), None, None));
            }
        }
        if let Some(c) = p.item_lead.captures(line) {
            self.item_lead(&c[1], &c[2]);
        }
        if let Some(c) = p.level2_marker.captures(line) {
            let ev = &mut self.r.evaluation;
            self.level2 = Some(find_or_create(
                ev,
                &c[1],
                Some(2),
                self.section,
                self.section,
            ));
        }
        if let Some(c) = p.unit_heading.captures(line) {
            self.r.projects.units.push(ProjectUnit {
                name: c[1].trim().to_string(),
                sentence: first_sentence,
                ..ProjectUnit::default()
            });
            self.unit = Some(self.r.projects.units.len() - 1);
        }
        self.project_para = p.project_para.is_match(line);
        self.flush_project_rate();
        self.project_name = if self.project_para {
            let name: String = line
                .trim_start_matches(|c: char| "（()）".contains(c) || c.is_ascii_digit())
                .chars()
                .take_while(|c| !"：:，,。".contains(*c) && !c.is_ascii_digit())
                .collect();
            Some(name)
        } else {
            None
        };
    }

    /// A numbered paragraph that opens with a name (「1.产出指标。…」): a
    /// 一级指标's name starts its section, as a heading would — the scores
    /// that follow are its items', whatever a recap before named last. An
    /// item that goes on a list of the section's sub-items (「1.数量指标…」
    /// … 「4.成本指标（权重5分）。」 under 产出指标) is another of them.
    fn item_lead(&mut self, marker: &str, name: &str) {
        let paren = marker.starts_with(['（', '(']);
        let digits: String = marker.chars().filter(|c| c.is_ascii_digit()).collect();
        let number = digits.parse::<u32>().ok().or_else(|| {
            let inner: String = marker.chars().filter(|c| !"（()）".contains(*c)).collect();
            crate::text::chinese_numeral(&inner)
        });
        let ev = &mut self.r.evaluation;
        let goes_on = match (&self.item, number) {
            (Some((p, n, prev)), Some(k)) if *p == paren && n.checked_add(1) == Some(k) => {
                self.section.is_some()
                    && ev.indicators.iter().enumerate().any(|(i, ind)| {
                        &ind.name == prev
                            && ind.level != Some(1)
                            && section_of(ev, i) == self.section
                    })
            }
            _ => false,
        };
        // Names a 一级指标 in some templates and a sub-item in others: under
        // an open section, an item so named is the section's.
        let sub_item_too = [
            "预算执行",
            "预算执行率",
            "成本指标",
            "社会效益",
            "经济效益",
            "生态效益",
        ]
        .contains(&name)
            && self.section.is_some();
        if goes_on {
            self.list_item = true;
        } else if !sub_item_too {
            let known = ev
                .indicators
                .iter()
                .any(|i| i.level == Some(1) && i.name == name);
            if known || LEVEL1_NAMES.contains(&name) {
                self.section = Some(find_or_create(ev, name, Some(1), None, None));
                self.heading_name = Some(name.to_string());
            }
        }
        self.item = number.map(|n| (paren, n, name.to_string()));
    }

    fn sentence(&mut self, sentence: &str) {
        self.flush_project_rate();
        // 「按支出功能分类：卫生健康支出X万元，占Y%；…」: the items that follow
        // divide the expenditure whole stated before, not its split.
        if let (true, Some(whole)) = (
            patterns().classification.is_match(sentence),
            self.expense_wholes.last().cloned(),
        ) {
            let mut total = Quantity::default();
            total.push(whole);
            self.classified_wholes.push(self.expense_wholes.clone());
            self.r.classified_expenditure.push(Split {
                total,
                items: Vec::new(),
            });
            self.split = Some(SplitKind::Classified(
                self.r.classified_expenditure.len() - 1,
            ));
            self.last_item = None;
        }
        self.interim = patterns().interim.is_match(sentence);
        self.last_score = None;
        self.current = None;
        self.last_amount = None;
        self.pending_previous = None;
        self.sentence_changes = self.r.changes.len();
        self.sentence_part = sentence
            .trim_start_matches(crate::text::is_punct)
            .starts_with("其中");
        self.sentence_inds.clear();
        self.sentence_level = None;
    }

    fn fact(&mut self, f: &Fact, si: usize, line: &str, is_table: bool) {
        let Some(st) = f.statement() else {
            self.marker(f, si);
            return;
        };
        if matches!(f.kind, FactKind::Amount(_) | FactKind::Percent) && self.change(f, &st, si) {
            return;
        }
        match f.kind {
            FactKind::Amount(_) => self.amount(f, st, is_table),
            FactKind::Percent => self.percent(f, st),
            FactKind::Count => count_fact(
                &mut self.r,
                f,
                st,
                self.section,
                self.unit,
                self.project,
                self.project_para,
                line,
            ),
            FactKind::Points | FactKind::Score | FactKind::Deduction => self.score(f, st),
            FactKind::FullMarks | FactKind::Grade(_) => {}
        }
    }

    /// Keeps a project's budget, executed amount and rate when all three
    /// were stated in one sentence.
    fn flush_project_rate(&mut self) {
        let line = std::mem::take(&mut self.project_rate);
        let one = |q: &Quantity| q.statements.len() == 1;
        if one(&line.budget) && one(&line.executed) && one(&line.rate_percent) {
            self.r.project_rates.push(BudgetLine {
                name: self.project_name.clone().unwrap_or_default(),
                ..line
            });
        }
    }

    /// Number-less facts: full marks for the sentence's indicators, a grade.
    fn marker(&mut self, f: &Fact, si: usize) {
        match f.kind {
            FactKind::FullMarks => {
                for &i in &self.sentence_inds {
                    let ind = &mut self.r.evaluation.indicators[i];
                    if !ind.score.is_stated() && ind.full_marks.is_none() {
                        ind.full_marks = Some(f.span.clone());
                        ind.full_marks_sentence = Some(si);
                    }
                }
            }
            FactKind::Grade(g) => match self.last_score.take() {
                Some((name, score, false)) => self.r.graded.push(Graded {
                    name,
                    score,
                    grade: g,
                    grade_span: f.span.clone(),
                    grade_sentence: si,
                }),
                _ if self.r.evaluation.grade.is_none() => {
                    self.r.evaluation.grade = Some((g, f.span.clone(), si));
                }
                _ => {}
            },
            _ => {}
        }
    }

    /// A change against last year, or last year's amount. Returns whether
    /// the fact was one.
    ///
    /// The change is of the amount stated before it in its sentence; when
    /// the sentence states none, of the amount an earlier sentence of the
    /// paragraph states under the name the change gives
    /// (「…公务用车运行维护费12.76万元。公务用车运行维护费较上年减少1.05万元」),
    /// or, when the change names nothing but the year (「本年比上年增加」),
    /// of the one amount the sentence before states.
    fn change(&mut self, f: &Fact, st: &Statement, si: usize) -> bool {
        if let Some(up) = change_direction(&f.raw_label) {
            if self.last_amount.is_none() {
                self.last_amount = self.carried_current(&f.label, si);
            }
            let Some((name, cur)) = &self.last_amount else {
                return true;
            };
            let changes = &mut self.r.changes;
            let k = match self.change_at.get(&cur.span) {
                Some(&k) => k,
                None => {
                    // Last year's amount held for this one: of the same
                    // subject, or of none (上年决算数).
                    let previous = self
                        .pending_previous
                        .take_if(|(subject, _)| {
                            let own = change_subject(name);
                            subject.is_empty()
                                || own.is_empty()
                                || own.contains(subject.as_str())
                                || subject.contains(own)
                        })
                        .map(|(_, s)| s);
                    changes.push(Change {
                        name: name.clone(),
                        current: cur.clone(),
                        previous,
                        delta: None,
                        percent: None,
                        increase: up,
                    });
                    self.change_at.insert(cur.span.clone(), changes.len() - 1);
                    changes.len() - 1
                }
            };
            let c = &mut changes[k];
            if f.kind == FactKind::Percent {
                c.percent.get_or_insert(st.clone());
            } else {
                c.increase = up;
                c.delta.get_or_insert(st.clone());
            }
            return true;
        }
        if f.kind == FactKind::Percent {
            return false;
        }
        // 上年结转, 上年结余 are this year's funds, not last year's amount.
        let carried = f.label.contains("结转") || f.label.contains("结余");
        if (f.label.starts_with("上年") || f.label.ends_with("上年")) && !carried {
            let changes = &mut self.r.changes;
            let cur = self.last_amount.as_ref().map(|(_, c)| c.span.clone());
            // The last change whose amount is this sentence's, or else the
            // change of the sentence's current amount.
            let k = (self.sentence_changes..changes.len())
                .rev()
                .find(|&k| {
                    changes[k].current.sentence == si
                        || Some(&changes[k].current.span) == cur.as_ref()
                })
                .or_else(|| cur.as_ref().and_then(|c| self.change_at.get(c).copied()));
            if let Some(k) = k {
                changes[k].previous.get_or_insert(st.clone());
            } else if let Some((name, cur)) = &self.last_amount {
                changes.push(Change {
                    name: name.clone(),
                    current: cur.clone(),
                    previous: Some(st.clone()),
                    delta: None,
                    percent: None,
                    increase: true,
                });
                self.change_at.insert(cur.span.clone(), changes.len() - 1);
            } else {
                let subject = f
                    .label
                    .strip_prefix("上年")
                    .or_else(|| f.label.strip_suffix("上年"))
                    .unwrap_or(&f.label)
                    .trim_end_matches(['为', '是'])
                    .trim_matches(crate::text::is_punct);
                let subject = ["决算数", "预算数", "决算", "数"]
                    .iter()
                    .find_map(|w| subject.strip_suffix(w))
                    .unwrap_or(subject)
                    .trim_matches(crate::text::is_punct);
                self.pending_previous
                    .get_or_insert((subject.to_string(), st.clone()));
            }
            return true;
        }
        let raw = f.raw_label.trim_start_matches(crate::text::is_punct);
        let part = self.sentence_part || raw.starts_with("其中");
        self.last_amount = Some((f.label.clone(), st.clone()));
        self.para_amounts.push((f.label.clone(), st.clone(), part));
        self.para_by_label
            .entry(f.label.clone())
            .or_default()
            .push(st.clone());
        false
    }

    /// The current amount of a change stated in a sentence that states no
    /// amount before it (see [`Assembler::change`]).
    fn carried_current(&self, label: &str, si: usize) -> Option<(String, Statement)> {
        let subject = change_subject(label);
        if subject.is_empty() {
            // The amounts of the sentence before, read back from the end
            // (those of this sentence come last): exactly one, and no part.
            let mut before = self
                .para_amounts
                .iter()
                .rev()
                .skip_while(|(_, s, _)| s.sentence >= si)
                .take_while(|(_, s, _)| s.sentence + 1 == si);
            match (before.next(), before.next()) {
                (Some((l, s, false)), None) => Some((l.clone(), s.clone())),
                _ => None,
            }
        } else {
            let st = self.para_by_label.get(subject)?;
            let s = st.iter().rev().find(|s| s.sentence < si)?;
            Some((subject.to_string(), s.clone()))
        }
    }

    fn amount(&mut self, f: &Fact, st: Statement, is_table: bool) {
        if let (true, Some(u), None) = (self.project_para, self.unit, self.project) {
            let name = f.label.strip_suffix("支出").unwrap_or(&f.label).to_string();
            let projects = &mut self.r.projects.units[u].projects;
            let mut amount = Quantity::default();
            amount.push(st);
            projects.push(Project {
                name,
                amount,
                level2_count: None,
            });
            self.project = Some((u, projects.len() - 1));
            return;
        }
        // Amounts in a project's paragraph are not the department's; its
        // own 预算数, 执行数 and 执行率 are checked together (RATE001).
        if (self.project.is_some() || self.project_para) && !is_table {
            let label = f.label.as_str();
            if label.ends_with("预算数") && !label.ends_with("年初预算数") {
                self.project_rate.budget.push(st);
            } else if label.ends_with("执行数") || label.ends_with("实际支出") {
                self.project_rate.executed.push(st);
            }
            return;
        }
        let budget_whole = f.label == "支出预算" || f.label.ends_with("部门支出预算");
        if is_expenditure_whole(&f.label) && (self.budget_doc || !budget_whole) {
            self.expense_wholes.push(st.clone());
        }
        if self.breakdown(f, &st) {
            // A part of a breakdown is no item of the income or expenditure
            // split, and a share after it is not the item's before it.
            self.last_item = None;
            return;
        }
        amount_fact(&mut self.r, f, st, &mut self.split, &mut self.last_item);
    }

    /// A total that the report breaks down (基本支出, “三公”经费, 公务用车购置及
    /// 运行费, 财政拨款收入/支出) opens a breakdown; an amount named as one of
    /// its parts, in the same paragraph or the two after it, is a part.
    /// Returns whether the amount was taken as a part.
    fn breakdown(&mut self, f: &Fact, st: &Statement) -> bool {
        let label = f.label.as_str();
        let para = f.paragraph;
        let mut taken = false;
        for b in self.r.breakdowns.iter_mut().rev() {
            if para > b.paragraph + 2 {
                continue;
            }
            let comp = &COMPOSITIONS[b.composition];
            // The label as written too: 「因公出国（境）费」 is cleaned to 「费」.
            let raw = f.raw_label.trim_start_matches(crate::text::is_punct);
            let raw = raw
                .strip_prefix("其中")
                .unwrap_or(raw)
                .trim_start_matches(crate::text::is_punct);
            let Some(k) = comp
                .parts
                .iter()
                .position(|(_, m)| m(label, &b.name) || m(raw, &b.name))
            else {
                continue;
            };
            if b.parts.iter().any(|p| p.slot == k) {
                continue;
            }
            let name = if comp.parts[k].1(label, &b.name) {
                label
            } else {
                raw
            };
            b.parts.push(BreakdownPart {
                name: name.to_string(),
                slot: k,
                amount: st.clone(),
            });
            taken = true;
            break;
        }
        if let Some(c) = COMPOSITIONS.iter().position(|c| (c.total)(label)) {
            self.r.breakdowns.push(Breakdown {
                name: label.to_string(),
                composition: c,
                total: st.clone(),
                parts: Vec::new(),
                paragraph: para,
            });
        }
        taken
    }

    fn percent(&mut self, f: &Fact, st: Statement) {
        let raw = f.raw_label.trim_start_matches(crate::text::is_punct);
        let share = raw.starts_with('占')
            || f.label.starts_with('占')
            || f.label == "占比"
            || matches!(f.column.as_deref(), Some("占比" | "比重"));
        if share {
            if let Some((k, i)) = self.last_item {
                let s = match k {
                    SplitKind::Income => &mut self.r.income,
                    SplitKind::Expenditure => &mut self.r.expenditure,
                    SplitKind::Classified(j) => {
                        // A share of some other whole (「占一般公共预算支出的」)
                        // is not of this one.
                        let base = f.label.trim_start_matches('占');
                        if !base.is_empty() && !is_expenditure_whole(base) {
                            return;
                        }
                        &mut self.r.classified_expenditure[j]
                    }
                };
                // A share of a 分别 list names its item in its label.
                let i = s
                    .items
                    .iter()
                    .position(|it| it.name == f.label)
                    .unwrap_or(i);
                s.items[i].share_percent.push(st);
            }
        } else if is_rate_label(&f.label) && !self.interim {
            match self.current {
                Some(i) => self.r.evaluation.indicators[i].rate_percent.push(st),
                None if !self.project_para => self.r.execution_rate_percent.push(st),
                None if !self.interim => {
                    self.project_rate.rate_percent.push(st);
                }
                None => {}
            }
        }
    }

    fn score(&mut self, f: &Fact, st: Statement) {
        if let Some(l) = f.level {
            self.sentence_level = Some(l);
        }
        let label = f.label.as_str();
        let ev = &mut self.r.evaluation;
        if label.is_empty() {
            // "得分0分", "扣1分": about the indicator the sentence is on.
            if let Some(i) = self.current {
                push_score(&mut ev.indicators[i], f.kind, st);
                return;
            }
        }
        // A project's own self-evaluation score is not an indicator.
        if f.kind == FactKind::Score && label.ends_with("项目") {
            self.last_score = Some((label.to_string(), st, false));
            return;
        }
        if TOTAL_LABELS.contains(&label) {
            match f.kind {
                FactKind::Score => {
                    self.last_score = Some(("总得分".into(), st.clone(), true));
                    ev.total_score.push(st)
                }
                FactKind::Points => ev.total_points.push(st),
                _ => {}
            }
            return;
        }
        let names: Vec<&str> = if f.each {
            label.split('、').filter(|s| !s.is_empty()).collect()
        } else {
            vec![label]
        };
        for name in names {
            let is_level1 = f.level == Some(1)
                || self.heading_name.as_deref() == Some(name)
                || (f.level.is_none() && LEVEL1_NAMES.contains(&name) && !self.list_item);
            let i = if is_level1 {
                let i = find_or_create(ev, name, Some(1), None, None);
                self.section = Some(i);
                i
            } else {
                let level = f.level.or(self.sentence_level);
                let parent = if level == Some(2) {
                    self.section
                } else {
                    self.level2.or(self.section)
                };
                find_or_create(ev, name, level, parent, self.section)
            };
            // 「…自评得分97.38分，其中履职效能得分48.38分，管理效率得分49分，
            // 绩效等级为优」: after the total, the sentence's grade stays the
            // total's.
            let after_total = matches!(self.last_score, Some((_, _, true)));
            if f.kind == FactKind::Score && !after_total {
                self.last_score = Some((name.to_string(), st.clone(), false));
            }
            push_score(&mut ev.indicators[i], f.kind, st.clone());
            self.current = Some(i);
            if !self.sentence_inds.contains(&i) {
                self.sentence_inds.push(i);
            }
        }
    }
}

/// Fills in levels the text left implicit: an item under a level-2
/// indicator is level 3, and so is an unmarked item beside level-3 items.
fn infer_levels(ev: &mut Evaluation) {
    for i in 0..ev.indicators.len() {
        if ev.indicators[i].level.is_some() {
            continue;
        }
        let Some(p) = ev.indicators[i].parent else {
            continue;
        };
        let parent_level = ev.indicators[p].level;
        let sibling_level3 = ev.children(p).any(|k| ev.indicators[k].level == Some(3));
        let counted3 = ev.indicators[p]
            .counts
            .iter()
            .any(|c| c.counted == Counted::Level3);
        if parent_level == Some(2) || (parent_level == Some(1) && (sibling_level3 || counted3)) {
            ev.indicators[i].level = Some(3);
        }
    }
}

fn push_score(ind: &mut Indicator, kind: FactKind, st: Statement) {
    match kind {
        FactKind::Points => ind.points.push(st),
        FactKind::Score => ind.score.push(st),
        FactKind::Deduction => ind.deduction.push(st),
        _ => {}
    }
}

fn is_rate_label(label: &str) -> bool {
    ["支出进度", "执行率", "支出率", "执行进度", "执行比例"]
        .iter()
        .any(|k| label.contains(k))
}

/// Finds an indicator by name within a section (or anywhere when there is
/// none), or creates it. A later, more specific mention fills in the level
/// and parent an earlier summary mention did not give.
fn find_or_create(
    ev: &mut Evaluation,
    name: &str,
    level: Option<u8>,
    parent: Option<usize>,
    section: Option<usize>,
) -> usize {
    let found = ev.indicators.iter().enumerate().position(|(i, ind)| {
        ind.name == name
            && (level == Some(1) && ind.level == Some(1)
                || level != Some(1) && ind.level != Some(1) && section_of(ev, i) == section)
    });
    match found {
        Some(i) => {
            let ind = &mut ev.indicators[i];
            if ind.level.is_none() {
                ind.level = level;
            }
            if parent.is_some()
                && (ind.parent.is_none() || ind.parent == section)
                && Some(i) != parent
            {
                ind.parent = parent;
            }
            i
        }
        None => {
            ev.indicators.push(Indicator {
                name: name.to_string(),
                level,
                parent,
                ..Indicator::default()
            });
            ev.indicators.len() - 1
        }
    }
}

/// The level-1 indicator above `i` (None for roots themselves).
fn section_of(ev: &Evaluation, mut i: usize) -> Option<usize> {
    let mut up = ev.indicators[i].parent?;
    for _ in 0..8 {
        i = up;
        match ev.indicators[i].parent {
            Some(p) => up = p,
            None => return Some(i),
        }
    }
    None
}

fn amount_fact(
    r: &mut Report,
    f: &Fact,
    st: Statement,
    split: &mut Option<SplitKind>,
    last_item: &mut Option<(SplitKind, usize)>,
) {
    let label = f.label.as_str();
    if let Some(SplitKind::Classified(k)) = *split {
        if label.ends_with("支出") && !is_expenditure_whole(label) {
            let s = &mut r.classified_expenditure[k];
            s.items.push(SplitItem {
                name: label.to_string(),
                ..SplitItem::default()
            });
            s.items.last_mut().unwrap().amount.push(st);
            *last_item = Some((SplitKind::Classified(k), s.items.len() - 1));
            return;
        }
    }
    const INCOME_TOTAL: &[&str] = &[
        "收入合计",
        "总收入",
        "收入总计",
        "收入总额",
        "本年收入合计",
        "收入总体",
    ];
    // 「政府采购支出总额86.40万元」 is a total of purchases, not of the
    // department's expenditure.
    let other_total = label.contains("采购");
    if INCOME_TOTAL.iter().any(|k| label.ends_with(k)) && !other_total {
        if label.ends_with("总计") {
            r.grand_totals.push(st.span.clone());
        }
        r.income.total.push(st);
        *split = Some(SplitKind::Income);
        *last_item = None;
        return;
    }
    if EXPENSE_TOTAL.iter().any(|k| label.ends_with(k)) && !other_total {
        if label.ends_with("总计") {
            r.grand_totals.push(st.span.clone());
        }
        r.expenditure.total.push(st);
        *split = Some(SplitKind::Expenditure);
        *last_item = None;
        return;
    }
    // 年初预算数 is the budget before adjustment; the rate is on 全年预算数.
    if label.ends_with("年初预算数") || label.ends_with("年初预算") {
        return;
    }
    if ["预算数", "全年预算", "调整后预算", "预算金额"]
        .iter()
        .any(|k| label.ends_with(k))
    {
        r.budget.push(st);
        return;
    }
    if ["执行数", "实际支出", "执行金额", "实际执行"]
        .iter()
        .any(|k| label.ends_with(k))
    {
        r.executed.push(st);
        return;
    }
    let kind = if label.ends_with("收入") {
        SplitKind::Income
    } else if label.ends_with("支出") || label.ends_with("经费") {
        SplitKind::Expenditure
    } else {
        return;
    };
    let s = match kind {
        SplitKind::Income => &mut r.income,
        _ => &mut r.expenditure,
    };
    // Items belong to a split only next to its total (same sentence or the
    // same table), so an amount elsewhere is never taken for an item; but a
    // table row named as an item already stated restates it (a table in 元
    // after the prose in 万元, its rows apart from the total).
    let restated = f.column.is_some() && s.items.iter().any(|it| it.name == label);
    if *split != Some(kind) && !restated {
        return;
    }
    let i = match s.items.iter().position(|it| it.name == label) {
        Some(i) => i,
        None => {
            s.items.push(SplitItem {
                name: label.to_string(),
                ..SplitItem::default()
            });
            s.items.len() - 1
        }
    };
    s.items[i].amount.push(st);
    *last_item = Some((kind, i));
}

#[allow(clippy::too_many_arguments)]
fn count_fact(
    r: &mut Report,
    f: &Fact,
    st: Statement,
    section: Option<usize>,
    unit: Option<usize>,
    project: Option<(usize, usize)>,
    project_para: bool,
    line: &str,
) {
    let label = f.label.as_str();
    let follows = f.follows.as_str();
    let subject = if label.ends_with("一级项目") || follows.starts_with("一级项目") {
        "一级项目"
    } else if label.ends_with("二级项目") || follows.starts_with("二级项目") {
        "二级项目"
    } else if follows.contains("满分") {
        "满分"
    } else if f.level == Some(2) && label.is_empty() || label.ends_with("二级指标") {
        "二级指标"
    } else if f.level == Some(3) && label.is_empty() || label.ends_with("三级指标") {
        "三级指标"
    } else {
        return;
    };
    let sv = StatementValue(st);
    match subject {
        "一级项目" | "二级项目" => {
            let level1 = subject == "一级项目";
            if let Some((u, k)) = project {
                if !level1 {
                    r.projects.units[u].projects[k]
                        .level2_count
                        .get_or_insert(sv);
                }
                return;
            }
            let unit_line = patterns().unit_heading.is_match(line);
            let slot = match (unit_line, unit) {
                (true, Some(u)) => {
                    let pu = &mut r.projects.units[u];
                    if level1 {
                        &mut pu.level1_count
                    } else {
                        &mut pu.level2_count
                    }
                }
                _ if !project_para => {
                    if level1 {
                        &mut r.projects.level1_count
                    } else {
                        &mut r.projects.level2_count
                    }
                }
                _ => return,
            };
            slot.get_or_insert(sv);
        }
        _ => {
            let counted = match subject {
                "二级指标" => Counted::Level2,
                "三级指标" => Counted::Level3,
                _ => Counted::FullMarks,
            };
            let c = StatedCount { counted, value: sv };
            // 「指标体系共设置一级指标四个、二级指标八个…」 counts the whole
            // tree, wherever it stands.
            let whole =
                line.contains("一级指标") && line.contains("二级指标") || line.contains("指标体系");
            let section = if whole { None } else { section };
            match section {
                Some(s) => r.evaluation.indicators[s].counts.push(c),
                None => r.evaluation.counts.push(c),
            }
        }
    }
}

/// Sums statements exactly, in the unit of the first (for messages).
#[cfg(test)]
mod tests {
    use crate::ingest::Pages;

    fn findings(text: &str) -> Vec<String> {
        let pages = Pages {
            pages: vec![text.to_string()],
            text_layer: "text".into(),
            diagnostics: vec![],
        };
        crate::analyze::analyze(&pages)
            .findings
            .iter()
            .map(|f| format!("{} {}", f.rule, f.message))
            .collect()
    }

    #[test]
    fn a_level1_heading_starts_its_section() {
        // The recap names 管理效率 last; the counts under 「（二）履职效能」
        // are still 履职效能's.
        let t = "（一）总体评价\n其中履职效能满分50分，得49分；管理效率满分50分，得50分。\n（二）履职效能\n履职效能设二级指标一个、三级指标两个。\n1．产出指标完成情况，满分30分，得29分。\n2．效益指标完成情况，满分20分，得满分。\n";
        assert_eq!(findings(t), Vec::<String>::new());
        let wrong = t.replace("三级指标两个", "三级指标三个");
        let got = findings(&wrong);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("CNT001 履职效能三级指标报告为 3 个"),
            "{got:?}"
        );
    }

    #[test]
    fn a_grade_after_the_total_and_its_parts_is_the_totals() {
        let t = "（一）总体评价\n经评价，部门整体支出绩效自评得分97.38分，其中履职效能得分48.38分，管理效率得分49分，绩效等级为优。\n";
        assert_eq!(findings(t), Vec::<String>::new());
        let wrong = t
            .replace("97.38分", "87.38分")
            .replace("48.38分", "38.38分");
        let got = findings(&wrong);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].starts_with("GRD001 总得分 87.38 分"), "{got:?}");
    }

    #[test]
    fn a_purchase_total_is_not_the_expenditure_total() {
        let t = "2023年度支出合计1279.02万元，其中：基本支出1045.74万元，占支出合计的81.76%；项目支出233.28万元，占支出合计的18.24%。\n2023年度本部门政府采购支出总额86.40万元，全部为政府采购服务支出。\n";
        assert_eq!(findings(t), Vec::<String>::new());
    }

    #[test]
    fn a_recap_sentence_states_the_total_not_an_indicator() {
        let t = "（二）履职效能分析\n履职效能得分49.93分。\n（三）管理效率分析\n管理效率得分48.99分。\n综上，履职效能得分49.93分，管理效率得分48.99分，绩效自评为98.92分，绩效等级为优。\n";
        assert_eq!(findings(t), Vec::<String>::new());
        let wrong = t.replace("98.92分，绩效等级", "98.29分，绩效等级");
        let got = findings(&wrong);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].starts_with("SCR003 总得分 98.29 分"), "{got:?}");
    }
}
