//! Line kinds: what each line of the normalized text is.
//!
//! The text layer's ruled rows ([`crate::pdftext::RuledRow`]) arrive as
//! byte ranges into a raw page's lines. They follow their line through
//! folding ([`cells_in_line`]) and, when the heuristics keep that line a
//! paragraph of its own, through squeezing ([`line_info`]): such a line is
//! a row with the ruled cells. The heuristics still decide the text; where
//! they joined a ruled row with other lines, its cells are lost and the
//! line says so ([`KindSource::JoinedRuling`]).

use super::Kind;
use crate::pdftext::RuledRow;
use crate::text::table_line::is_header_cells;
use crate::text::{KindSource, LineInfo, LineKind};
use std::ops::Range;

/// What the page's ruling says about a line (or a paragraph).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) enum Ruling {
    /// Nothing: no geometry, or outside every ruled table.
    #[default]
    None,
    /// One ruled row; its cells as byte ranges into the line's text.
    Row(Vec<Range<usize>>),
    /// A ruled row joined with other lines by the heuristics.
    Joined,
}

impl Ruling {
    /// The ruling of two lines joined into one.
    pub(super) fn join(&self, other: &Ruling) -> Ruling {
        if *self == Ruling::None && *other == Ruling::None {
            Ruling::None
        } else {
            Ruling::Joined
        }
    }
}

/// One raw line of a page, as folding placed it.
pub(super) struct RawLine<'a> {
    /// The raw page, and where the line starts in it.
    pub raw: &'a str,
    pub raw_start: usize,
    pub raw_len: usize,
    /// Where the line's text (folded and trimmed) starts in the folded
    /// page, and its length.
    pub text_start: usize,
    pub text_len: usize,
}

/// The ruled row's cells as byte ranges into the line's folded, trimmed
/// text, through `map` (see `fold::fold_chars`). `None` when a cell does
/// not fall inside the line on character boundaries (the geometry is then
/// not used).
pub(super) fn cells_in_line(
    row: &RuledRow,
    line: &RawLine,
    map: &[usize],
) -> Option<Vec<Range<usize>>> {
    let folded = |b: usize| -> Option<usize> {
        let at = line.raw_start + b;
        (b <= line.raw_len && line.raw.is_char_boundary(at)).then(|| map[at])
    };
    let into_text = |f: usize| f.saturating_sub(line.text_start).min(line.text_len);
    let mut cells = Vec::with_capacity(row.cells.len());
    let mut last = 0;
    for c in &row.cells {
        if c.start > c.end || c.start < last {
            return None;
        }
        last = c.end;
        cells.push(into_text(folded(c.start)?)..into_text(folded(c.end)?));
    }
    (!cells.is_empty()).then_some(cells)
}

/// How a paragraph was made, for its kind.
#[derive(Clone, Debug, Default)]
pub(super) struct Shape {
    /// Its first line's kind by the heuristics.
    pub kind: Kind,
    /// Lines joined into it.
    pub lines: usize,
    /// Its first line's text.
    pub first_line: String,
    /// The heuristics take it for a heading.
    pub heading: bool,
    pub ruling: Ruling,
}

/// The line `text[span]` made from a paragraph of this shape.
pub(super) fn line_info(shape: &Shape, text: &str, span: Range<usize>) -> LineInfo {
    let line = &text[span.clone()];
    if let (Ruling::Row(cells), 1) = (&shape.ruling, shape.lines) {
        if let Some(cells) = place_cells(&shape.first_line, cells, line) {
            let cells: Vec<Range<usize>> = cells
                .into_iter()
                .map(|c| c.start + span.start..c.end + span.start)
                .collect();
            let names: Vec<&str> = cells.iter().map(|c| &text[c.clone()]).collect();
            let kind = if is_header_cells(&names) {
                LineKind::Header { columns: cells }
            } else {
                LineKind::Row { cells }
            };
            return LineInfo {
                span,
                kind,
                source: KindSource::Ruling,
            };
        }
    }
    let tokens = || words(line, span.start);
    let kind = match shape.kind {
        Kind::Row => LineKind::Row { cells: tokens() },
        Kind::HeaderRow => LineKind::Header { columns: tokens() },
        Kind::Prose if shape.heading => LineKind::Heading,
        Kind::Prose => LineKind::Prose,
    };
    let source = if shape.ruling == Ruling::None {
        KindSource::Shape
    } else {
        KindSource::JoinedRuling
    };
    LineInfo { span, kind, source }
}

/// The space-separated words of a line, as ranges offset by `start`.
fn words(line: &str, start: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = start;
    for w in line.split(' ') {
        if !w.is_empty() {
            out.push(at..at + w.len());
        }
        at += w.len() + 1;
    }
    out
}

/// Cells given as byte ranges into `from` placed in `to`, a text with the
/// same visible characters in the same order and only its whitespace
/// changed. `None` if the visible characters differ in number.
fn place_cells(from: &str, cells: &[Range<usize>], to: &str) -> Option<Vec<Range<usize>>> {
    let visible = |s: &str| -> Vec<(usize, usize)> {
        s.char_indices()
            .filter(|(_, c)| !c.is_whitespace())
            .map(|(i, c)| (i, i + c.len_utf8()))
            .collect()
    };
    let (src, dst) = (visible(from), visible(to));
    if src.len() != dst.len() {
        return None;
    }
    let placed = cells
        .iter()
        .map(|c| {
            let a = src.partition_point(|&(i, _)| i < c.start);
            let b = src.partition_point(|&(i, _)| i < c.end);
            match (dst.get(a), b.checked_sub(1).and_then(|k| dst.get(k))) {
                (Some(&(s, _)), Some(&(_, e))) if b > a => s..e,
                (Some(&(s, _)), _) => s..s,
                (None, _) => to.len()..to.len(),
            }
        })
        .collect();
    Some(placed)
}
