//! The cells of ruled tables.
//!
//! A narrow cell wraps its text: `１０２．５` on one line and `３％` on the
//! next, `社会效益指` over `标`, and a producer that centres cells
//! vertically (Chromium) puts a one-line cell on a baseline of its own
//! between the lines of its neighbour. Read by baseline, such a row is
//! three or four lines and its numbers are cut. Where the page's ruling
//! lines close a box around a run of glyphs — a border above and below, a
//! border on each side — the box is a cell: its lines are joined in order,
//! and the cells that share a top border are one row, written as one line
//! at the place of its first glyph, cell after cell.
//!
//! Only boxes that have a neighbour (another box with the same top or
//! bottom border) are cells: a frame drawn around a page or a note is
//! not a table. Boxes side by side that all hold the same lines, one of
//! them figures on several, are the columns of a table ruled between
//! columns only: their lines are rows.
//! Text outside every cell is written by baseline, as before.

use super::{Line, OutLine, Placed, Sep};
use crate::pdftext::interp::Drawn;
use crate::pdftext::ruling::Rule;
use std::collections::BTreeMap;

/// Slack (points) when a border meets the glyphs or another border.
const SLACK: f64 = 1.5;
/// Cells with more lines than this are not cells but a column of an
/// unruled table inside a ruled frame.
const MAX_CELL_LINES: usize = 12;

/// Borders of one direction beyond this on a page are not a table's (a
/// hostile page); rules passed over looking for a cell's border above or
/// below a run, at most.
const MAX_RULES: usize = 5_000;
const SCAN: usize = 256;

/// A box's borders (top, bottom, left, right), to the half point.
type BoxKey = [i64; 4];

fn q(v: f64) -> i64 {
    (v * 2.0).round() as i64
}

/// A box of a band: the lines it holds, and whether several of them hold
/// a figure.
type Band = (Vec<usize>, bool);

/// A run of a line's glyphs between two vertical borders.
struct Run {
    line: usize,
    /// Indices into `placed`.
    range: std::ops::Range<usize>,
    /// Across the baseline, for ordering.
    fy: f64,
    cell: Option<BoxKey>,
}

/// The page's lines with its ruled tables read row by row, or `None` when
/// the page has no table cell.
pub(super) fn rows(
    drawn: &[Drawn],
    placed: &[Placed],
    lines: &[Line],
    rules: &[Rule],
) -> Option<Vec<OutLine>> {
    let mut hs: Vec<&Rule> = rules.iter().filter(|r| r.horizontal).collect();
    let mut vs: Vec<&Rule> = rules.iter().filter(|r| !r.horizontal).collect();
    if hs.len() < 2 || vs.len() < 2 || hs.len() > MAX_RULES || vs.len() > MAX_RULES {
        return None;
    }
    hs.sort_by(|a, b| a.at.total_cmp(&b.at));
    vs.sort_by(|a, b| a.at.total_cmp(&b.at));
    let visible = |j: usize| !drawn[placed[j].i].ch.is_whitespace();
    let center = |j: usize| placed[j].fx + drawn[placed[j].i].width / 2.0;

    let mut runs: Vec<Run> = Vec::new();
    // The vertical borders a line crosses: (x, lower end).
    let mut crossing: Vec<(f64, f64)> = Vec::new();
    for (li, l) in lines.iter().enumerate() {
        let base = placed[l.range.start..l.range.end]
            .iter()
            .map(|p| p.fy)
            .fold(f64::INFINITY, f64::min);
        // The vertical borders this line crosses, at mid-height of its
        // glyphs.
        let mid = base - 0.3 * l.size;
        crossing.clear();
        crossing.extend(
            vs.iter()
                .filter(|r| r.from - SLACK <= mid && mid <= r.to + SLACK)
                .map(|r| (r.at, r.to)),
        );
        // Split the line where a border passes between two glyphs (both
        // in x order: one pass).
        let mut start = l.range.start;
        let mut last_visible: Option<usize> = None;
        let mut next = 0;
        for j in l.range.clone() {
            if !visible(j) {
                continue;
            }
            if let Some(a) = last_visible {
                let (ca, cb) = (center(a), center(j));
                while next < crossing.len() && crossing[next].0 <= ca {
                    next += 1;
                }
                if next < crossing.len() && crossing[next].0 < cb {
                    runs.push(Run {
                        line: li,
                        range: start..j,
                        fy: base,
                        cell: None,
                    });
                    start = j;
                }
            }
            last_visible = Some(j);
        }
        runs.push(Run {
            line: li,
            range: start..l.range.end,
            fy: base,
            cell: None,
        });
        // Each run's box.
        let first_run = runs.len() - runs.iter().rev().take_while(|r| r.line == li).count();
        for run in &mut runs[first_run..] {
            let vis: Vec<usize> = run.range.clone().filter(|&j| visible(j)).collect();
            let (Some(&a), Some(&b)) = (vis.first(), vis.last()) else {
                continue;
            };
            let (x0, x1) = (center(a), center(b));
            let left = crossing.iter().rev().find(|&&(x, _)| x <= x0);
            let right = crossing.iter().find(|&&(x, _)| x >= x1);
            let (Some(&(left, left_end)), Some(&(right, right_end))) = (left, right) else {
                continue;
            };
            let xm = (x0 + x1) / 2.0;
            let covers = |r: &&&Rule| r.from - SLACK <= xm && xm <= r.to + SLACK;
            // The nearest borders above and below (hs is sorted by y).
            let above = hs.partition_point(|r| r.at <= base - 0.6 * l.size);
            let below = hs.partition_point(|r| r.at < base - 0.2 * l.size);
            let top = hs[..above].iter().rev().take(SCAN).find(covers);
            // A cell cut by a page break has no border below on this
            // page: its side borders end where the page's part ends.
            let bottom = hs[below..]
                .iter()
                .take(SCAN)
                .find(covers)
                .map(|r| r.at)
                .or_else(|| Some(left_end.min(right_end)).filter(|&y| y >= base));
            if let (Some(top), Some(bottom)) = (top, bottom) {
                run.cell = Some([q(top.at), q(bottom), q(left), q(right)]);
            }
        }
    }

    // Cells: runs by box, in reading order.
    let mut cells: BTreeMap<BoxKey, Vec<usize>> = BTreeMap::new();
    for (k, r) in runs.iter().enumerate() {
        if let Some(key) = r.cell {
            cells.entry(key).or_default().push(k);
        }
    }
    // A cell has a neighbour sharing its top or bottom border, and not too
    // many lines.
    let mut by_top: BTreeMap<i64, usize> = BTreeMap::new();
    let mut by_bottom: BTreeMap<i64, usize> = BTreeMap::new();
    for key in cells.keys() {
        *by_top.entry(key[0]).or_default() += 1;
        *by_bottom.entry(key[1]).or_default() += 1;
    }
    let lines_of = |members: &[usize]| {
        let mut lines: Vec<usize> = members.iter().map(|&k| runs[k].line).collect();
        lines.dedup();
        lines
    };
    cells.retain(|key, members| {
        (by_top[&key[0]] > 1 || by_bottom[&key[1]] > 1) && lines_of(members).len() <= MAX_CELL_LINES
    });
    // A table ruled between columns but not between rows boxes whole
    // columns: every box of the band then holds the same lines, one row
    // of the table each, and a column of figures has one on several lines
    // (under its header).
    // Those are rows, not cells (two merged cells that wrap alike, 满意度指
    // over 标 beside 服务对象满意度指 over 标, are words).
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let figures_per_line = |members: &[usize]| {
        let mut per_line: BTreeMap<usize, bool> = BTreeMap::new();
        for &k in members {
            let has = runs[k].range.clone().any(|j| digit(drawn[placed[j].i].ch));
            *per_line.entry(runs[k].line).or_default() |= has;
        }
        per_line.values().filter(|&&b| b).count() >= 2
    };
    // Per band (top, bottom): each box's lines, and whether it is figures.
    let mut bands: BTreeMap<(i64, i64), Vec<Band>> = BTreeMap::new();
    for (key, members) in &cells {
        bands
            .entry((key[0], key[1]))
            .or_default()
            .push((lines_of(members), figures_per_line(members)));
    }
    cells.retain(|key, _| {
        let band = &bands[&(key[0], key[1])];
        let first = &band[0].0;
        let unruled_rows = band.len() > 1
            && first.len() > 1
            && band.iter().all(|(l, _)| l == first)
            && band.iter().any(|&(_, figures)| figures);
        !unruled_rows
    });
    if cells.is_empty() {
        return None;
    }
    for r in &mut runs {
        if r.cell.is_some_and(|key| !cells.contains_key(&key)) {
            r.cell = None;
        }
    }

    // Rows: cells by top border, left to right.
    let mut rows: BTreeMap<i64, Vec<BoxKey>> = BTreeMap::new();
    for key in cells.keys() {
        rows.entry(key[0]).or_default().push(*key);
    }
    let mut written: Vec<OutLine> = Vec::new();
    for keys in rows.values_mut() {
        keys.sort_by_key(|k| (k[2], k[3], k[1]));
        let mut items = Vec::new();
        let mut key = f64::INFINITY;
        for (c, cell) in keys.iter().enumerate() {
            let members = &cells[cell];
            let mut prev_line = None;
            for &k in members {
                let run = &runs[k];
                key = key.min(run.fy);
                let first = if items.is_empty() {
                    Sep::Gap
                } else if prev_line.is_none() && c > 0 {
                    Sep::Cell
                } else if prev_line != Some(run.line) {
                    Sep::Wrap
                } else {
                    Sep::Gap
                };
                prev_line = Some(run.line);
                let mut sep = first;
                for j in run.range.clone() {
                    items.push((j, sep));
                    sep = Sep::Gap;
                }
            }
        }
        push_line(drawn, placed, items, key, &mut written);
    }
    // Lines with what is left of them.
    let mut k = 0;
    for (li, l) in lines.iter().enumerate() {
        let mut items = Vec::new();
        let mut fy = placed[l.range.start].fy;
        while k < runs.len() && runs[k].line == li {
            if runs[k].cell.is_none() {
                fy = runs[k].fy;
                items.extend(runs[k].range.clone().map(|j| (j, Sep::Gap)));
            }
            k += 1;
        }
        push_line(drawn, placed, items, fy, &mut written);
    }
    written.sort_by(|a, b| a.key.total_cmp(&b.key).then(a.x0.total_cmp(&b.x0)));
    Some(written)
}

/// Adds a line, if it has a visible glyph (which gives its start and em).
fn push_line(
    drawn: &[Drawn],
    placed: &[Placed],
    items: Vec<(usize, Sep)>,
    key: f64,
    out: &mut Vec<OutLine>,
) {
    let Some(&(j, _)) = items
        .iter()
        .find(|&&(j, _)| !drawn[placed[j].i].ch.is_whitespace())
    else {
        return;
    };
    let d = &drawn[placed[j].i];
    out.push(OutLine {
        items,
        key,
        x0: placed[j].fx,
        size: if d.size > 0.0 { d.size } else { 1.0 },
    });
}
