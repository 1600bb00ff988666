//! The budget execution table of a 项目支出绩效自评表: a header naming
//! 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分 (any subset, in
//! any order), then a row per source of funds, one cell per column.

use super::{cell_value, cells, BudgetRow, Cell, Piece, ScoringTables, BARE, SECTION};
use crate::model::Unit;
use crate::number::Precision;
use crate::segment::Segments;
use crate::text::table_line::is_empty_cell;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum BudgetCol {
    Initial,
    Budget,
    Executed,
    Points,
    Rate,
    Score,
    /// Words, not figures: how the score is computed (得分计算方法), a
    /// remark (备注, 说明).
    Note,
}

/// The budget table being read.
pub(super) struct BudgetState {
    pub cols: Vec<BudgetCol>,
    pub unit: Option<Unit>,
    /// The label of a row whose cells come one per line.
    pub label: Option<String>,
    /// Cells gathered for that row so far.
    pub pending: Vec<Piece>,
}

/// A header is words only: no figures, no sentence (a sentence that
/// names 预算数 and 执行数 states them). A figure in brackets is part of a
/// column's name: 「分值（10分）」.
pub(super) fn is_header_line(compact: &str) -> bool {
    let words = BRACKETED_FIGURE.replace_all(compact, "");
    words.chars().count() <= 80
        && !words.contains(|c: char| c.is_ascii_digit() || "，。；,;".contains(c))
}

static BRACKETED_FIGURE: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"[（(][0-9.]+分?[）)]").unwrap());

/// Header columns of the budget table, in the order the header names them.
pub(super) fn budget_header(compact: &str) -> Option<Vec<BudgetCol>> {
    if !is_header_line(compact) {
        return None;
    }
    let executed = compact.contains("执行数");
    let budget = compact.contains("预算数");
    if !(executed && budget) {
        return None;
    }
    // A note's name first: 「得分计算方法」 is not a 得分 column.
    let words: &[(&str, BudgetCol)] = &[
        ("得分计算方法", BudgetCol::Note),
        ("计分方法", BudgetCol::Note),
        ("评分标准", BudgetCol::Note),
        ("计算方法", BudgetCol::Note),
        ("备注", BudgetCol::Note),
        ("说明", BudgetCol::Note),
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
    let figures = cols.iter().filter(|c| **c != BudgetCol::Note).count();
    (figures >= 3).then_some(cols)
}

/// Whether a cell is a value of the table: a bare number, a percent or an
/// empty cell.
fn is_value(c: &str) -> bool {
    is_empty_cell(c) || BARE.is_match(c.trim_end_matches('%')) && !c.ends_with('分')
}

/// One line of the budget table; false when the table has ended.
pub(super) fn budget_line(
    text: &str,
    seg: &Segments,
    pi: usize,
    st: &mut BudgetState,
    out: &mut ScoringTables,
) -> bool {
    let para = &seg.paragraphs[pi];
    let line = &text[para.span.clone()];
    let cs = cells(line, para.span.start);
    let first_value = cs.iter().position(|c| is_value(&c.0));
    if first_value.is_none() && !line.contains(|c: char| c.is_ascii_digit()) {
        return label_line(line, st);
    }
    let Some(k) = first_value else {
        return unread_line(line, pi, out);
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
    let row_label: String = cs[..k].iter().map(|c| c.0.as_str()).collect();
    if !row_label.is_empty() {
        st.label = Some(row_label);
        st.pending.clear();
    }
    // Words after the figures fill a note column (得分计算方法) when the
    // figures reach it; anything else is a row out of shape.
    let figures_end = cs[k..]
        .iter()
        .position(|c| !is_value(&c.0))
        .map_or(cs.len(), |j| k + j);
    let note = (figures_end < cs.len()
        && st.cols.get(st.pending.len() + figures_end - k) == Some(&BudgetCol::Note))
    .then(|| Piece {
        text: cs[figures_end..].iter().map(|c| c.0.as_str()).collect(),
        span: cs[figures_end].1.start..cs[cs.len() - 1].1.end,
        para: pi,
    });
    let cs = if note.is_some() {
        &cs[..figures_end]
    } else {
        &cs[..]
    };
    if cs[k..].iter().any(|c| !is_value(&c.0)) {
        // Cells glued together (`273,277.88273,277.88`) or a row out of
        // shape: nothing in it is read, here or by any other reader.
        let read_here = unread_line(line, pi, out);
        if read_here {
            st.label.take();
            st.pending.clear();
        }
        return read_here;
    }
    st.pending.extend(cs[k..].iter().map(|c| Piece {
        text: c.0.clone(),
        span: c.1.clone(),
        para: pi,
    }));
    st.pending.extend(note);
    if st.pending.len() >= figure_cells(&st.cols) {
        finish_row(seg, st, out);
    }
    true
}

/// Where a column's figure goes in a row, and how precisely it is stated;
/// `None` for a note column.
pub(super) fn slot(row: &mut BudgetRow, col: BudgetCol) -> Option<(&mut Option<Cell>, Precision)> {
    Some(match col {
        BudgetCol::Note => return None,
        BudgetCol::Initial => (&mut row.initial, Precision::Digits),
        BudgetCol::Budget => (&mut row.budget, Precision::Digits),
        BudgetCol::Executed => (&mut row.executed, Precision::Digits),
        BudgetCol::Points => (&mut row.points, Precision::Exact),
        BudgetCol::Rate => (&mut row.rate, Precision::Digits),
        BudgetCol::Score => (&mut row.score, Precision::AtLeast(2)),
    })
}

/// The cells a row needs to be whole: every column but the notes after
/// the last figure (a row without its remark ends at its last figure).
fn figure_cells(cols: &[BudgetCol]) -> usize {
    cols.len()
        - cols
            .iter()
            .rev()
            .take_while(|c| **c == BudgetCol::Note)
            .count()
}

/// A line without figures: a label on its own line (cells one per line
/// follow), a wrapped header word such as `（万元）`, or the end of the
/// table (false).
fn label_line(line: &str, st: &mut BudgetState) -> bool {
    if line.chars().count() > 24
        || line.contains("目标")
        || line.contains("绩效指标")
        || line.ends_with(['。', '；', '：'])
    {
        return false;
    }
    if !st.pending.is_empty() {
        return false;
    }
    st.label = Some(line.replace(' ', ""));
    true
}

/// A line of the table that cannot be read: reported as unread (true), or
/// the end of the table when it is a new section or a sentence (false).
fn unread_line(line: &str, pi: usize, out: &mut ScoringTables) -> bool {
    if SECTION.is_match(line) || line.ends_with('。') {
        return false;
    }
    out.unread.push(pi);
    true
}

/// The row whose cells are gathered: one value per column, or — with more
/// numbers than columns, a number wrapped inside its cell — none.
fn finish_row(seg: &Segments, st: &mut BudgetState, out: &mut ScoringTables) {
    let name = st
        .label
        .take()
        .unwrap_or_default()
        .trim_start_matches("其中")
        .trim_start_matches(['：', ':'])
        .trim_end_matches(['：', ':'])
        .to_string();
    let name = name.trim_end_matches(['（', '(']).to_string();
    let mut row = BudgetRow {
        name,
        unit: st.unit,
        ..BudgetRow::default()
    };
    if st.pending.len() > st.cols.len() {
        out.scrambled_budget = true;
    }
    if (figure_cells(&st.cols)..=st.cols.len()).contains(&st.pending.len()) {
        for (c, col) in st.pending.iter().zip(&st.cols) {
            if is_empty_cell(&c.text) {
                continue;
            }
            let Some((slot, precision)) = slot(&mut row, *col) else {
                continue;
            };
            // A percent belongs in 执行率 only; elsewhere the row is shifted.
            if c.text.ends_with('%') && *col != BudgetCol::Rate {
                *slot = None;
                continue;
            }
            *slot = cell_value(seg, c.para, &c.text, c.span.clone(), precision);
        }
        out.budget.push(row);
    }
    st.pending.clear();
}
