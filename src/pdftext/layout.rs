//! Glyphs into lines: the text contract of `ingest/layout.rs`, computed
//! from geometry rather than from the order of drawing.
//!
//! Glyphs are grouped by the direction of their baseline (a page may hold
//! rotated text); within a direction, into lines by baseline (the distance
//! across the baseline, so slightly skewed text still forms lines), lines
//! top to bottom, glyphs along the baseline. A gap between two glyphs wider
//! than [`WORD_GAP`] em, or a space drawn as a glyph, is one space per half
//! em (at least one); a line's indentation from the most common line start
//! is one space per half em, when at least a full em. The rows of ruled
//! tables (`cells`) are one line each, and noted with their cells.

use super::interp::Drawn;
use super::ruling::Rule;
use super::{Glyph, RuledRow};

mod cells;

/// A gap wider than this many ems is a space.
pub const WORD_GAP: f64 = 0.15;
/// Gaps and indents are counted in half ems.
const HALF_EM: f64 = 0.5;
/// Longest run of spaces written for a gap or an indent.
const MAX_SPACES: f64 = 40.0;
/// Glyphs whose baselines are closer than this many ems (of the larger
/// glyph) share a line: superscripts and mixed fonts stay on their line.
const SAME_LINE: f64 = 0.4;

/// An integer ordered as [`f64::total_cmp`] orders the floats.
fn total_key(v: f64) -> i64 {
    let k = v.to_bits() as i64;
    k ^ (((k >> 63) as u64) >> 1) as i64
}

/// Spaces for a distance in ems.
fn spaces(ems: f64) -> usize {
    if ems.is_finite() && ems > 0.0 {
        (ems / HALF_EM).round().min(MAX_SPACES) as usize
    } else {
        0
    }
}

struct Placed {
    /// Along the baseline.
    fx: f64,
    /// Across it (the next line is further).
    fy: f64,
    i: usize,
}

/// A line: its members in `placed`, where it starts and its first
/// glyph's em.
struct Line {
    range: std::ops::Range<usize>,
    x0: f64,
    size: f64,
}

/// What comes before a glyph in the text.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sep {
    /// Spaces from the gap to the glyph before (a word space, a cell).
    Gap,
    /// Nothing: the next line of the same table cell (one space between
    /// two Latin letters).
    Wrap,
    /// A cell boundary: at least two spaces.
    Cell,
}

/// A line as written: indices into `placed` with what precedes each, the
/// line's place across the baseline (for ordering), its start and em, and
/// whether it is a row of a ruled table.
struct OutLine {
    items: Vec<(usize, Sep)>,
    key: f64,
    x0: f64,
    size: f64,
    row: bool,
}

/// The page's text as it is written.
#[derive(Default)]
struct Written {
    text: String,
    glyphs: Vec<Glyph>,
    rows: Vec<RuledRow>,
    /// Lines written so far.
    lines: usize,
}

/// The page's text, its glyphs in text order, and the lines of the text
/// that are rows of ruled tables. `rules` are the page's ruling lines:
/// where they enclose the cells of a table, each row of the table is one
/// line with each cell's wrapped lines joined.
pub fn layout(drawn: &[Drawn], rules: &[Rule]) -> (String, Vec<Glyph>, Vec<RuledRow>) {
    // Direction classes: 0 →, 1 ↓, 2 ←, 3 ↑ (page frame, y downwards).
    let mut classes: [Vec<usize>; 4] = Default::default();
    for (i, g) in drawn.iter().enumerate() {
        // Upright text (the usual case) needs no angle.
        let k = if g.dy == 0.0 && g.dx > 0.0 {
            0
        } else {
            let a = g.dy.atan2(g.dx);
            (a / std::f64::consts::FRAC_PI_2).round().rem_euclid(4.0) as usize
        };
        classes[k.min(3)].push(i);
    }
    let mut order: Vec<usize> = (0..4).filter(|&k| !classes[k].is_empty()).collect();
    order.sort_by_key(|&k| (std::cmp::Reverse(classes[k].len()), k));
    let mut out = Written {
        text: String::with_capacity(drawn.len() * 4),
        glyphs: Vec::with_capacity(drawn.len()),
        ..Written::default()
    };
    for k in order {
        lines(drawn, &classes[k], k, rules, &mut out);
    }
    (out.text, out.glyphs, out.rows)
}

/// Writes the lines of one direction class.
fn lines(drawn: &[Drawn], members: &[usize], class: usize, rules: &[Rule], out: &mut Written) {
    let (dx, dy) = direction(drawn, members, class);
    let (nx, ny) = (-dy, dx);
    let mut placed: Vec<Placed> = members
        .iter()
        .map(|&i| {
            let g = &drawn[i];
            Placed {
                fx: g.x * dx + g.y * dy,
                fy: g.x * nx + g.y * ny,
                i,
            }
        })
        .collect();
    let by_baseline = baselines(drawn, &mut placed);
    // Ruled tables are read cell by cell on upright text (the page frame
    // is the rules' frame).
    let upright = class == 0 && dy.abs() < 1e-3 && dx > 0.0;
    let written = if upright {
        cells::rows(drawn, &placed, &by_baseline, rules)
    } else {
        None
    }
    .unwrap_or_else(|| {
        by_baseline
            .iter()
            .map(|l| OutLine {
                items: l.range.clone().map(|j| (j, Sep::Gap)).collect(),
                key: placed[l.range.start].fy,
                x0: l.x0,
                size: l.size,
                row: false,
            })
            .collect()
    });
    write_lines(drawn, &placed, &written, out);
}

/// Writes the lines, each indented from the left margin, and notes the
/// rows of ruled tables with their cells.
fn write_lines(drawn: &[Drawn], placed: &[Placed], written: &[OutLine], out: &mut Written) {
    let margin = left_margin(written);
    for l in written {
        if !out.text.is_empty() {
            out.text.push('\n');
        }
        let start = out.text.len();
        let indent = spaces((l.x0 - margin) / l.size);
        // Less than a full em of indent is jitter, not a paragraph.
        if indent >= 2 {
            out.text.extend(std::iter::repeat_n(' ', indent));
        }
        let cells = build_line(drawn, placed, &l.items, out);
        if l.row {
            out.rows.push(RuledRow {
                line: out.lines,
                cells: cells
                    .into_iter()
                    .map(|c| c.start - start..c.end - start)
                    .collect(),
            });
        }
        out.lines += 1;
    }
}

/// The class's mean direction: skewed text reads along its own baseline.
fn direction(drawn: &[Drawn], members: &[usize], class: usize) -> (f64, f64) {
    let (mut sx, mut sy) = (0.0, 0.0);
    for &i in members {
        sx += drawn[i].dx;
        sy += drawn[i].dy;
    }
    let l = (sx * sx + sy * sy).sqrt();
    if l > 1e-9 {
        (sx / l, sy / l)
    } else {
        [(1.0, 0.0), (0.0, 1.0), (-1.0, 0.0), (0.0, -1.0)][class]
    }
}

/// Sorts the glyphs into lines by baseline, each line along its baseline,
/// and returns the lines that have a visible glyph.
fn baselines(drawn: &[Drawn], placed: &mut [Placed]) -> Vec<Line> {
    // Glyphs come mostly in reading order: runs a stable sort finds.
    placed.sort_by(|a, b| total_key(a.fy).cmp(&total_key(b.fy)).then(a.i.cmp(&b.i)));
    // Group by baseline.
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    let mut base = f64::NEG_INFINITY;
    let mut base_size = 0.0f64;
    for (j, p) in placed.iter().enumerate() {
        let size = drawn[p.i].size;
        let tol = SAME_LINE * size.max(base_size);
        match groups.last_mut() {
            Some(g) if p.fy - base <= tol => {
                base_size = base_size.max(size);
                g.end = j + 1;
            }
            _ => {
                base = p.fy;
                base_size = size;
                groups.push(j..j + 1);
            }
        }
    }
    let mut out: Vec<Line> = Vec::with_capacity(groups.len());
    for g in groups {
        let members = &mut placed[g.clone()];
        members.sort_by(|a, b| total_key(a.fx).cmp(&total_key(b.fx)).then(a.i.cmp(&b.i)));
        // A line starts at its first visible glyph; without one, there is
        // no line.
        if let Some(p) = members.iter().find(|p| !drawn[p.i].ch.is_whitespace()) {
            let d = &drawn[p.i];
            out.push(Line {
                range: g,
                x0: p.fx,
                size: if d.size > 0.0 { d.size } else { 1.0 },
            });
        }
    }
    out
}

/// The left margin is where most lines start (to the point).
fn left_margin(written: &[OutLine]) -> f64 {
    let mut starts: Vec<i64> = written.iter().map(|l| l.x0.round() as i64).collect();
    starts.sort_unstable();
    let mut margin = 0.0;
    let mut best: Option<(usize, i64)> = None;
    let mut j = 0;
    while j < starts.len() {
        let x = starts[j];
        let n = starts[j..].iter().take_while(|&&y| y == x).count();
        if best.is_none_or(|b| (n, -x) > b) {
            best = Some((n, -x));
            margin = x as f64;
        }
        j += n;
    }
    margin
}

/// The spaces before glyph `d` at `p`, after the visible glyph `prev`
/// (where it ends, its position and character), given what precedes `d`
/// and whether a space glyph came between; `None` when `d` is `prev`
/// drawn again in place (fake bold, or a fill and a stroke pass).
fn spaces_before(
    (end, fx, fy, ch): (f64, f64, f64, char),
    p: &Placed,
    d: &Drawn,
    pending: Sep,
    saw_space: bool,
) -> Option<usize> {
    let em = if d.size > 0.0 { d.size } else { 1.0 };
    if pending == Sep::Gap
        && ch == d.ch
        && (p.fx - fx).abs() < 0.15 * em
        && (p.fy - fy).abs() < 0.15 * em
    {
        return None;
    }
    let gap = p.fx - end;
    let from_gap = if gap > WORD_GAP * em {
        spaces(gap / em).max(1)
    } else {
        usize::from(saw_space)
    };
    Some(match pending {
        Sep::Gap => from_gap,
        Sep::Cell => from_gap.max(2),
        Sep::Wrap => usize::from(ch.is_ascii_alphabetic() && d.ch.is_ascii_alphabetic()),
    })
}

/// Writes a line's glyphs with the spaces between them, and returns where
/// each cell's text sits in the page's text (a cell starts at the line's
/// first glyph and at each [`Sep::Cell`]).
fn build_line(
    drawn: &[Drawn],
    placed: &[Placed],
    items: &[(usize, Sep)],
    out: &mut Written,
) -> Vec<std::ops::Range<usize>> {
    let text = &mut out.text;
    let mut cells: Vec<std::ops::Range<usize>> = Vec::new();
    // The end of the last visible glyph, its position and character.
    let mut prev: Option<(f64, f64, f64, char)> = None;
    let mut saw_space = false;
    // A separator that fell on a space glyph holds for the next glyph.
    let mut pending = Sep::Gap;
    for &(j, sep) in items {
        let p = &placed[j];
        let d = &drawn[p.i];
        if sep != Sep::Gap {
            pending = sep;
        }
        if d.ch.is_whitespace() {
            if prev.is_some() {
                saw_space = true;
            }
            continue;
        }
        if let Some(prev) = prev {
            let Some(n) = spaces_before(prev, p, d, pending, saw_space) else {
                continue;
            };
            text.extend(std::iter::repeat_n(' ', n));
        }
        if prev.is_none() || pending == Sep::Cell {
            cells.push(text.len()..text.len());
        }
        saw_space = false;
        pending = Sep::Gap;
        text.push(d.ch);
        if let Some(cell) = cells.last_mut() {
            cell.end = text.len();
        }
        out.glyphs.push(Glyph {
            ch: d.ch,
            x: d.x as f32,
            y: d.y as f32,
            width: d.width as f32,
            size: d.size as f32,
        });
        prev = Some((p.fx + d.width, p.fx, p.fy, d.ch));
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(ch: char, x: f64, y: f64, w: f64, size: f64) -> Drawn {
        Drawn {
            ch,
            x,
            y,
            dx: 1.0,
            dy: 0.0,
            width: w,
            size,
        }
    }

    fn run(s: &str, x: f64, y: f64, size: f64) -> Vec<Drawn> {
        s.chars()
            .enumerate()
            .map(|(i, c)| g(c, x + i as f64 * size, y, size, size))
            .collect()
    }

    #[test]
    fn lines_indents_and_cells() {
        let mut d = Vec::new();
        // Drawn out of order: the second line first.
        d.extend(run("第二行", 72.0, 120.0, 12.0));
        d.extend(run("段落首行", 96.0, 100.0, 12.0));
        d.extend(run("收入", 72.0, 140.0, 12.0));
        d.extend(run("99", 200.0, 140.3, 12.0));
        let (text, glyphs, _) = layout(&d, &[]);
        assert_eq!(
            text,
            "    段落首行\n第二行\n收入".to_string() + &" ".repeat(17) + "99"
        );
        let visible: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let from_glyphs: String = glyphs.iter().map(|g| g.ch).collect();
        assert_eq!(visible, from_glyphs);
    }

    #[test]
    fn word_spaces_from_gaps_or_space_glyphs_and_duplicates_dropped() {
        let d = vec![
            g('a', 0.0, 10.0, 5.0, 10.0),
            g('b', 5.0, 10.0, 5.0, 10.0),
            // 1 em gap: two spaces.
            g('c', 20.0, 10.0, 5.0, 10.0),
            // A space glyph with no gap: one space.
            g(' ', 25.0, 10.0, 0.0, 10.0),
            g('d', 25.0, 10.0, 5.0, 10.0),
            // Drawn twice.
            g('d', 25.5, 10.0, 5.0, 10.0),
            // Superscript, raised and smaller: same line.
            g('2', 30.0, 6.5, 3.0, 6.0),
        ];
        assert_eq!(layout(&d, &[]).0, "ab  c d2");
    }

    fn h(y: f64, x0: f64, x1: f64) -> Rule {
        Rule {
            horizontal: true,
            at: y,
            from: x0,
            to: x1,
        }
    }

    fn v(x: f64, y0: f64, y1: f64) -> Rule {
        Rule {
            horizontal: false,
            at: x,
            from: y0,
            to: y1,
        }
    }

    /// Each line's cells (its words).
    fn cells(text: &str) -> Vec<Vec<&str>> {
        text.lines()
            .map(|l| l.split_whitespace().collect())
            .collect()
    }

    /// A ruled table of two columns: a one-line label cell centred beside
    /// a number wrapped onto two lines, then a row of one line each.
    fn table() -> (Vec<Drawn>, Vec<Rule>) {
        let mut d = Vec::new();
        d.extend(run("表1", 72.0, 80.0, 12.0));
        d.extend(run("其中：财政拨款", 72.0, 107.0, 12.0));
        d.extend(run("102.5", 200.0, 100.0, 12.0));
        d.extend(run("3%", 200.0, 114.0, 12.0));
        d.extend(run("其他资金", 72.0, 140.0, 12.0));
        d.extend(run("73.97%", 200.0, 140.0, 12.0));
        d.extend(run("说明文字", 72.0, 180.0, 12.0));
        let rules = vec![
            h(86.0, 70.0, 300.0),
            h(120.0, 70.0, 300.0),
            h(146.0, 70.0, 300.0),
            v(70.0, 86.0, 146.0),
            v(190.0, 86.0, 146.0),
            v(300.0, 86.0, 146.0),
        ];
        (d, rules)
    }

    #[test]
    fn a_ruled_cell_is_read_whole_and_a_row_is_one_line() {
        let (d, rules) = table();
        let (text, glyphs, rows) = layout(&d, &rules);
        assert_eq!(
            cells(&text),
            vec![
                vec!["表1"],
                vec!["其中：财政拨款", "102.53%"],
                vec!["其他资金", "73.97%"],
                vec!["说明文字"],
            ],
            "{text}"
        );
        let visible: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let from_glyphs: String = glyphs.iter().map(|g| g.ch).collect();
        assert_eq!(visible, from_glyphs);
        // The two rows are marked, with their cells.
        let lines: Vec<&str> = text.lines().collect();
        let marked: Vec<(usize, Vec<&str>)> = rows
            .iter()
            .map(|r| {
                let line = lines[r.line];
                (r.line, r.cells.iter().map(|c| &line[c.clone()]).collect())
            })
            .collect();
        assert_eq!(
            marked,
            vec![
                (1, vec!["其中：财政拨款", "102.53%"]),
                (2, vec!["其他资金", "73.97%"])
            ]
        );
        // Without the rules, the same glyphs are four lines of the table.
        let (plain, _, _) = layout(&d, &[]);
        assert_eq!(plain.lines().count(), 6, "{plain}");
    }

    #[test]
    fn columns_ruled_without_rules_between_rows_stay_rows() {
        // Borders round the table and between columns only: each column
        // is one box of three lines, and the lines are the rows.
        let mut d = Vec::new();
        for (k, (name, v)) in [
            ("基本支出", "5864.18"),
            ("项目支出", "4726.02"),
            ("合计", "10590.2"),
        ]
        .iter()
        .enumerate()
        {
            let y = 100.0 + 14.0 * k as f64;
            d.extend(run(name, 72.0, y, 12.0));
            d.extend(run(v, 200.0, y, 12.0));
        }
        let rules = vec![
            h(86.0, 70.0, 300.0),
            h(134.0, 70.0, 300.0),
            v(70.0, 86.0, 134.0),
            v(190.0, 86.0, 134.0),
            v(300.0, 86.0, 134.0),
        ];
        let (text, _, rows) = layout(&d, &rules);
        assert!(rows.is_empty(), "{rows:?}");
        assert_eq!(
            cells(&text),
            vec![
                vec!["基本支出", "5864.18"],
                vec!["项目支出", "4726.02"],
                vec!["合计", "10590.2"]
            ]
        );
    }

    #[test]
    fn a_cell_cut_by_the_page_break_ends_with_its_side_borders() {
        // The last row on the page: no border below it, the column
        // borders stop where the page's part of the table ends.
        let mut d = Vec::new();
        d.extend(run("一级指标", 72.0, 80.0, 12.0));
        d.extend(run("三级指标", 200.0, 80.0, 12.0));
        d.extend(run("满意度指", 72.0, 100.0, 12.0));
        d.extend(run("标", 72.0, 114.0, 12.0));
        d.extend(run("群众满意度", 200.0, 107.0, 12.0));
        let rules = vec![
            h(66.0, 70.0, 400.0),
            h(86.0, 70.0, 400.0),
            v(70.0, 66.0, 120.0),
            v(190.0, 66.0, 120.0),
            v(400.0, 66.0, 120.0),
        ];
        assert_eq!(
            cells(&layout(&d, &rules).0),
            vec![
                vec!["一级指标", "三级指标"],
                vec!["满意度指标", "群众满意度"]
            ]
        );
    }

    #[test]
    fn a_frame_around_text_is_not_a_table() {
        // A box with no neighbour (a frame around a note): lines stay lines.
        let mut d = run("第一行", 72.0, 100.0, 12.0);
        d.extend(run("第二行", 72.0, 114.0, 12.0));
        let rules = vec![
            h(86.0, 70.0, 300.0),
            h(120.0, 70.0, 300.0),
            v(70.0, 86.0, 120.0),
            v(300.0, 86.0, 120.0),
        ];
        let (text, _, rows) = layout(&d, &rules);
        assert_eq!(text, "第一行\n第二行");
        assert!(rows.is_empty());
    }

    #[test]
    fn rotated_text_reads_along_its_baseline() {
        // Bottom to top, as on a landscape table turned on a portrait page.
        let d: Vec<Drawn> = "表格"
            .chars()
            .enumerate()
            .map(|(i, c)| Drawn {
                ch: c,
                x: 100.0,
                y: 500.0 - i as f64 * 12.0,
                dx: 0.0,
                dy: -1.0,
                width: 12.0,
                size: 12.0,
            })
            .collect();
        assert_eq!(layout(&d, &[]).0, "表格");
    }
}
