//! The indicator table: a header naming 一级指标, 二级指标, 三级指标,
//! optionally 年度指标值, 实际完成值 and 偏差原因 around 分值 and 得分; a row
//! read from its right end (see the docs of [`super`]).

use super::budget_table::is_header_line;
use super::mixed_table::{self, Mixed};
use super::{
    bare, cell_value, cells, pair_in, sentence_at, Cell, IndicatorRow, Level1Row, Piece,
    ScoringTables, ALSO_LEVEL2, BARE, DEDUCTION, GRADE, LEVEL1, LEVEL1_POINTS, LEVEL2_PREFIX,
    SECTION, TOTAL,
};
use crate::model::Grade;
use crate::number::{Precision, Stated};
use crate::segment::Segments;
use std::ops::Range;

/// What an indicator table's header says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct IndicatorHeader {
    /// The value columns (年度指标值, 实际完成值…) between the indicator's
    /// name and 分值.
    pub value_cols: usize,
    /// Where cells the PDF glued to the header begin, if it did.
    pub tail: Option<usize>,
    /// The header names a 二级指标 column.
    pub level2_col: bool,
    /// One 指标 column for every level (see [`super::mixed_table`]).
    pub mixed: bool,
}

/// An indicator table's header: the number of value columns (年度指标值,
/// 实际完成值…) between the indicator's name and 分值, and where cells the
/// PDF glued to the header begin (`…偏差原因分析及改进措施产出指标数量指标…`).
/// A caption before the header (`表2 项目绩效指标完成情况`) is allowed.
pub(super) fn indicator_header(line: &str) -> Option<IndicatorHeader> {
    let level_first = ["一级指标", "二级指标", "三级指标"]
        .iter()
        .filter_map(|w| line.find(w))
        .min();
    let (first, mixed) = match level_first {
        Some(f) => (f, false),
        None => (mixed_table::header_start(line)?, true),
    };
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
    let named = mixed || compact.contains("三级指标") || compact.contains("二级指标");
    let scored = (compact.contains("分值") || compact.contains("权重"))
        && (compact.contains("得分") || compact.contains("评分"));
    if !(named && scored) || compact.contains("执行数") {
        return None;
    }
    // A mixed table's header starts at its one name column.
    let name_at = compact
        .find("三级指标")
        .or_else(|| compact.find("二级指标"))
        .or(mixed.then_some(0))?;
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
    Some(IndicatorHeader {
        value_cols: n,
        tail,
        level2_col: compact.contains("二级指标"),
        mixed,
    })
}

/// The indicator table being read.
pub(super) struct IndState {
    pub value_cols: usize,
    /// The header names a 二级指标 column.
    pub level2_col: bool,
    pub level1: Option<String>,
    pub level2: Option<String>,
    /// Text of a name the cell wrapped, or cells one per line.
    pub pending: Vec<Piece>,
    /// The last row ended in a 偏差原因 that may go on on the next lines.
    pub open_deviation: bool,
    /// The line before was the header, or a complete row.
    pub after_header: bool,
    pub after_row: bool,
    /// A table with one 指标 column for every level, being read.
    pub mixed: Option<Mixed>,
}

/// What a line was to the indicator table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LineUse {
    /// A scored row (or a 小计 row).
    Row,
    /// A piece of a row or of the header: read, the row goes on.
    Fragment,
    /// The 总分 row, which ends the table.
    Total,
    /// Not the table's: the table has ended.
    Other,
}

/// The names a row's left cells give: a 一级指标 (perhaps with its points,
/// `产出指标（50分）`), a 二级指标, and the 三级指标's name.
#[derive(Default)]
struct RowNames {
    level1: Option<String>,
    level1_points: Option<Piece>,
    level2: Option<String>,
    name: String,
}

/// One line of the indicator table.
pub(super) fn indicator_line(
    text: &str,
    seg: &Segments,
    pi: usize,
    st: &mut IndState,
    out: &mut ScoringTables,
) -> LineUse {
    let para = &seg.paragraphs[pi];
    let line = &text[para.span.clone()];
    // 总分 row: its numbers are the total's points and score.
    if TOTAL.is_match(line) {
        total_row(text, seg, pi, out);
        return LineUse::Total;
    }
    let mut cs = pieces(line, para.span.start, pi);
    // A new section ends the table, unless it is a numbered row of a
    // mixed table (`一、产出指标 50 48`).
    let numbered = st.mixed.is_some() && mixed_table::numbered_row(&cs, line);
    if (SECTION.is_match(line) && !numbered) || line.ends_with('。') {
        return LineUse::Other;
    }
    if st.open_deviation && pair_in(&cs).is_none() {
        match continue_deviation(seg, pi, line, out) {
            Some(rest) => cs = rest,
            None => return LineUse::Fragment,
        }
    }
    st.open_deviation = false;
    let no_pair = pair_in(&cs).is_none();
    if st.after_header && no_pair && is_header_rest(line) {
        return LineUse::Fragment;
    }
    st.after_header = false;
    if no_pair && st.pending.is_empty() && st.after_row && is_row_tail(line, &cs) {
        return LineUse::Fragment;
    }
    st.after_row = false;
    let mut all = std::mem::take(&mut st.pending);
    all.extend(cs);
    let pair = match st.mixed {
        Some(_) => mixed_table::pair(&all),
        None => row_pair(&all, st.value_cols),
    };
    let Some(pair) = pair else {
        if line.chars().count() > 60 {
            return LineUse::Other;
        }
        st.pending = all;
        return LineUse::Fragment;
    };
    let names = match st.mixed {
        Some(_) => RowNames {
            name: mixed_table::name(&all[..pair], st.value_cols),
            ..RowNames::default()
        },
        None => row_names(&all[..pair], pi, st, out),
    };
    let name = names.name.clone();
    open_names(seg, names, st, out);
    let (pt, sc) = (&all[pair], &all[pair + 1]);
    let points = cell_value(seg, pt.para, &pt.text, pt.span.clone(), Precision::Exact);
    let score = cell_value(
        seg,
        sc.para,
        &sc.text,
        sc.span.clone(),
        Precision::AtLeast(2),
    );
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
    let dev_start = sc.span.end;
    let deduction = if sc.para == pi && dev_start < para.span.end {
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

/// The cells of a line as pieces of paragraph `pi`.
fn pieces(line: &str, start: usize, pi: usize) -> Vec<Piece> {
    cells(line, start)
        .into_iter()
        .map(|(text, span)| Piece {
            text,
            span,
            para: pi,
        })
        .collect()
}

/// The row's 分值 and 得分. A name is words: when the cell where the name
/// should be holds a figure (`≥90%`), the numbers were read one cell off
/// (a stray digit after the score); the pair before is the row's.
fn row_pair(all: &[Piece], value_cols: usize) -> Option<usize> {
    let name_ok = |i: usize| {
        let at = i.saturating_sub(value_cols + 1);
        i > value_cols
            && !all[at]
                .text
                .contains(|c: char| c.is_ascii_digit() || "≥≤%<>＞＜".contains(c))
    };
    match pair_in(all) {
        Some(i) if !name_ok(i) => (0..i)
            .rev()
            .find(|&j| bare(&all[j].text) && bare(&all[j + 1].text) && name_ok(j)),
        other => other,
    }
}

/// The 偏差原因 of the row above goes on, perhaps with the next row's first
/// cells glued after it: its deduction is the row above's, and the cells
/// after it (None when there are none) are this line's.
fn continue_deviation(
    seg: &Segments,
    pi: usize,
    line: &str,
    out: &mut ScoringTables,
) -> Option<Vec<Piece>> {
    let start = seg.paragraphs[pi].span.start;
    let split = deviation_end(line);
    if split == 0 {
        return Some(pieces(line, start, pi));
    }
    if let Some(last) = out.indicators.last_mut() {
        if last.deduction.is_none() {
            last.deduction = deduction(seg, pi, &line[..split], start);
        }
    }
    if split >= line.len() {
        return None;
    }
    let rest = line[split..].trim_start();
    let at = line.len() - rest.len();
    Some(pieces(rest, start + at, pi))
}

/// The rest of a header whose cells wrapped (`标 值 值 进措施`).
fn is_header_rest(line: &str) -> bool {
    !line.contains(|c: char| c.is_ascii_digit()) && !line.contains("指标")
}

/// Tails of the row above's wrapped cells (`标 数量`): short pieces that
/// name no indicator. A head of the next row's names (`效益指标社会效益…`)
/// is not: it is kept for that row.
fn is_row_tail(line: &str, cs: &[Piece]) -> bool {
    cs.iter().all(|c| c.text.chars().count() <= 6)
        && !line.contains("指标")
        && !LEVEL1.iter().any(|l| line.starts_with(l))
}

/// The names of a row from the cells left of its 分值: skip the value
/// columns (targets and actual values), then the name; what is left are
/// the 一级/二级指标 of a merged span's first row, or the head of a
/// wrapped name.
fn row_names(left: &[Piece], pi: usize, st: &IndState, out: &mut ScoringTables) -> RowNames {
    let mut left: Vec<Piece> = left.to_vec();
    let name_at = left.len().saturating_sub(st.value_cols + 1);
    left.truncate(name_at + 1);
    let mut names = RowNames {
        name: left.pop().map(|c| c.text).unwrap_or_default(),
        ..RowNames::default()
    };
    // Cells on the row's own line are whole cells, apart by the columns'
    // gaps; cells gathered from the lines before may be pieces of a
    // wrapped name.
    let whole_cells = left.iter().all(|c| c.para == pi);
    let mut heads: Vec<Piece> = left.into_iter().filter(|c| c.text != "绩效指标").collect();
    level1_points(&mut heads, pi, &mut names);
    let heads: Vec<String> = heads
        .into_iter()
        .map(|h| h.text)
        .filter(|h| !h.is_empty())
        .collect();
    head_names(heads, whole_cells, st, &mut names);
    cut_level2_tail(st, out, &mut names);
    names
}

/// A 一级指标 cell carrying its points, `产出指标（50分）`, perhaps wrapped
/// in its cell (`产出指标（50` over `分）`, two pieces of the line): the
/// 一级指标 and its points are taken from the row's first cells, and what
/// follows the closing bracket stays a head of the row.
fn level1_points(heads: &mut Vec<Piece>, pi: usize, names: &mut RowNames) {
    // The pieces up to the bracket's close, as one text.
    let open = |t: &str| t.matches(['（', '(']).count() > t.matches(['）', ')']).count();
    let mut joined = String::new();
    let mut parts = 0;
    for h in heads.iter() {
        joined.push_str(&h.text);
        parts += 1;
        if !open(&joined) || joined.chars().count() > 16 {
            break;
        }
    }
    let Some(c) = LEVEL1_POINTS.captures(&joined) else {
        return;
    };
    names.level1 = Some(c[1].trim_start_matches("绩效指标").to_string());
    // The number's place: in the piece that holds it (pieces are apart by
    // a space the text has and the joined text has not).
    let num = c.get(2).unwrap();
    let mut at = 0;
    for h in &heads[..parts] {
        if num.start() < at + h.text.len() {
            let start = h.span.start + num.start() - at;
            names.level1_points = Some(Piece {
                text: num.as_str().to_string(),
                span: start..start + num.len(),
                para: pi,
            });
            break;
        }
        at += h.text.len();
    }
    let rest = joined[c.get(0).unwrap().end()..].to_string();
    heads.drain(1..parts);
    heads[0].text = rest;
}

/// The 一级/二级指标 and the name's head from the cells left of the name.
fn head_names(mut heads: Vec<String>, whole_cells: bool, st: &IndState, names: &mut RowNames) {
    // Two whole cells that are both indicator names: 一级 then 二级.
    if names.level1.is_none()
        && heads.len() >= 2
        && heads[0].ends_with("指标")
        && heads[1].ends_with("指标")
        && !heads[1].starts_with("指标")
    {
        names.level1 = Some(heads.remove(0));
    }
    // A 一级指标's name in a cell of its own, then other cells of the
    // line: 一级 then 二级 (`管理效率 预算编制 新增预算项目事前评估 3 3`).
    if names.level1.is_none()
        && whole_cells
        && heads.len() >= 2
        && LEVEL1.contains(&heads[0].as_str())
    {
        names.level1 = Some(heads.remove(0));
    }
    // In a table with a 二级指标 column, one whole cell before the 三级指标
    // under an open 一级指标 is the 二级指标 (`信息公开 预决算公开合规性 2
    // 2`), named with 指标 or not — unless it names a 一级指标 that is never
    // a 二级指标.
    let open_l1 = names.level1.is_some() || st.level1.is_some();
    if st.level2_col
        && whole_cells
        && open_l1
        && heads.len() == 1
        && (!LEVEL1.contains(&heads[0].as_str()) || ALSO_LEVEL2.contains(&heads[0].as_str()))
    {
        names.level2 = Some(heads.remove(0));
    }
    // The rest, joined (a cell the PDF wrapped or glued is one text): a
    // 一级指标 name first, then a 二级指标 name, then the head of the name.
    let joined = heads.join("");
    let mut rest = joined.trim_start_matches("绩效指标");
    if names.level1.is_none() {
        if let Some(l1) = LEVEL1
            .iter()
            .filter(|l| rest.starts_with(**l))
            .max_by_key(|l| l.len())
        {
            names.level1 = Some(l1.to_string());
            rest = &rest[l1.len()..];
        }
    }
    if !rest.is_empty() {
        if rest.ends_with("指标") {
            names.level2 = Some(rest.to_string());
        } else if let Some(c) = LEVEL2_PREFIX.captures(rest) {
            names.level2 = Some(c[1].to_string());
            names.name = format!("{}{}", &c[2], names.name);
        } else {
            names.name = format!("{rest}{}", names.name);
        }
    }
}

/// The tail of a 二级指标 cell a page break cut (`服务对象满意度指` at the
/// foot of one page, `标` under the repeated header of the next): the same
/// 二级指标, its name made whole on the rows already read.
fn cut_level2_tail(st: &IndState, out: &mut ScoringTables, names: &mut RowNames) {
    if let (None, Some(l2), Some(prev)) = (&names.level1, &names.level2, &st.level2) {
        let whole = format!("{prev}{l2}");
        if !prev.ends_with("指标") && whole.ends_with("指标") && l2.chars().count() <= 2 {
            for r in out
                .indicators
                .iter_mut()
                .filter(|r| r.level2.as_deref() == Some(prev.as_str()))
            {
                r.level2 = Some(whole.clone());
            }
            names.level2 = Some(whole);
        }
    }
}

/// Opens the 一级/二级指标 a row names, with the 一级指标's points.
fn open_names(seg: &Segments, names: RowNames, st: &mut IndState, out: &mut ScoringTables) {
    if let Some(l1) = names.level1 {
        st.level1 = Some(l1.clone());
        st.level2 = None;
        if !out.level1.iter().any(|r| r.name == l1) {
            out.level1.push(Level1Row {
                name: l1,
                ..Level1Row::default()
            });
        }
    }
    if let Some(l2) = names.level2 {
        st.level2 = Some(l2);
    }
    if let (Some(c), Some(l1)) = (names.level1_points, st.level1.as_ref()) {
        if let Some(r) = out.level1.iter_mut().find(|r| &r.name == l1) {
            r.points = cell_value(seg, c.para, &c.text, c.span, Precision::Exact);
        }
    }
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
    match DEDUCTION.find_iter(line).last() {
        Some(m) => m.end(),
        // An indicator's name, not a sentence: the next row's head.
        None if line.contains("指标") && !line.contains(['，', '。', '；']) => 0,
        None => line.len(),
    }
}

/// The 「扣 X 分」 of a 偏差原因 text that starts at byte `at`.
fn deduction(seg: &Segments, pi: usize, dev: &str, at: usize) -> Option<Cell> {
    let c = DEDUCTION.captures(dev)?;
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
pub(super) fn total_row(text: &str, seg: &Segments, pi: usize, out: &mut ScoringTables) {
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
    let nums: Vec<&(String, Range<usize>)> = cs.iter().filter(|c| BARE.is_match(&c.0)).collect();
    let (points, score) = match nums.as_slice() {
        [s] => (None, Some(*s)),
        [.., pt, s] => (Some(*pt), Some(*s)),
        [] => (None, None),
    };
    out.total_points =
        points.and_then(|c| cell_value(seg, pi, &c.0, c.1.clone(), Precision::Exact));
    out.total_score =
        score.and_then(|c| cell_value(seg, pi, &c.0, c.1.clone(), Precision::AtLeast(2)));
    if let Some(c) = GRADE.captures(line) {
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
