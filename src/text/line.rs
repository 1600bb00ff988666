//! What a line of the normalized text is: prose, a heading, a table row or
//! a table's header row, and where that knowledge comes from.
//!
//! `normalize` gives every line of [`crate::normalize::Text::text`] a
//! [`LineInfo`]. Where the PDF's ruling lines enclose a table's cells,
//! the text layer knows each row and its cells from the page's geometry
//! ([`KindSource::Ruling`]); everywhere else (a `.txt`, pdf-extract's
//! text, the lines of a PDF outside its ruled tables) the kind is read
//! from the text's shape ([`KindSource::Shape`]), with the tests of
//! [`crate::text::table_line`].

use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// A line of the normalized text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineInfo {
    /// The line's bytes in the text, without its `\n`.
    pub span: Range<usize>,
    pub kind: LineKind,
    /// Where `kind` comes from.
    pub source: KindSource,
}

/// What a line is. Ranges are byte ranges into the whole normalized text,
/// each inside the line's span, left to right; a cell's range runs from
/// its first visible character to the end of its last.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// A paragraph of running text (or anything that is none of the rest).
    Prose,
    /// A heading: a markdown `#` line of a `.txt`, or a short enumerated
    /// line without final punctuation (`(三)管理效率分析`).
    Heading,
    /// A table row, one range per cell (a label cell, then values).
    Row { cells: Vec<Range<usize>> },
    /// A table's header row, one range per column name.
    Header { columns: Vec<Range<usize>> },
}

/// Where a line's kind comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindSource {
    /// The page's ruling lines: the line is one row of a ruled table and
    /// its cells are the cells the borders enclose (whether that row is a
    /// header is read from its cells' words, see
    /// [`crate::text::table_line::is_header_cells`]).
    Ruling,
    /// The text's shape: text without geometry, or a line outside every
    /// ruled table.
    Shape,
    /// The text's shape, although the line holds a ruled row: normalize's
    /// heuristics joined it with other lines (a row read as prose that
    /// runs on, or a line of figures appended to it), so its cells are not
    /// the ruled ones.
    JoinedRuling,
}

impl LineKind {
    /// The cells of a row or the columns of a header; none for prose or a
    /// heading.
    pub fn cells(&self) -> &[Range<usize>] {
        match self {
            LineKind::Row { cells } => cells,
            LineKind::Header { columns } => columns,
            LineKind::Prose | LineKind::Heading => &[],
        }
    }

    /// A row or a header row.
    pub fn is_table(&self) -> bool {
        matches!(self, LineKind::Row { .. } | LineKind::Header { .. })
    }
}

static ENUMERATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?:
            [（(]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[)）]   # (3) （二）
          | \d{1,2}\s*[.．、](?:[^\d]|$)                            # 1. 2、
          | [一二三四五六七八九十]{1,3}\s*[、是]                      # 一、 一是
          | [①-⑳]
          | [ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ]\s*[、.．]
        )",
    )
    .expect("valid regex")
});

/// The line starts an enumerated item: `一、` `（二）` `(3)` `1.` `2、`
/// `一是` `①` `Ⅱ、` …
pub fn is_enumerated(s: &str) -> bool {
    ENUMERATED.is_match(s)
}
