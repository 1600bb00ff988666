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
//! **The indicator table in one column**: a header naming 绩效指标 (指标名称,
//! 评价指标) but no 一级/二级/三级指标, and every level's rows in that one
//! column, each with its 分值 and 得分. The rows are read the same way;
//! their levels are those under which every row's points are its
//! children's sum ([`mixed_table`]), and a table whose points close under
//! no reading is left to the other readers.
//!
//! Both tables may run over a page break (the rows go on; a header row
//! repeated on the next page is read again as the same header) and may
//! come with their cells one per line: cells are gathered across lines
//! until a row is complete (for the budget table, one cell per column; for
//! indicators, the two numbers).

mod budget_table;
mod flat_budget;
mod indicator_table;
mod mixed_table;

use super::Claims;
use crate::model::{Grade, Unit};
use crate::number::{Precision, Stated};
use crate::segment::Segments;
use budget_table::{budget_header, budget_line, BudgetState};
use indicator_table::{indicator_header, indicator_line, IndState, IndicatorHeader, LineUse};
use mixed_table::Mixed;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// One number of a table, where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub value: Stated,
    pub span: Range<usize>,
    pub sentence: usize,
}

/// A piece of a table row as the text gives it: a cell's text, where it
/// is, and the paragraph (line) it is on.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Piece {
    text: String,
    span: Range<usize>,
    para: usize,
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

/// A unit written as a cell of its own after a number (`3120 人`).
pub(super) static UNIT_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:%|‰|人次|人|次|万元|亿元|元|个|项|天|日|月|年|户|场|家|所|小时|台|套|件|平方米|公里|千米|米|册|份|篇|期|批|辆|名|位|座|处|条|张|本|部|起|吨|亩|公顷|分钟|分)$",
    )
    .unwrap()
});

/// A bare number cell (分 allowed after it).
pub(super) static BARE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(-?\d[\d,]*(?:\.\d+)?)分?$").unwrap());

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

/// A bare number cell (分 allowed after it).
fn bare(c: &str) -> bool {
    BARE.is_match(c)
}

/// The rightmost two bare numbers not followed by a third: 分值 and 得分.
fn pair_in(all: &[Piece]) -> Option<usize> {
    (0..all.len().saturating_sub(1)).rev().find(|&i| {
        bare(&all[i].text)
            && bare(&all[i + 1].text)
            && all.get(i + 2).is_none_or(|c| !bare(&c.text))
    })
}

/// A 一级指标 cell carrying its points: 产出指标（50分）.
pub(super) static LEVEL1_POINTS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.+?)[（(](\d+(?:\.\d+)?)分[)）]").unwrap());

/// A 二级指标 name glued before the 三级指标's.
pub(super) static LEVEL2_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.{2,12}?指标)(.+)$").unwrap());

/// The 总分 row.
pub(super) static TOTAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:总分|合计|总计|综合得分|自评总分)").unwrap());

/// 「扣 X 分」 in a 偏差原因.
pub(super) static DEDUCTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"扣(?:减|除)?\s*(\d+(?:\.\d+)?)\s*分").unwrap());

/// A new section or numbered heading ends a table.
pub(super) static SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|表\s*\d)").unwrap()
});

/// The grade a 总分 row states.
pub(super) static GRADE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\s|等级[：:为]?\s*)(优秀|良好|中等|不合格|合格|优|良|中|差)$").unwrap()
});

/// The unit a table's header or caption names.
pub(super) static TABLE_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[（(](?:单位[：:])?(万元|亿元|元)[)）]|单位[：:]\s*(万元|亿元|元)").unwrap()
});

/// The cells of a normalized row: space-separated tokens, a unit token
/// joined to the number before it (`3120 人` is one cell) and a comparison
/// sign to the number after it (`≥ 90%`).
fn cells(line: &str, start: usize) -> Vec<(String, Range<usize>)> {
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
                UNIT_WORD.is_match(tok) && last.0.ends_with(|c: char| c.is_ascii_digit());
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

fn sentence_at(seg: &Segments, para: usize, at: usize) -> usize {
    let range = seg.paragraphs[para].sentences.clone();
    range
        .clone()
        .find(|&s| seg.sentences[s].span.contains(&at) || seg.sentences[s].span.end == at)
        .unwrap_or(range.start)
}

/// The table being read, if any.
enum Mode {
    None,
    Budget(BudgetState),
    Indicators(IndState),
}

/// Reads the budget execution and indicator tables of a document, and
/// claims every line it reads.
pub fn read(text: &str, seg: &Segments, claims: &mut Claims) -> ScoringTables {
    let mut out = ScoringTables::default();
    let mut mode = Mode::None;
    let mut prev_line = "";
    for (pi, para) in seg.paragraphs.iter().enumerate() {
        let line = &text[para.span.clone()];
        let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(cols) = budget_header(&compact).or_else(|| flat_budget::trailing_header(line)) {
            let unit = TABLE_UNIT
                .captures(line)
                .or_else(|| TABLE_UNIT.captures(prev_line))
                .and_then(|c| Unit::parse(c.get(1).or(c.get(2)).unwrap().as_str()))
                .or(Some(Unit::WanYuan));
            // A repeated header keeps the unit of the table it repeats.
            let unit = match &mode {
                Mode::Budget(b) if !TABLE_UNIT.is_match(line) => b.unit,
                _ => unit,
            };
            end_table(&mut mode, &mut out, claims);
            mode = Mode::Budget(BudgetState {
                cols,
                unit,
                label: None,
                pending: Vec::new(),
            });
            claims.claim(pi);
            prev_line = line;
            continue;
        }
        // A budget table flattened into a paragraph (which may hold the
        // indicator table's header too): its rows, the paragraph left to
        // the other readers.
        if out.budget.is_empty() && matches!(mode, Mode::None) {
            flat_budget::read_flat_budget(text, seg, pi, &mut out);
        }
        if let Some(header) = indicator_header(line) {
            // A header repeated on the next page goes on with the table;
            // a header of the other kind of indicator table ends it.
            let goes_on =
                matches!(&mode, Mode::Indicators(st) if st.mixed.is_some() == header.mixed);
            if !goes_on {
                end_table(&mut mode, &mut out, claims);
            }
            let mut st = indicator_state(header, &mode, line, para.span.clone(), pi);
            st.mixed = match std::mem::replace(&mut mode, Mode::None) {
                Mode::Indicators(old) => old.mixed,
                _ => None,
            };
            if header.mixed && st.mixed.is_none() {
                st.mixed = Some(Mixed::new(&out));
            }
            claim(&mut st, claims, pi);
            mode = Mode::Indicators(st);
            prev_line = line;
            continue;
        }
        let mut ended = false;
        match &mut mode {
            Mode::None => {}
            Mode::Budget(st) => {
                if budget_line(text, seg, pi, st, &mut out) {
                    claims.claim(pi);
                } else {
                    ended = true;
                }
            }
            Mode::Indicators(st) => {
                let r = indicator_line(text, seg, pi, st, &mut out);
                if r != LineUse::Other {
                    claim(st, claims, pi);
                }
                ended = matches!(r, LineUse::Total | LineUse::Other);
            }
        }
        if ended {
            end_table(&mut mode, &mut out, claims);
        }
        prev_line = line;
    }
    end_table(&mut mode, &mut out, claims);
    out
}

/// Claims a line an indicator table read; a mixed table's lines are
/// claimed when its points close (see [`mixed_table::finish`]).
fn claim(st: &mut IndState, claims: &mut Claims, pi: usize) {
    match &mut st.mixed {
        Some(m) => m.paras.push(pi),
        None => claims.claim(pi),
    }
}

/// Ends the table being read: a mixed indicator table becomes its tree.
fn end_table(mode: &mut Mode, out: &mut ScoringTables, claims: &mut Claims) {
    if let Mode::Indicators(st) = std::mem::replace(mode, Mode::None) {
        if let Some(m) = st.mixed {
            mixed_table::finish(m, out, claims);
        }
    }
}

/// The state of an indicator table whose header was just read: a header
/// repeated on the next page keeps the open 一级/二级指标, and cells the PDF
/// glued to the header line start the first row.
fn indicator_state(
    header: IndicatorHeader,
    mode: &Mode,
    line: &str,
    span: Range<usize>,
    pi: usize,
) -> IndState {
    let (level1, level2) = match mode {
        Mode::Indicators(st) => (st.level1.clone(), st.level2.clone()),
        _ => (None, None),
    };
    let pending = match header.tail {
        Some(at) => vec![Piece {
            text: line[at..].to_string(),
            span: span.start + at..span.end,
            para: pi,
        }],
        None => Vec::new(),
    };
    IndState {
        value_cols: header.value_cols,
        level2_col: header.level2_col,
        level1,
        level2,
        pending,
        open_deviation: false,
        after_header: true,
        after_row: false,
        mixed: None,
    }
}

fn cell_value(
    seg: &Segments,
    pi: usize,
    s: &str,
    span: Range<usize>,
    precision: Precision,
) -> Option<Cell> {
    let digits = BARE.captures(s.trim_end_matches('%'))?;
    let num = digits.get(1)?;
    let value = Stated::parse(num.as_str(), precision)?;
    let span = span.start..span.start + num.end() + usize::from(s.ends_with('%'));
    Some(Cell {
        value,
        sentence: sentence_at(seg, pi, span.start),
        span,
    })
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

    /// One 绩效指标 column for every level, numbered or not: the tree is
    /// the one the rows' points close on, the lines are claimed.
    #[test]
    fn a_mixed_column_is_read_as_the_tree_its_points_close_on() {
        let t = "表2 绩效指标完成情况\n绩效指标 年度指标值 实际完成值 分值 得分 偏差原因\n一、产出指标 50 48\n（一）数量指标 30 30\n1.培训人次 ≥500人次 620人次 20 20\n2.示范基地数量 5个 5个 10 10\n（二）质量指标 20 18\n3.培训合格率 ≥95% 93% 20 18 扣2分\n二、效益指标 50 49\n社会效益指标 50 49\n群众知晓率 明显提升 明显提升 50 49\n总分 100 97 优\n";
        let seg = segment(t);
        let mut claims = Claims::default();
        let got = brief(&read(t, &seg, &mut claims), t);
        assert_eq!(
            got,
            [
                "L1 产出指标 50 48",
                "L1 效益指标 50 49",
                "I 产出指标/数量指标/培训人次 20 20",
                "I 产出指标/数量指标/示范基地数量 10 10",
                "I 产出指标/质量指标/培训合格率 20 18",
                "I 效益指标/社会效益指标/群众知晓率 50 49",
                "T 100 97",
            ]
        );
        assert!((1..seg.paragraphs.len()).all(|p| claims.contains(p)));
    }

    /// Two levels (一级 and 三级指标, names without 指标): 决策 20 is 5 + 15.
    #[test]
    fn a_mixed_column_of_two_levels() {
        let t = "指标名称 分值 得分\n决策 20 19\n立项依据充分性 5 5\n绩效目标合理性 15 14\n过程 80 80\n资金到位率 30 30\n预算执行率 50 50\n合计 100 99\n";
        let seg = segment(t);
        let got = brief(&read(t, &seg, &mut Claims::default()), t);
        assert_eq!(
            got,
            [
                "L1 决策 20 19",
                "L1 过程 80 80",
                "I 决策/-/立项依据充分性 5 5",
                "I 决策/-/绩效目标合理性 15 14",
                "I 过程/-/资金到位率 30 30",
                "I 过程/-/预算执行率 50 50",
                "T 100 99",
            ]
        );
    }

    /// Points that close under no reading (a row lost, a figure glued): the
    /// table is not read, not even its 总分, and its lines are left to the
    /// other readers.
    #[test]
    fn a_mixed_column_whose_points_do_not_close_is_not_read() {
        let t = "绩效指标 分值 得分\n产出指标 50 48\n数量指标 30 30\n培训人次 20 20\n质量指标 20 18\n培训合格率 15 13\n总分 100 97\n";
        let seg = segment(t);
        let mut claims = Claims::default();
        let got = brief(&read(t, &seg, &mut claims), t);
        assert_eq!(got, ["T - -"]);
        assert!((0..seg.paragraphs.len()).all(|p| !claims.contains(p)));
    }

    /// A 一级指标 cell whose points wrapped onto a second line of the cell
    /// (`产出指标（50` over `分）`): its points are read, and the row's
    /// 二级指标 is not taken for a piece of it.
    #[test]
    fn points_in_a_level1_name_that_wrapped() {
        let t = "一级指标 二级指标 三级指标 分值 得分\n产出指标（50 分） 数量指标 培训人次 30 30\n质量指标 培训合格率 20 18\n效益指标（50分） 社会效益指标 群众知晓率 50 49\n总分 100 97\n";
        let seg = segment(t);
        let got = brief(&read(t, &seg, &mut Claims::default()), t);
        assert_eq!(
            got,
            [
                "L1 产出指标 50 -",
                "L1 效益指标 50 -",
                "I 产出指标/数量指标/培训人次 30 30",
                "I 产出指标/质量指标/培训合格率 20 18",
                "I 效益指标/社会效益指标/群众知晓率 50 49",
                "T 100 97",
            ]
        );
    }
}
