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
//!
//! A row's line is marked as a row and each of its cells but the first
//! starts with [`Sep::Cell`], so that the page's text can say which lines
//! are rows and where their cells are ([`crate::pdftext::RuledRow`]).

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

/// Runs of glyphs by the box they sit in (indices into the runs).
type Cells = BTreeMap<BoxKey, Vec<usize>>;

/// A run of a line's glyphs between two vertical borders.
struct Run {
    line: usize,
    /// Indices into `placed`.
    range: std::ops::Range<usize>,
    /// Across the baseline, for ordering.
    fy: f64,
    cell: Option<BoxKey>,
}

/// The glyphs as drawn and as placed along and across the baseline.
#[derive(Clone, Copy)]
struct Glyphs<'a> {
    drawn: &'a [Drawn],
    placed: &'a [Placed],
}

impl Glyphs<'_> {
    fn ch(&self, j: usize) -> char {
        self.drawn[self.placed[j].i].ch
    }

    fn visible(&self, j: usize) -> bool {
        !self.ch(j).is_whitespace()
    }

    /// The middle of the glyph along the baseline.
    fn center(&self, j: usize) -> f64 {
        self.placed[j].fx + self.drawn[self.placed[j].i].width / 2.0
    }
}

/// The page's borders, each direction sorted by where it sits.
struct Borders<'a> {
    hs: Vec<&'a Rule>,
    vs: Vec<&'a Rule>,
}

impl<'a> Borders<'a> {
    /// `None` when there are too few borders for a cell, or too many for
    /// a table.
    fn new(rules: &'a [Rule]) -> Option<Borders<'a>> {
        let mut hs: Vec<&Rule> = rules.iter().filter(|r| r.horizontal).collect();
        let mut vs: Vec<&Rule> = rules.iter().filter(|r| !r.horizontal).collect();
        if hs.len() < 2 || vs.len() < 2 || hs.len() > MAX_RULES || vs.len() > MAX_RULES {
            return None;
        }
        hs.sort_by(|a, b| a.at.total_cmp(&b.at));
        vs.sort_by(|a, b| a.at.total_cmp(&b.at));
        Some(Borders { hs, vs })
    }

    /// The vertical borders a line crosses at height `mid`: (x, lower end).
    fn crossing(&self, mid: f64, out: &mut Vec<(f64, f64)>) {
        out.clear();
        out.extend(
            self.vs
                .iter()
                .filter(|r| r.from - SLACK <= mid && mid <= r.to + SLACK)
                .map(|r| (r.at, r.to)),
        );
    }
}

/// The page's lines with its ruled tables read row by row, or `None` when
/// the page has no table cell. A row of a table is one line marked as a
/// row, whose cells start with [`Sep::Cell`] (all but the first).
pub(super) fn rows(
    drawn: &[Drawn],
    placed: &[Placed],
    lines: &[Line],
    rules: &[Rule],
) -> Option<Vec<OutLine>> {
    let borders = Borders::new(rules)?;
    let g = Glyphs { drawn, placed };
    let mut runs = runs(g, lines, &borders);
    let cells = table_cells(g, &runs);
    if cells.is_empty() {
        return None;
    }
    for r in &mut runs {
        if r.cell.is_some_and(|key| !cells.contains_key(&key)) {
            r.cell = None;
        }
    }
    let mut written = write_rows(g, &runs, &cells);
    write_rest(g, lines, &runs, &mut written);
    written.sort_by(|a, b| a.key.total_cmp(&b.key).then(a.x0.total_cmp(&b.x0)));
    Some(written)
}

/// Each line split where a vertical border passes between two glyphs, and
/// each run's box, if borders close one around it.
fn runs(g: Glyphs, lines: &[Line], borders: &Borders) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    let mut crossing: Vec<(f64, f64)> = Vec::new();
    for (li, l) in lines.iter().enumerate() {
        let base = g.placed[l.range.start..l.range.end]
            .iter()
            .map(|p| p.fy)
            .fold(f64::INFINITY, f64::min);
        // The vertical borders this line crosses, at mid-height of its
        // glyphs.
        borders.crossing(base - 0.3 * l.size, &mut crossing);
        let first = runs.len();
        split_line(g, li, l, base, &crossing, &mut runs);
        for run in &mut runs[first..] {
            run.cell = box_of(g, run, l.size, base, &crossing, &borders.hs);
        }
    }
    runs
}

/// Splits a line where a border passes between two glyphs (both in x
/// order: one pass).
fn split_line(
    g: Glyphs,
    li: usize,
    l: &Line,
    base: f64,
    crossing: &[(f64, f64)],
    runs: &mut Vec<Run>,
) {
    let run = |range| Run {
        line: li,
        range,
        fy: base,
        cell: None,
    };
    let mut start = l.range.start;
    let mut last_visible: Option<usize> = None;
    let mut next = 0;
    for j in l.range.clone() {
        if !g.visible(j) {
            continue;
        }
        if let Some(a) = last_visible {
            let (ca, cb) = (g.center(a), g.center(j));
            while next < crossing.len() && crossing[next].0 <= ca {
                next += 1;
            }
            if next < crossing.len() && crossing[next].0 < cb {
                runs.push(run(start..j));
                start = j;
            }
        }
        last_visible = Some(j);
    }
    runs.push(run(start..l.range.end));
}

/// The box around a run: the vertical borders on each side of its glyphs
/// and the nearest horizontal borders above and below that span it.
fn box_of(
    g: Glyphs,
    run: &Run,
    size: f64,
    base: f64,
    crossing: &[(f64, f64)],
    hs: &[&Rule],
) -> Option<BoxKey> {
    let mut vis = run.range.clone().filter(|&j| g.visible(j));
    let a = vis.next()?;
    let b = vis.next_back().unwrap_or(a);
    let (x0, x1) = (g.center(a), g.center(b));
    let &(left, left_end) = crossing.iter().rev().find(|&&(x, _)| x <= x0)?;
    let &(right, right_end) = crossing.iter().find(|&&(x, _)| x >= x1)?;
    let xm = (x0 + x1) / 2.0;
    let covers = |r: &&&Rule| r.from - SLACK <= xm && xm <= r.to + SLACK;
    // The nearest borders above and below (hs is sorted by y).
    let above = hs.partition_point(|r| r.at <= base - 0.6 * size);
    let below = hs.partition_point(|r| r.at < base - 0.2 * size);
    let top = hs[..above].iter().rev().take(SCAN).find(covers)?;
    // A cell cut by a page break has no border below on this page: its
    // side borders end where the page's part ends.
    let bottom = hs[below..]
        .iter()
        .take(SCAN)
        .find(covers)
        .map(|r| r.at)
        .or_else(|| Some(left_end.min(right_end)).filter(|&y| y >= base))?;
    Some([q(top.at), q(bottom), q(left), q(right)])
}

/// The lines a box's runs are on, in order.
fn lines_of(runs: &[Run], members: &[usize]) -> Vec<usize> {
    let mut lines: Vec<usize> = members.iter().map(|&k| runs[k].line).collect();
    lines.dedup();
    lines
}

/// The boxes that are a table's cells, with their runs in reading order.
fn table_cells(g: Glyphs, runs: &[Run]) -> Cells {
    let mut cells: Cells = BTreeMap::new();
    for (k, r) in runs.iter().enumerate() {
        if let Some(key) = r.cell {
            cells.entry(key).or_default().push(k);
        }
    }
    keep_with_neighbours(&mut cells, runs);
    drop_whole_columns(&mut cells, g, runs);
    cells
}

/// A cell has a neighbour sharing its top or bottom border, and not too
/// many lines.
fn keep_with_neighbours(cells: &mut Cells, runs: &[Run]) {
    let mut by_top: BTreeMap<i64, usize> = BTreeMap::new();
    let mut by_bottom: BTreeMap<i64, usize> = BTreeMap::new();
    for key in cells.keys() {
        *by_top.entry(key[0]).or_default() += 1;
        *by_bottom.entry(key[1]).or_default() += 1;
    }
    cells.retain(|key, members| {
        (by_top[&key[0]] > 1 || by_bottom[&key[1]] > 1)
            && lines_of(runs, members).len() <= MAX_CELL_LINES
    });
}

/// A table ruled between columns but not between rows boxes whole
/// columns: every box of the band then holds the same lines, one row of
/// the table each, and a column of figures has one on several lines
/// (under its header). Those are rows, not cells (two merged cells that
/// wrap alike, 满意度指 over 标 beside 服务对象满意度指 over 标, are words).
fn drop_whole_columns(cells: &mut Cells, g: Glyphs, runs: &[Run]) {
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let figures_per_line = |members: &[usize]| {
        let mut per_line: BTreeMap<usize, bool> = BTreeMap::new();
        for &k in members {
            let has = runs[k].range.clone().any(|j| digit(g.ch(j)));
            *per_line.entry(runs[k].line).or_default() |= has;
        }
        per_line.values().filter(|&&b| b).count() >= 2
    };
    // Per band (top, bottom): each box's lines, and whether it is figures.
    let mut bands: BTreeMap<(i64, i64), Vec<Band>> = BTreeMap::new();
    for (key, members) in cells.iter() {
        bands
            .entry((key[0], key[1]))
            .or_default()
            .push((lines_of(runs, members), figures_per_line(members)));
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
}

/// Rows: cells by top border, left to right, each row one line.
fn write_rows(g: Glyphs, runs: &[Run], cells: &Cells) -> Vec<OutLine> {
    let mut rows: BTreeMap<i64, Vec<BoxKey>> = BTreeMap::new();
    for key in cells.keys() {
        rows.entry(key[0]).or_default().push(*key);
    }
    let mut written: Vec<OutLine> = Vec::new();
    for keys in rows.values_mut() {
        keys.sort_by_key(|k| (k[2], k[3], k[1]));
        let (items, key) = row_items(runs, cells, keys);
        push_line(g, items, key, true, &mut written);
    }
    written
}

/// A row's glyphs, cell after cell with each cell's lines joined, and
/// where the row sits across the baseline (its first glyph's line).
fn row_items(runs: &[Run], cells: &Cells, keys: &[BoxKey]) -> (Vec<(usize, Sep)>, f64) {
    let mut items = Vec::new();
    let mut key = f64::INFINITY;
    for (c, cell) in keys.iter().enumerate() {
        let mut prev_line = None;
        for &k in &cells[cell] {
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
    (items, key)
}

/// Lines with what is left of them outside every cell.
fn write_rest(g: Glyphs, lines: &[Line], runs: &[Run], written: &mut Vec<OutLine>) {
    let mut k = 0;
    for (li, l) in lines.iter().enumerate() {
        let mut items = Vec::new();
        let mut fy = g.placed[l.range.start].fy;
        while k < runs.len() && runs[k].line == li {
            if runs[k].cell.is_none() {
                fy = runs[k].fy;
                items.extend(runs[k].range.clone().map(|j| (j, Sep::Gap)));
            }
            k += 1;
        }
        push_line(g, items, fy, false, written);
    }
}

/// Adds a line, if it has a visible glyph (which gives its start and em).
fn push_line(g: Glyphs, items: Vec<(usize, Sep)>, key: f64, row: bool, out: &mut Vec<OutLine>) {
    let Some(&(j, _)) = items.iter().find(|&&(j, _)| g.visible(j)) else {
        return;
    };
    let d = &g.drawn[g.placed[j].i];
    out.push(OutLine {
        items,
        key,
        x0: g.placed[j].fx,
        size: if d.size > 0.0 { d.size } else { 1.0 },
        row,
    });
}
