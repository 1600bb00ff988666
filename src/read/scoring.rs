//! The two tables of a self-evaluation form (项目支出绩效自评表, and the
//! indicator table some 部门整体 reports use instead of prose), as a PDF
//! flattens them.
//!
//! **The budget execution table**: a header naming 年初预算数, 全年预算数,
//! 全年执行数, 分值, 执行率, 得分 (any subset, in any order), then a row per
//! source of funds — 年度资金总额, then 其中：当年财政拨款, 上年结转资金,
//! 其他资金 — each a label and one cell per column, a dash (—, /) for an
//! empty cell. The unit is the one the header or the line above it names
//! (`项目资金（万元）`), 万元 by default, as the template prints it.
//!
//! **The indicator table**: a header naming 一级指标, 二级指标, 三级指标,
//! optionally 年度指标值, 实际完成值 and 偏差原因 around 分值 and 得分. A
//! row is read from its right end: 分值 and 得分 are the last two bare
//! numbers of the row (a 偏差原因 text may follow them); the cells before
//! them, as many as the header has value columns (年度指标值 ≥95%, 实际完成值
//! 100 人 — targets, never points), are skipped; the cell before those is
//! the 三级指标; and what is left on the left are the 一级/二级指标 cells a
//! merged cell shows on the first row of its span only. So a row reads
//! the same whether its merged cells are there or not. A 一级指标 cell may
//! carry its points (`产出指标（50分）`); a `小计` row states the 一级指标's
//! points and score. A line without the two numbers (a name the cell
//! wrapped onto two lines, `老年人居家生活质量` then `改善 明显改善 … 20 18`)
//! is joined to the row that follows it. 总分 / 合计 ends the table with
//! the total's points and score.
//!
//! Both tables may run over a page break (the rows go on; a header row
//! repeated on the next page is read again as the same header) and may
//! come with their cells one per line: cells are gathered across lines
//! until a row is complete (for the budget table, one cell per column; for
//! indicators, the two numbers).

use super::Claims;
use crate::model::{Grade, Unit};
use crate::number::{Precision, Stated};
use crate::segment::Segments;
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// One number of a table, where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub value: Stated,
    pub span: Range<usize>,
    pub sentence: usize,
}

/// A row of the budget execution table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BudgetRow {
    /// 年度资金总额, 当年财政拨款, 上年结转资金, 其他资金 (without 其中：).
    pub name: String,
    pub unit: Option<Unit>,
    pub initial: Option<Cell>,
    pub budget: Option<Cell>,
    pub executed: Option<Cell>,
    pub points: Option<Cell>,
    pub rate: Option<Cell>,
    pub score: Option<Cell>,
}

/// A scored row of the indicator table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndicatorRow {
    pub level1: Option<String>,
    pub level2: Option<String>,
    pub name: String,
    pub points: Option<Cell>,
    pub score: Option<Cell>,
    /// 「扣 X 分」 in the row's 偏差原因.
    pub deduction: Option<Cell>,
}

/// A 一级指标's own figures: points from `产出指标（50分）`, points and
/// score from its 小计 row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Level1Row {
    pub name: String,
    pub points: Option<Cell>,
    pub score: Option<Cell>,
}

/// What the scoring tables of a document state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScoringTables {
    pub budget: Vec<BudgetRow>,
    pub indicators: Vec<IndicatorRow>,
    pub level1: Vec<Level1Row>,
    /// 总分 row: points (usually 100) and score.
    pub total_points: Option<Cell>,
    pub total_score: Option<Cell>,
    /// The grade the 总分 row states (`优`, `自评等级：良`), with its span
    /// and sentence.
    pub grade: Option<(Grade, Range<usize>, usize)>,
    /// Lines of a budget table that could not be read (cells glued by the
    /// PDF): reported, and read by no other reader.
    pub unread: Vec<usize>,
    /// The budget table's numbers were wrapped inside their cells: its
    /// rows are not used.
    pub scrambled_budget: bool,
}

impl ScoringTables {
    pub fn is_empty(&self) -> bool {
        self.budget.is_empty() && self.indicators.is_empty() && self.total_score.is_none()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BudgetCol {
    Initial,
    Budget,
    Executed,
    Points,
    Rate,
    Score,
}

struct Patterns {
    unit_word: Regex,
    bare: Regex,
    level1_points: Regex,
    level2_prefix: Regex,
    total: Regex,
    table_unit: Regex,
    grade: Regex,
    deduction: Regex,
    section: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        unit_word: Regex::new(
            r"^(?:%|‰|人次|人|次|万元|亿元|元|个|项|天|日|月|年|户|场|家|所|小时|台|套|件|平方米|公里|千米|米|册|份|篇|期|批|辆|名|位|座|处|条|张|本|部|起|吨|亩|公顷|分钟|分)$",
        )
        .unwrap(),
        bare: Regex::new(r"^(-?\d[\d,]*(?:\.\d+)?)分?$").unwrap(),
        level1_points: Regex::new(r"^(.+?)[（(](\d+(?:\.\d+)?)分[)）]").unwrap(),
        level2_prefix: Regex::new(r"^(.{2,12}?指标)(.+)$").unwrap(),
        total: Regex::new(r"^(?:总分|合计|总计|综合得分|自评总分)").unwrap(),
        deduction: Regex::new(r"扣(?:减|除)?\s*(\d+(?:\.\d+)?)\s*分").unwrap(),
        // A new section or numbered heading ends a table.
        section: Regex::new(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|表\s*\d)").unwrap(),
        grade: Regex::new(r"(?:^|\s|等级[：:为]?\s*)(优秀|良好|中等|不合格|合格|优|良|中|差)$").unwrap(),
        table_unit: Regex::new(r"[（(](?:单位[：:])?(万元|亿元|元)[)）]|单位[：:]\s*(万元|亿元|元)")
            .unwrap(),
    })
}

/// 一级指标 names of the bureau's templates. 成本指标 is not among them: it
/// is a 二级指标 under 产出指标 in the 2020 template and a 一级指标 in later
/// ones, so it counts as 一级 only where a 二级指标 cell follows it.
const LEVEL1: &[&str] = &[
    "产出指标",
    "效益指标",
    "满意度指标",
    "决策",
    "过程",
    "产出",
    "效益",
    "满意度",
    "履职效能",
    "管理效率",
    "预算执行",
];

/// 一级指标 names that are 二级指标 in other templates: 预算执行 is a
/// 一级指标 of some 部门整体 tables (预算执行 / 预算执行率 / 部门预算执行率)
/// and a 二级指标 under 管理效率 in others. Where a 一级指标 is open and the
/// name stands alone before the 三级指标, it is a 二级指标 (a new 一级指标's
/// first row shows its 二级指标 cell too).
const ALSO_LEVEL2: &[&str] = &["预算执行"];

/// A header is words only: no figures, no sentence (a sentence that
/// names 预算数 and 执行数 states them).
fn is_header_line(compact: &str) -> bool {
    compact.chars().count() <= 80
        && !compact.contains(|c: char| c.is_ascii_digit() || "，。；,;".contains(c))
}

/// Header columns of the budget table, in the order the header names them.
fn budget_header(compact: &str) -> Option<Vec<BudgetCol>> {
    if !is_header_line(compact) {
        return None;
    }
    let executed = compact.contains("执行数");
    let budget = compact.contains("预算数");
    if !(executed && budget) {
        return None;
    }
    let words: &[(&str, BudgetCol)] = &[
        ("年初预算数", BudgetCol::Initial),
        ("全年预算数", BudgetCol::Budget),
        ("调整后预算数", BudgetCol::Budget),
        ("预算数", BudgetCol::Budget),
        ("全年执行数", BudgetCol::Executed),
        ("执行数", BudgetCol::Executed),
        ("分值", BudgetCol::Points),
        ("执行率", BudgetCol::Rate),
        ("得分", BudgetCol::Score),
    ];
    let mut found: Vec<(usize, BudgetCol)> = Vec::new();
    let mut taken = vec![false; compact.len()];
    for (w, col) in words {
        for (at, _) in compact.match_indices(w) {
            if taken[at..at + w.len()].iter().any(|&t| t) {
                continue;
            }
            taken[at..at + w.len()].iter_mut().for_each(|t| *t = true);
            found.push((at, *col));
        }
    }
    found.sort_by_key(|f| f.0);
    let cols: Vec<BudgetCol> = found.into_iter().map(|f| f.1).collect();
    (cols.len() >= 3).then_some(cols)
}

/// An indicator table's header: the number of value columns (年度指标值,
/// 实际完成值…) between the indicator's name and 分值, and where cells the
/// PDF glued to the header begin (`…偏差原因分析及改进措施产出指标数量指标…`).
/// A caption before the header (`表2 项目绩效指标完成情况`) is allowed.
/// Also whether the header has a 二级指标 column.
fn indicator_header(line: &str) -> Option<(usize, Option<usize>, bool)> {
    let first = ["一级指标", "二级指标", "三级指标"]
        .iter()
        .filter_map(|w| line.find(w))
        .min()?;
    let last_words = [
        "偏差原因分析及改进措施",
        "偏差原因及改进措施",
        "偏差原因分析",
        "偏差原因",
        "扣分原因",
        "扣分说明",
        "备注",
        "得分",
        "评分",
    ];
    let end = last_words
        .iter()
        .filter_map(|w| line.rfind(w).map(|i| i + w.len()))
        .max()?;
    if end <= first {
        return None;
    }
    let header = &line[first..end];
    let compact: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    if !is_header_line(&compact) {
        return None;
    }
    let named = compact.contains("三级指标") || compact.contains("二级指标");
    let scored = (compact.contains("分值") || compact.contains("权重"))
        && (compact.contains("得分") || compact.contains("评分"));
    if !(named && scored) || compact.contains("执行数") {
        return None;
    }
    let name_at = compact
        .find("三级指标")
        .or_else(|| compact.find("二级指标"))?;
    let points_at = compact.find("分值").or_else(|| compact.find("权重"))?;
    let between = &compact[name_at..points_at.max(name_at)];
    // Words as a wrapped header cell may cut them (年度指标|值).
    let value_cols = [
        &["年度指标", "指标值", "目标值", "预期值"][..],
        &["实际完成", "完成值", "实际值", "完成情况"][..],
        &["评分标准", "评价标准", "指标解释", "指标说明"][..],
    ];
    let n = value_cols
        .iter()
        .filter(|ws| ws.iter().any(|w| between.contains(w)))
        .count();
    // What follows the header is the first row's cells when it starts with
    // an indicator's name, else the rest of a wrapped header word (及改).
    let tail = line[end..].trim_start();
    let starts_row = LEVEL1.iter().any(|l| tail.starts_with(l)) || tail.contains("指标");
    let tail = (!tail.is_empty() && starts_row).then(|| line.len() - tail.len());
    Some((n, tail, compact.contains("二级指标")))
}

/// The cells of a normalized row: space-separated tokens, a unit token
/// joined to the number before it (`3120 人` is one cell) and a comparison
/// sign to the number after it (`≥ 90%`).
fn cells(line: &str, start: usize) -> Vec<(String, Range<usize>)> {
    let p = patterns();
    let mut out: Vec<(String, Range<usize>)> = Vec::new();
    let mut at = start;
    let mut toks: Vec<(&str, usize)> = Vec::new();
    for tok in line.split(' ') {
        // `97.2%9.72`, `97.2%—`: a percent ends its cell.
        let mut rest = tok;
        let mut off = at;
        while let Some(i) = rest.find('%').filter(|&i| i + 1 < rest.len() && i > 0) {
            let head = &rest[..=i];
            if !head.starts_with(|c: char| c.is_ascii_digit()) {
                break;
            }
            toks.push((head, off));
            off += head.len();
            rest = &rest[i + 1..];
        }
        toks.push((rest, off));
        at += tok.len() + 1;
    }
    for (tok, off) in toks {
        let r = off..off + tok.len();
        if tok.is_empty() {
            continue;
        }
        if let Some(last) = out.last_mut() {
            let joins_unit =
                p.unit_word.is_match(tok) && last.0.ends_with(|c: char| c.is_ascii_digit());
            let after_sign = matches!(
                last.0.as_str(),
                "≥" | "≤" | ">" | "<" | "＞" | "＜" | "=" | "＝"
            );
            if joins_unit || after_sign {
                last.0.push_str(tok);
                last.1.end = r.end;
                continue;
            }
        }
        out.push((tok.to_string(), r));
    }
    out
}

fn is_empty_cell(c: &str) -> bool {
    matches!(c, "—" | "——" | "-" | "－" | "/" | "／" | "无")
}

fn sentence_at(seg: &Segments, para: usize, at: usize) -> usize {
    let range = seg.paragraphs[para].sentences.clone();
    range
        .clone()
        .find(|&s| seg.sentences[s].span.contains(&at) || seg.sentences[s].span.end == at)
        .unwrap_or(range.start)
}

enum Mode {
    None,
    Budget {
        cols: Vec<BudgetCol>,
        unit: Option<Unit>,
        /// Cells of a row whose cells come one per line.
        label: Option<String>,
        pending: Vec<(String, Range<usize>, usize)>,
    },
    Indicators(IndState),
}

struct IndState {
    value_cols: usize,
    /// The header names a 二级指标 column.
    level2_col: bool,
    level1: Option<String>,
    level2: Option<String>,
    /// Text of a name the cell wrapped, or cells one per line.
    pending: Vec<(String, Range<usize>, usize)>,
    /// The last row ended in a 偏差原因 that may go on on the next lines.
    open_deviation: bool,
    /// The line before was the header, or a complete row.
    after_header: bool,
    after_row: bool,
}

/// Reads the budget execution and indicator tables of a document.
pub fn read(text: &str, seg: &Segments, claims: &mut Claims) -> ScoringTables {
    let p = patterns();
    let mut out = ScoringTables::default();
    let mut mode = Mode::None;
    let mut prev_line = "";
    for (pi, para) in seg.paragraphs.iter().enumerate() {
        let line = &text[para.span.clone()];
        let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(cols) = budget_header(&compact) {
            let unit = p
                .table_unit
                .captures(line)
                .or_else(|| p.table_unit.captures(prev_line))
                .and_then(|c| Unit::parse(c.get(1).or(c.get(2)).unwrap().as_str()))
                .or(Some(Unit::WanYuan));
            // A repeated header keeps the unit of the table it repeats.
            let unit = match &mode {
                Mode::Budget { unit: u, .. } if !p.table_unit.is_match(line) => *u,
                _ => unit,
            };
            mode = Mode::Budget {
                cols,
                unit,
                label: None,
                pending: Vec::new(),
            };
            claims.claim(pi);
            prev_line = line;
            continue;
        }
        if let Some((value_cols, tail, level2_col)) = indicator_header(line) {
            let (level1, level2) = match &mode {
                Mode::Indicators(st) => (st.level1.clone(), st.level2.clone()),
                _ => (None, None),
            };
            // Cells the PDF glued to the header line start the first row.
            let pending = match tail {
                Some(at) => vec![(
                    line[at..].to_string(),
                    para.span.start + at..para.span.end,
                    pi,
                )],
                None => Vec::new(),
            };
            mode = Mode::Indicators(IndState {
                value_cols,
                level2_col,
                level1,
                level2,
                pending,
                open_deviation: false,
                after_header: true,
                after_row: false,
            });
            claims.claim(pi);
            prev_line = line;
            continue;
        }
        let read_here = match &mut mode {
            Mode::None => false,
            Mode::Budget {
                cols,
                unit,
                label,
                pending,
            } => {
                let r = budget_line(text, seg, pi, cols, *unit, label, pending, &mut out);
                if !r {
                    mode = Mode::None;
                }
                r
            }
            Mode::Indicators(st) => {
                let r = indicator_line(text, seg, pi, st, &mut out);
                match r {
                    LineUse::Row | LineUse::Fragment => {}
                    LineUse::Total | LineUse::Other => mode = Mode::None,
                }
                r != LineUse::Other
            }
        };
        if read_here {
            claims.claim(pi);
        }
        prev_line = line;
    }
    out
}

fn cell_value(
    text: &str,
    seg: &Segments,
    pi: usize,
    s: &str,
    span: Range<usize>,
    precision: Precision,
) -> Option<Cell> {
    let _ = text;
    let digits = patterns().bare.captures(s.trim_end_matches('%'))?;
    let num = digits.get(1)?;
    let value = Stated::parse(num.as_str(), precision)?;
    let span = span.start..span.start + num.end() + usize::from(s.ends_with('%'));
    Some(Cell {
        value,
        sentence: sentence_at(seg, pi, span.start),
        span,
    })
}

/// One line of the budget table; false when the table has ended.
#[allow(clippy::too_many_arguments)]
fn budget_line(
    text: &str,
    seg: &Segments,
    pi: usize,
    cols: &[BudgetCol],
    unit: Option<Unit>,
    label: &mut Option<String>,
    pending: &mut Vec<(String, Range<usize>, usize)>,
    out: &mut ScoringTables,
) -> bool {
    let para = &seg.paragraphs[pi];
    let line = &text[para.span.clone()];
    let cs = cells(line, para.span.start);
    let is_value = |c: &str| {
        is_empty_cell(c) || patterns().bare.is_match(c.trim_end_matches('%')) && !c.ends_with('分')
    };
    let first_value = cs.iter().position(|c| is_value(&c.0));
    if first_value.is_none() && !line.contains(|c: char| c.is_ascii_digit()) {
        // A label on its own line (cells one per line follow), a wrapped
        // header word such as `（万元）`, or the end of the table.
        if line.chars().count() > 24
            || line.contains("目标")
            || line.contains("绩效指标")
            || line.ends_with(['。', '；', '：'])
        {
            return false;
        }
        if !pending.is_empty() {
            return false;
        }
        *label = Some(line.replace(' ', ""));
        return true;
    }
    let Some(first_value) = first_value else {
        if patterns().section.is_match(line) || line.ends_with('。') {
            return false;
        }
        out.unread.push(pi);
        return true;
    };
    // Pieces of numbers on a line of their own (`94.8.9`, `95．`): the PDF
    // wrapped numbers inside their cells, and no row of this table can be
    // trusted to hold its own numbers.
    if cs.iter().all(|c| {
        c.0.chars()
            .all(|ch| ch.is_ascii_digit() || ".．%".contains(ch))
            && (c.0.ends_with(['.', '．']) || c.0.matches(['.', '．']).count() > 1)
    }) {
        out.scrambled_budget = true;
        out.unread.push(pi);
        return true;
    }
    let k = first_value;
    let row_label: String = cs[..k].iter().map(|c| c.0.as_str()).collect();
    if !row_label.is_empty() {
        *label = Some(row_label);
        pending.clear();
    }
    if cs[k..].iter().any(|c| !is_value(&c.0)) {
        // Cells glued together (`273,277.88273,277.88`) or a row out of
        // shape: nothing in it is read, here or by any other reader.
        if patterns().section.is_match(line) || line.ends_with('。') {
            return false;
        }
        out.unread.push(pi);
        label.take();
        pending.clear();
        return true;
    }
    pending.extend(cs[k..].iter().map(|c| (c.0.clone(), c.1.clone(), pi)));
    if pending.len() < cols.len() {
        return true;
    }
    let name = label
        .take()
        .unwrap_or_default()
        .trim_start_matches("其中")
        .trim_start_matches(['：', ':'])
        .to_string();
    let name = name.trim_end_matches(['（', '(']).to_string();
    let mut row = BudgetRow {
        name,
        unit,
        ..BudgetRow::default()
    };
    if pending.len() > cols.len() {
        // More numbers than columns: a number wrapped inside its cell.
        out.scrambled_budget = true;
    }
    if pending.len() == cols.len() {
        for ((c, span, cpi), col) in pending.iter().zip(cols) {
            if is_empty_cell(c) {
                continue;
            }
            let percent = c.ends_with('%');
            let (slot, precision) = match col {
                BudgetCol::Initial => (&mut row.initial, Precision::Digits),
                BudgetCol::Budget => (&mut row.budget, Precision::Digits),
                BudgetCol::Executed => (&mut row.executed, Precision::Digits),
                BudgetCol::Points => (&mut row.points, Precision::Exact),
                BudgetCol::Rate => (&mut row.rate, Precision::Digits),
                BudgetCol::Score => (&mut row.score, Precision::AtLeast(2)),
            };
            // A percent belongs in 执行率 only; elsewhere the row is shifted.
            if percent && *col != BudgetCol::Rate {
                *slot = None;
                continue;
            }
            *slot = cell_value(text, seg, *cpi, c, span.clone(), precision);
        }
        out.budget.push(row);
    }
    pending.clear();
    true
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineUse {
    Row,
    Fragment,
    Total,
    Other,
}

/// One line of the indicator table.
fn indicator_line(
    text: &str,
    seg: &Segments,
    pi: usize,
    st: &mut IndState,
    out: &mut ScoringTables,
) -> LineUse {
    let p = patterns();
    let para = &seg.paragraphs[pi];
    let line = &text[para.span.clone()];
    let bare = |c: &str| p.bare.is_match(c);
    // 总分 row: its numbers are the total's points and score.
    if p.total.is_match(line) {
        total_row(text, seg, pi, out);
        return LineUse::Total;
    }
    if p.section.is_match(line) || line.ends_with('。') {
        return LineUse::Other;
    }
    let mut cs: Vec<(String, Range<usize>, usize)> = cells(line, para.span.start)
        .into_iter()
        .map(|(c, r)| (c, r, pi))
        .collect();
    let pair_in = |all: &[(String, Range<usize>, usize)]| {
        // The rightmost two bare numbers not followed by a third.
        (0..all.len().saturating_sub(1)).rev().find(|&i| {
            bare(&all[i].0) && bare(&all[i + 1].0) && all.get(i + 2).is_none_or(|c| !bare(&c.0))
        })
    };
    if st.open_deviation && pair_in(&cs).is_none() {
        // The 偏差原因 of the row above goes on, perhaps with the next
        // row's first cells glued after it.
        let split = deviation_end(line);
        if split > 0 {
            if let Some(last) = out.indicators.last_mut() {
                if last.deduction.is_none() {
                    last.deduction = deduction(seg, pi, &line[..split], para.span.start);
                }
            }
            if split < line.len() {
                let rest = line[split..].trim_start();
                let at = line.len() - rest.len();
                cs = cells(rest, para.span.start + at)
                    .into_iter()
                    .map(|(c, r)| (c, r, pi))
                    .collect();
            } else {
                return LineUse::Fragment;
            }
        }
    }
    st.open_deviation = false;
    let no_pair = pair_in(&cs).is_none();
    // The rest of a header whose cells wrapped (`标 值 值 进措施`).
    if st.after_header
        && no_pair
        && !line.contains(|c: char| c.is_ascii_digit())
        && !line.contains("指标")
    {
        return LineUse::Fragment;
    }
    st.after_header = false;
    // Tails of the row above's wrapped cells (`标 数量`): short pieces that
    // name no indicator. A head of the next row's names (`效益指标社会效益…`)
    // is kept for it.
    if no_pair && st.pending.is_empty() && st.after_row {
        let tail = cs.iter().all(|c| c.0.chars().count() <= 6)
            && !line.contains("指标")
            && !LEVEL1.iter().any(|l| line.starts_with(l));
        if tail {
            return LineUse::Fragment;
        }
    }
    st.after_row = false;
    let mut all = std::mem::take(&mut st.pending);
    all.extend(cs);
    // A name is words: when the cell where the name should be holds a
    // figure (`≥90%`), the numbers were read one cell off (a stray digit
    // after the score); the pair before is the row's.
    let name_ok = |all: &[(String, Range<usize>, usize)], i: usize| {
        let at = i.saturating_sub(st.value_cols + 1);
        i > st.value_cols
            && !all[at]
                .0
                .contains(|c: char| c.is_ascii_digit() || "≥≤%<>＞＜".contains(c))
    };
    let pair = match pair_in(&all) {
        Some(i) if !name_ok(&all, i) => (0..i)
            .rev()
            .find(|&j| bare(&all[j].0) && bare(&all[j + 1].0) && name_ok(&all, j)),
        other => other,
    };
    let Some(pi_points) = pair else {
        if line.chars().count() > 60 {
            return LineUse::Other;
        }
        st.pending = all;
        return LineUse::Fragment;
    };
    let mut left: Vec<(String, Range<usize>, usize)> = all[..pi_points].to_vec();
    // Skip the value columns (targets and actual values), then the name.
    let name_at = left.len().saturating_sub(st.value_cols + 1);
    left.truncate(name_at + 1);
    let mut name = left.pop().map(|c| c.0).unwrap_or_default();
    // Cells on the row's own line are whole cells, apart by the columns'
    // gaps; cells gathered from the lines before may be pieces of a
    // wrapped name.
    let whole_cells = left.iter().all(|c| c.2 == pi);
    // Left-over cells: 一级/二级指标 of a merged span's first row, or the
    // head of a wrapped name.
    let mut heads: Vec<(String, Range<usize>)> = left
        .into_iter()
        .map(|c| (c.0, c.1))
        .filter(|c| c.0 != "绩效指标")
        .collect();
    let mut l1_points: Option<(String, Range<usize>, usize)> = None;
    let mut new_l1: Option<String> = None;
    let mut new_l2: Option<String> = None;
    // 一级指标 carrying its points: 产出指标（50分）.
    if let Some((first, span)) = heads.first_mut() {
        if let Some(c) = p.level1_points.captures(&first.clone()) {
            new_l1 = Some(c[1].trim_start_matches("绩效指标").to_string());
            let num = c.get(2).unwrap();
            let start = span.end - first.len() + num.start();
            l1_points = Some((num.as_str().to_string(), start..start + num.len(), pi));
            *first = first[c.get(0).unwrap().end()..].to_string();
        }
    }
    let mut heads: Vec<String> = heads
        .into_iter()
        .map(|h| h.0)
        .filter(|h| !h.is_empty())
        .collect();
    // Two whole cells that are both indicator names: 一级 then 二级.
    if new_l1.is_none()
        && heads.len() >= 2
        && heads[0].ends_with("指标")
        && heads[1].ends_with("指标")
        && !heads[1].starts_with("指标")
    {
        new_l1 = Some(heads.remove(0));
    }
    // A 一级指标's name in a cell of its own, then other cells of the
    // line: 一级 then 二级 (`管理效率 预算编制 新增预算项目事前评估 3 3`).
    if new_l1.is_none() && whole_cells && heads.len() >= 2 && LEVEL1.contains(&heads[0].as_str()) {
        new_l1 = Some(heads.remove(0));
    }
    // In a table with a 二级指标 column, one whole cell before the 三级指标
    // under an open 一级指标 is the 二级指标 (`信息公开 预决算公开合规性 2
    // 2`), named with 指标 or not — unless it names a 一级指标 that is never
    // a 二级指标.
    let open_l1 = new_l1.is_some() || st.level1.is_some();
    if st.level2_col
        && whole_cells
        && open_l1
        && heads.len() == 1
        && (!LEVEL1.contains(&heads[0].as_str()) || ALSO_LEVEL2.contains(&heads[0].as_str()))
    {
        new_l2 = Some(heads.remove(0));
    }
    // The rest, joined (a cell the PDF wrapped or glued is one text): a
    // 一级指标 name first, then a 二级指标 name, then the head of the name.
    let joined = heads.join("");
    let mut rest = joined.trim_start_matches("绩效指标");
    if new_l1.is_none() {
        if let Some(l1) = LEVEL1
            .iter()
            .filter(|l| rest.starts_with(**l))
            .max_by_key(|l| l.len())
        {
            new_l1 = Some(l1.to_string());
            rest = &rest[l1.len()..];
        }
    }
    if !rest.is_empty() {
        if rest.ends_with("指标") {
            new_l2 = Some(rest.to_string());
        } else if let Some(c) = p.level2_prefix.captures(rest) {
            new_l2 = Some(c[1].to_string());
            name = format!("{}{name}", &c[2]);
        } else {
            name = format!("{rest}{name}");
        }
    }
    // The tail of a 二级指标 cell a page break cut (`服务对象满意度指` at the
    // foot of one page, `标` under the repeated header of the next): the
    // same 二级指标, its name made whole on the rows already read.
    if let (None, Some(l2), Some(prev)) = (&new_l1, &new_l2, &st.level2) {
        let whole = format!("{prev}{l2}");
        if !prev.ends_with("指标") && whole.ends_with("指标") && l2.chars().count() <= 2 {
            for r in out
                .indicators
                .iter_mut()
                .filter(|r| r.level2.as_deref() == Some(prev.as_str()))
            {
                r.level2 = Some(whole.clone());
            }
            new_l2 = Some(whole);
        }
    }
    if let Some(l1) = new_l1 {
        st.level1 = Some(l1.clone());
        st.level2 = None;
        if !out.level1.iter().any(|r| r.name == l1) {
            out.level1.push(Level1Row {
                name: l1,
                ..Level1Row::default()
            });
        }
    }
    if let Some(l2) = new_l2 {
        st.level2 = Some(l2);
    }
    if let (Some((v, span, cpi)), Some(l1)) = (l1_points, st.level1.as_ref()) {
        if let Some(r) = out.level1.iter_mut().find(|r| &r.name == l1) {
            r.points = cell_value(text, seg, cpi, &v, span, Precision::Exact);
        }
    }
    let (pt, sc) = (&all[pi_points], &all[pi_points + 1]);
    let points = cell_value(text, seg, pt.2, &pt.0, pt.1.clone(), Precision::Exact);
    let score = cell_value(text, seg, sc.2, &sc.0, sc.1.clone(), Precision::AtLeast(2));
    if name == "小计" || name.ends_with("小计") {
        if let Some(r) = st
            .level1
            .as_ref()
            .and_then(|l1| out.level1.iter_mut().find(|r| &r.name == l1))
        {
            r.points = points;
            r.score = score;
        }
        return LineUse::Row;
    }
    // A 偏差原因 after the numbers, with the deduction it may state.
    let dev_start = sc.1.end;
    let deduction = if sc.2 == pi && dev_start < para.span.end {
        st.open_deviation = true;
        deduction(seg, pi, &text[dev_start..para.span.end], dev_start)
    } else {
        None
    };
    st.after_row = true;
    out.indicators.push(IndicatorRow {
        level1: st.level1.clone(),
        level2: st.level2.clone(),
        name,
        points,
        score,
        deduction,
    });
    LineUse::Row
}

/// Where the 偏差原因 going on from the row above ends in a line: before a
/// 一级指标 name glued after it, else after its 「扣 X 分」, else the line's end.
fn deviation_end(line: &str) -> usize {
    if ["产出指标", "效益指标", "满意度指标"]
        .iter()
        .any(|l| line.starts_with(l))
    {
        return 0;
    }
    if let Some(i) = ["产出指标", "效益指标", "满意度指标", "成本指标"]
        .iter()
        .filter_map(|l| line.find(l))
        .min()
    {
        return i;
    }
    match patterns().deduction.find_iter(line).last() {
        Some(m) => m.end(),
        // An indicator's name, not a sentence: the next row's head.
        None if line.contains("指标") && !line.contains(['，', '。', '；']) => 0,
        None => line.len(),
    }
}

/// The 「扣 X 分」 of a 偏差原因 text that starts at byte `at`.
fn deduction(seg: &Segments, pi: usize, dev: &str, at: usize) -> Option<Cell> {
    let c = patterns().deduction.captures(dev)?;
    let m = c.get(1)?;
    let value = Stated::parse(m.as_str(), Precision::AtLeast(2))?;
    let start = at + m.start();
    Some(Cell {
        value,
        span: start..start + m.len(),
        sentence: sentence_at(seg, pi, start),
    })
}

/// The 总分 row: its last two numbers are the total's points and score
/// (one number: the score), and it may state the grade.
fn total_row(text: &str, seg: &Segments, pi: usize, out: &mut ScoringTables) {
    let p = patterns();
    let para = &seg.paragraphs[pi];
    let line = &text[para.span.clone()];
    let mut cs = cells(line, para.span.start);
    // A number the narrow cell wrapped: `99.7 7` is 99.77 and `97. 75` is
    // 97.75 — the row has two numbers, points and score.
    let numeric = |c: &str| c.chars().all(|ch| ch.is_ascii_digit() || ch == '.') && !c.is_empty();
    let count = cs.iter().filter(|c| numeric(&c.0)).count();
    if count == 3 {
        let k = cs.iter().rposition(|c| numeric(&c.0)).unwrap();
        if k > 0 && numeric(&cs[k - 1].0) && cs[k].0.chars().all(|c| c.is_ascii_digit()) {
            let (tail, r) = cs.remove(k);
            let prev = &mut cs[k - 1];
            if prev.0.contains('.') || prev.0.ends_with('.') {
                prev.0.push_str(&tail);
                prev.1.end = r.end;
            }
        }
    }
    let nums: Vec<&(String, Range<usize>)> = cs.iter().filter(|c| p.bare.is_match(&c.0)).collect();
    let (points, score) = match nums.as_slice() {
        [s] => (None, Some(*s)),
        [.., pt, s] => (Some(*pt), Some(*s)),
        [] => (None, None),
    };
    out.total_points =
        points.and_then(|c| cell_value(text, seg, pi, &c.0, c.1.clone(), Precision::Exact));
    out.total_score =
        score.and_then(|c| cell_value(text, seg, pi, &c.0, c.1.clone(), Precision::AtLeast(2)));
    if let Some(c) = p.grade.captures(line) {
        let m = c.get(1).unwrap();
        let g = match m.as_str() {
            "优" | "优秀" => Grade::Excellent,
            "良" | "良好" => Grade::Good,
            "中" | "中等" | "合格" => Grade::Fair,
            _ => Grade::Poor,
        };
        let at = para.span.start + m.start();
        out.grade = Some((g, at..at + m.len(), sentence_at(seg, pi, at)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::segment;

    fn brief(t: &ScoringTables, text: &str) -> Vec<String> {
        let v = |c: &Option<Cell>| {
            c.as_ref()
                .map(|c| {
                    assert_eq!(
                        text[c.span.clone()].trim_end_matches('%'),
                        c.value.to_string()
                    );
                    c.value.to_string()
                })
                .unwrap_or("-".into())
        };
        let mut out = Vec::new();
        for b in &t.budget {
            out.push(format!(
                "B {} {:?} {} {} {} {} {} {}",
                b.name,
                b.unit,
                v(&b.initial),
                v(&b.budget),
                v(&b.executed),
                v(&b.points),
                v(&b.rate),
                v(&b.score)
            ));
        }
        for l in &t.level1 {
            out.push(format!("L1 {} {} {}", l.name, v(&l.points), v(&l.score)));
        }
        for i in &t.indicators {
            out.push(format!(
                "I {}/{}/{} {} {}",
                i.level1.as_deref().unwrap_or("-"),
                i.level2.as_deref().unwrap_or("-"),
                i.name,
                v(&i.points),
                v(&i.score)
            ));
        }
        out.push(format!("T {} {}", v(&t.total_points), v(&t.total_score)));
        out
    }

    #[test]
    fn a_flattened_form_with_merged_and_wrapped_cells() {
        let t = "项目资金\n（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n年度资金总额 500 520 508.6 10 97.81% 9.78\n其中：当年财政拨款 500 480 468.6 — 97.63% —\n其他资金 0 40 40 — 100% —\n年度总体目标预期目标实际完成情况为全市3000名以上经济困难老年人提供居家养老上门服务，服务满意率不低于90%。\n绩效指标一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施\n产出指标（50分） 数量指标 服务老年人数 ≥3000 人 3120 人 15 15\n上门服务人次 ≥36000 人次 35200 人次 10 9.78 部分老人住院，服务暂停\n质量指标 服务满意率 ≥90% 96% 10 10\n效益指标社会效益指标老年人居家生活质量\n改善 明显改善 明显改善 20 18 服务频次有待提高\n可持续影响指标居家养老服务网络覆\n盖率 ≥85% 88% 10 12\n满意度指标 服务对象满意\n度指标 老年人满意度 ≥90% 95.2% 10 10\n总分 100 96.78 自评等级：优\n";
        let seg = segment(t);
        let got = brief(&read(t, &seg, &mut Claims::default()), t);
        assert_eq!(
            got,
            [
                "B 年度资金总额 Some(WanYuan) 500 520 508.6 10 97.81 9.78",
                "B 当年财政拨款 Some(WanYuan) 500 480 468.6 - 97.63 -",
                "B 其他资金 Some(WanYuan) 0 40 40 - 100 -",
                "L1 产出指标 50 -",
                "L1 效益指标 - -",
                "L1 满意度指标 - -",
                "I 产出指标/数量指标/服务老年人数 15 15",
                "I 产出指标/数量指标/上门服务人次 10 9.78",
                "I 产出指标/质量指标/服务满意率 10 10",
                "I 效益指标/社会效益指标/老年人居家生活质量改善 20 18",
                "I 效益指标/可持续影响指标/居家养老服务网络覆盖率 10 12",
                "I 满意度指标/服务对象满意度指标/老年人满意度 10 10",
                "T 100 96.78",
            ]
        );
    }

    #[test]
    fn cells_one_per_line_and_a_repeated_header() {
        let t = "项目资金（万元）\n年初预算数 全年预算数 全年执行数 分值 执行率 得分\n年度资金总额\n120\n120\n96\n10\n80%\n8\n一级指标 二级指标 三级指标 指标值 完成值 分值 得分\n产出指标\n数量指标\n培训人次\n≥500人次\n620人次\n20\n20\n一级指标 二级指标 三级指标 指标值 完成值 分值 得分\n效益指标 社会效益指标 群众知晓率 ≥80% 78% 20 19.5\n合计 40 39.5\n";
        let seg = segment(t);
        let got = brief(&read(t, &seg, &mut Claims::default()), t);
        assert_eq!(
            got,
            [
                "B 年度资金总额 Some(WanYuan) 120 120 96 10 80 8",
                "L1 产出指标 - -",
                "L1 效益指标 - -",
                "I 产出指标/数量指标/培训人次 20 20",
                "I 效益指标/社会效益指标/群众知晓率 20 19.5",
                "T 40 39.5",
            ]
        );
    }
}
