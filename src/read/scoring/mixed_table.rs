//! An indicator table with one 指标 column for every level: a header
//! naming 绩效指标 (指标名称, 评价指标, 考核指标) but no 一级/二级/三级指标
//! column, then a row per indicator — a 一级指标 row with its 分值 and 得分,
//! its 二级指标 rows, each followed by its 三级指标 rows — all in the same
//! column. The rows are read as the level-column table's are (from their
//! right end); which row is a 一级, a 二级 or a 三级指标 is then decided by
//! their points: a row's points are the sum of its children's, the rows
//! after it up to that sum. The reading whose points close on every row
//! (three levels, else two: 一级 and 三级指标) is kept, the names telling
//! two closing readings apart (a 一级指标 name is at the first level, a
//! name ending in 指标 is not a leaf). A table whose points close under no
//! reading is not the table's to read: its rows are given back to the
//! other readers, as before this reader knew the layout.

use super::{pair_in, Cell, IndicatorRow, Level1Row, Piece, ScoringTables, ALSO_LEVEL2, LEVEL1};
use crate::model::Grade;
use crate::read::Claims;
use rust_decimal::Decimal;
use std::ops::Range;

/// Names of the one indicator column of a mixed table's header.
const NAME_COLUMN: &[&str] = &["指标名称", "评价指标", "考核指标", "绩效指标", "指标内容"];

/// Where a mixed table's header begins: the last name-column word before
/// its 分值 (a caption glued before it, `表2绩效指标完成情况`, is not the
/// header's).
pub(super) fn header_start(line: &str) -> Option<usize> {
    let points = line.find("分值").or_else(|| line.find("权重"))?;
    NAME_COLUMN
        .iter()
        .filter_map(|w| line[..points].rfind(w))
        .max()
}

/// The 总分 row's figures before the table began.
type Totals = (
    Option<Cell>,
    Option<Cell>,
    Option<(Grade, Range<usize>, usize)>,
);

/// A mixed table being read.
pub(super) struct Mixed {
    /// Where the table's rows begin in [`ScoringTables::indicators`]: they
    /// are put there as read, and into the tree when the table ends.
    start: usize,
    /// The lines read: claimed when the table's points close.
    pub paras: Vec<usize>,
    /// The 总分 row's figures before the table: restored when they do not.
    saved: Totals,
}

impl Mixed {
    pub(super) fn new(out: &ScoringTables) -> Mixed {
        Mixed {
            start: out.indicators.len(),
            paras: Vec::new(),
            saved: (
                out.total_points.clone(),
                out.total_score.clone(),
                out.grade.clone(),
            ),
        }
    }
}

/// A row's leading numbering (`一、`, `（一）`, `1.`), which is not part of
/// its name.
fn strip_numbering(s: &str) -> &str {
    let t = s.trim_start_matches(|c: char| "一二三四五六七八九十".contains(c));
    if t.len() < s.len() {
        if let Some(r) = t.strip_prefix('、') {
            return r;
        }
    }
    if let Some(r) = s.strip_prefix(['（', '(']) {
        let inner = r
            .trim_start_matches(|c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c));
        if inner.len() < r.len() {
            if let Some(rest) = inner.strip_prefix(['）', ')']) {
                return rest;
            }
        }
    }
    let t = s.trim_start_matches(|c: char| c.is_ascii_digit());
    if t.len() < s.len() {
        if let Some(r) = t.strip_prefix(['.', '．', '、']) {
            if !r.starts_with(|c: char| c.is_ascii_digit()) {
                return r;
            }
        }
    }
    s
}

/// A figure, a target or an actual value, not a name.
fn value_like(c: &str) -> bool {
    c.contains(|ch: char| ch.is_ascii_digit() || "≥≤%<>＞＜".contains(ch))
}

/// A line of a mixed table that a section's numbering starts
/// (`一、产出指标 50 48`): a row, when it has its two numbers.
pub(super) fn numbered_row(cells: &[Piece], line: &str) -> bool {
    line.chars().count() <= 60 && pair(cells).is_some()
}

/// The row's 分值 and 得分: the last two bare numbers, after a name.
pub(super) fn pair(all: &[Piece]) -> Option<usize> {
    pair_in(all).filter(|&i| i >= 1 && !value_like(strip_numbering(&all[0].text)))
}

/// The name of a row from the cells left of its 分值: the cells before the
/// first figure, and before the value columns (a text target such as
/// 明显提升 is a value); a row whose value cells are empty (a 一级指标 row)
/// has its name only.
pub(super) fn name(left: &[Piece], value_cols: usize) -> String {
    let n = left.len();
    let first_value = (1..n).find(|&i| value_like(&left[i].text)).unwrap_or(n);
    let end = first_value.min(n.saturating_sub(value_cols).max(1));
    let joined: String = left[..end].iter().map(|p| p.text.as_str()).collect();
    strip_numbering(&joined).to_string()
}

/// The table has ended: its rows become the tree their points close on,
/// and its lines are claimed; or, when no reading closes, the rows are
/// dropped and the lines left to the other readers.
pub(super) fn finish(m: Mixed, out: &mut ScoringTables, claims: &mut Claims) {
    let rows: Vec<IndicatorRow> = out.indicators.drain(m.start..).collect();
    let Some((depth, levels)) = tree(&rows) else {
        (out.total_points, out.total_score, out.grade) = m.saved;
        return;
    };
    let mut level1: Option<String> = None;
    let mut level2: Option<String> = None;
    for (row, level) in rows.into_iter().zip(levels) {
        if level == 1 {
            level1 = Some(row.name.clone());
            level2 = None;
            out.level1.push(Level1Row {
                name: row.name,
                points: row.points,
                score: row.score,
            });
        } else if level < depth {
            level2 = Some(row.name);
        } else {
            out.indicators.push(IndicatorRow {
                level1: level1.clone(),
                level2: level2.clone(),
                ..row
            });
        }
    }
    for p in m.paras {
        claims.claim(p);
    }
}

/// The levels of the rows (1 to the depth) under which every row's points
/// close, with the depth: three levels or two, the one the names agree
/// with best (three on a tie).
fn tree(rows: &[IndicatorRow]) -> Option<(u8, Vec<u8>)> {
    let points: Vec<Decimal> = rows
        .iter()
        .map(|r| r.points.as_ref().map(|c| c.value.value))
        .collect::<Option<_>>()?;
    if points.is_empty() {
        return None;
    }
    let mut best: Option<(usize, u8, Vec<u8>)> = None;
    for depth in [3u8, 2] {
        let Some(levels) = levels(&points, depth) else {
            continue;
        };
        let Some(agree) = agreement(rows, &levels, depth) else {
            continue;
        };
        if best.as_ref().is_none_or(|b| agree > b.0) {
            best = Some((agree, depth, levels));
        }
    }
    best.map(|(_, d, l)| (d, l))
}

/// How many rows' names agree with their levels (a name ending in 指标 on
/// a parent, any other on a leaf); None when a 一级指标's name is not at
/// the first level.
fn agreement(rows: &[IndicatorRow], levels: &[u8], depth: u8) -> Option<usize> {
    let mut agree = 0;
    for (r, &l) in rows.iter().zip(levels) {
        let n = r.name.as_str();
        if l != 1 && LEVEL1.contains(&n) && !ALSO_LEVEL2.contains(&n) {
            return None;
        }
        if n.ends_with("指标") == (l < depth) {
            agree += 1;
        }
    }
    Some(agree)
}

/// Levels under which each parent's points are the sum of its children's
/// (the rows after it, one level down, up to that sum) and every leaf is
/// at `depth`; None when the points do not close.
fn levels(points: &[Decimal], depth: u8) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(points.len());
    let mut i = 0;
    while i < points.len() {
        i = node(points, i, 1, depth, &mut out)?;
    }
    Some(out)
}

/// Row `i` at `level` and its children; the row after them.
fn node(points: &[Decimal], i: usize, level: u8, depth: u8, out: &mut Vec<u8>) -> Option<usize> {
    out.push(level);
    if level == depth {
        return Some(i + 1);
    }
    let mut need = points[i];
    if need <= Decimal::ZERO {
        return None;
    }
    let mut j = i + 1;
    while need > Decimal::ZERO {
        if j >= points.len() || points[j] > need {
            return None;
        }
        need -= points[j];
        j = node(points, j, level + 1, depth, out)?;
    }
    Some(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: &[i64]) -> Vec<Decimal> {
        v.iter().map(|&x| Decimal::from(x)).collect()
    }

    #[test]
    fn three_levels_close_on_their_points() {
        // 产出 50: 数量 22 (8 8 6), 质量 28 (28); 效益 10: 社会 10 (4 6).
        let p = d(&[50, 22, 8, 8, 6, 28, 28, 10, 10, 4, 6]);
        assert_eq!(levels(&p, 3), Some(vec![1, 2, 3, 3, 3, 2, 3, 1, 2, 3, 3]));
        // Two levels: 产出's children would be 22 + 8 + 8 + 6 + 28 > 50.
        assert_eq!(levels(&p, 2), None);
    }

    #[test]
    fn two_levels_close_where_there_are_no_level2_rows() {
        let p = d(&[20, 5, 15, 80, 30, 50]);
        assert_eq!(levels(&p, 2), Some(vec![1, 2, 2, 1, 2, 2]));
        assert_eq!(levels(&p, 3), None);
    }

    #[test]
    fn points_that_do_not_close_give_no_reading() {
        assert_eq!(levels(&d(&[50, 22, 8, 8, 5]), 3), None);
        assert_eq!(levels(&d(&[50, 20, 20]), 2), None);
    }

    #[test]
    fn numbering_is_not_part_of_a_name() {
        assert_eq!(strip_numbering("一、产出指标"), "产出指标");
        assert_eq!(strip_numbering("（一）数量指标"), "数量指标");
        assert_eq!(strip_numbering("(2)质量指标"), "质量指标");
        assert_eq!(strip_numbering("1.举办活动场次"), "举办活动场次");
        assert_eq!(strip_numbering("12、活动"), "活动");
        assert_eq!(strip_numbering("3.5万人次"), "3.5万人次");
        assert_eq!(strip_numbering("十分满意"), "十分满意");
        assert_eq!(strip_numbering("产出指标"), "产出指标");
    }

    #[test]
    fn a_header_starts_at_its_own_name_column() {
        let line = "表2绩效指标完成情况绩效指标年度指标值实际完成值分值得分";
        assert_eq!(
            &line[header_start(line).unwrap()..],
            "绩效指标年度指标值实际完成值分值得分"
        );
        assert_eq!(header_start("一级指标 二级指标 分值 得分"), None);
    }
}
