//! A glyph-level text layer of our own, on lopdf.
//!
//! [`extract_pages`] reads every page of a parsed [`lopdf::Document`] into
//! a [`PageText`]: the page's text in the layout contract of
//! `ingest/layout.rs` (what `normalize` consumes), and every glyph with its
//! position, so that a finding can point at where it sits on the page.
//!
//! The text of a page:
//! - one visual line per `\n`, no empty lines, lines top to bottom (glyphs
//!   are grouped into lines by baseline, then read left to right);
//! - a line's indentation from the page's left margin (the most common
//!   line start) as leading spaces, one per half em, when at least a full
//!   em;
//! - inside a line, a gap wider than 0.15 em as one space per half
//!   em (at least one): a word space is one space, a table cell boundary
//!   several (`一般公共预算财政拨款收入        10583.6      99.94%`).
//!
//! Where the page's ruling lines enclose the cells of a table, each row of
//! the table is one line, and [`PageText::rows`] says which lines those
//! are and where each cell's text sits in its line.
//!
//! Gaps come from the glyphs' true advances (`/W` in both its forms,
//! `/Widths`, Type 3 font matrices), so cells stay apart where the fonts
//! say they are.
//!
//! How it reads (see the submodules):
//! - `interp`: the content stream interpreter (graphics and text state,
//!   matrices, text showing, form XObjects with a depth limit and a cycle
//!   guard, images skipped undecoded, marked content with `/ActualText`);
//! - `font`, `cmap`, `encoding`: fonts decoded once per document and cached
//!   by object id;
//! - `layout`: glyphs into lines.
//!
//! Never panics on any input, and never invents text: a glyph that cannot
//! be decoded becomes U+FFFD and is counted in [`PageText::undecoded`]. A
//! malformed object (a font, a form, an entry of a CMap or a width table)
//! costs that object, and is named in [`PageText::problems`].

mod cmap;
mod encoding;
mod font;
mod interp;
mod layout;
mod lexer;
mod objects;
mod ruling;

pub use interp::{displayed_to_user, transform, Matrix};
pub use objects::{deref, get as get_object, get_name, get_num, Undecoded};
pub use objects::{stream_bytes, MAX_STREAM};

use lopdf::{Document, ObjectId};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// One glyph as drawn: a single character and where it sits.
///
/// Coordinates are in points in the page's displayed frame: origin at the
/// top-left corner of the crop box, x to the right, y downwards, after the
/// page's `/Rotate`. `(x, y)` is the glyph's origin on its baseline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Glyph {
    pub ch: char,
    pub x: f32,
    pub y: f32,
    /// The glyph's advance along its baseline.
    pub width: f32,
    /// The font size as drawn (the em, in points).
    pub size: f32,
}

/// The text of one page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageText {
    /// 1-based page number.
    pub number: u32,
    /// The page's text, in the layout contract of the module docs.
    pub text: String,
    /// The glyphs, in text order: the i-th non-whitespace character of
    /// [`PageText::text`] is `glyphs[i].ch`.
    pub glyphs: Vec<Glyph>,
    /// The lines of [`PageText::text`] that are rows of ruled tables, in
    /// text order.
    pub rows: Vec<RuledRow>,
    /// The displayed page's size in points.
    pub width: f32,
    pub height: f32,
    /// Glyphs no font mapping could decode (shown as U+FFFD).
    pub undecoded: usize,
    /// What on this page could not be read, and why (in Chinese, for the
    /// record's diagnostics).
    pub problems: Vec<String>,
    /// The first limit the page ran into, also among its problems: a
    /// stream that inflates past 64 MiB (a decompression bomb, in the
    /// content, a form or a font's CMap), more content or glyphs than a
    /// page can hold. What is past a limit is not read, whatever time or
    /// memory is left, so a hostile file fails the same way every time.
    pub limited: Option<String>,
    /// Whether the page object itself could not be read (the file is
    /// damaged there), as opposed to a page without text.
    pub unreadable: bool,
    /// The images the page draws (a scanned page: one covering it).
    pub images: Vec<PlacedImage>,
    /// Curve segments the page draws: text drawn as outlines, which no
    /// text layer can read, is thousands of them.
    pub curves: usize,
}

/// An image drawn on a page: its XObject (`None` for an inline image) and
/// the matrix that maps the image's unit square onto the displayed page
/// (the frame of [`Glyph`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlacedImage {
    pub id: Option<ObjectId>,
    pub ctm: Matrix,
}

impl PlacedImage {
    /// The image's bounding box on the displayed page: `[x0, y0, x1, y1]`.
    pub fn bounds(&self) -> [f64; 4] {
        let corners = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)]
            .map(|(u, v)| transform(&self.ctm, u, v));
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for (x, y) in corners {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        [x0, y0, x1, y1]
    }

    /// Whether the image is drawn upright, unrotated (its rows run along
    /// the page's x axis, top row at the top), as a scanner's page is.
    pub fn upright(&self) -> bool {
        let m = &self.ctm;
        m[1].abs() < 1e-6 && m[2].abs() < 1e-6 && m[0] > 0.0 && m[3] < 0.0
    }
}

/// Curve segments from which a page without text is taken to show text
/// drawn as outlines (a glyph is ten or more; a chart's arcs are a few
/// dozen).
const OUTLINED_TEXT_CURVES: usize = 500;

/// Share (percent) of the page an image must cover for a page without
/// text to be taken for a scan (a logo or a stamp covers a few percent).
const SCAN_AREA_PERCENT: f64 = 25.0;

impl PageText {
    /// Whether the page shows content a text layer cannot read: an image
    /// covering a good part of it (a scan), or text drawn as outlines.
    pub fn shows_graphics(&self) -> bool {
        let page = f64::from(self.width) * f64::from(self.height);
        let covered: f64 = self
            .images
            .iter()
            .map(|i| {
                let [x0, y0, x1, y1] = i.bounds();
                let w = (x1.min(f64::from(self.width)) - x0.max(0.0)).max(0.0);
                let h = (y1.min(f64::from(self.height)) - y0.max(0.0)).max(0.0);
                w * h
            })
            .sum();
        self.curves >= OUTLINED_TEXT_CURVES
            || (page > 0.0 && covered * 100.0 >= SCAN_AREA_PERCENT * page)
    }
}

/// A word read off a page image (by OCR), placed on the displayed page:
/// its text, where it starts and ends along its line, the line's baseline
/// and the em of its characters.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedWord {
    pub text: String,
    pub x0: f64,
    pub x1: f64,
    pub baseline: f64,
    pub size: f64,
}

/// Lays words read off page `number`'s image out as the text layer lays out
/// glyphs (the same lines, spaces and indentation), each word's characters
/// spread evenly over its box. No ruled table is read (an image's lines are
/// not drawn as lines).
pub fn page_from_words(number: u32, width: f32, height: f32, words: &[PlacedWord]) -> PageText {
    let mut drawn = Vec::new();
    for w in words {
        let chars: Vec<char> = w.text.chars().filter(|c| !c.is_whitespace()).collect();
        let sound = w.x1 > w.x0 && w.baseline.is_finite() && w.size > 0.0;
        if chars.is_empty() || !sound {
            continue;
        }
        let advance = (w.x1 - w.x0) / chars.len() as f64;
        for (k, &ch) in chars.iter().enumerate() {
            drawn.push(interp::Drawn {
                ch,
                x: w.x0 + advance * k as f64,
                y: w.baseline,
                dx: 1.0,
                dy: 0.0,
                width: advance,
                size: w.size,
            });
        }
    }
    let (text, glyphs, rows) = layout::layout(&drawn, &[]);
    PageText {
        number,
        text,
        glyphs,
        rows,
        width,
        height,
        ..PageText::default()
    }
}

/// A line of a page's text that is one row of a ruled table: the borders
/// enclose each of its cells.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuledRow {
    /// The line's index among the page's lines (0-based, `\n`-separated).
    pub line: usize,
    /// Each cell's text as a byte range into the line, left to right: from
    /// its first visible character to the end of its last. A cell's
    /// wrapped lines are joined, so a cell may hold spaces; cells are apart
    /// by at least two spaces.
    pub cells: Vec<Range<usize>>,
}

/// Work one document may cost, pages and forms together: content bytes
/// read plus string bytes shown (each page has its own, smaller bound).
/// Real reports need a few hundred megabytes at the most; reading this much
/// takes several seconds.
pub const MAX_DOCUMENT_WORK: usize = 1 << 30;

/// Glyphs one document may hold: 5,000 for each of 2,000 pages, where real
/// reports hold one or two thousand a page. The text of this many is what
/// the analysis can go through in bounded time and memory.
pub const MAX_DOCUMENT_GLYPHS: usize = 10_000_000;

/// Why a document has no text layer at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("PDF 中找不到任何页面")]
    NoPages,
    /// The document is past one of its budgets ([`MAX_DOCUMENT_WORK`],
    /// [`MAX_DOCUMENT_GLYPHS`]): reading stopped at that page. The measure
    /// is of the file, not of the time or memory it took, so the same file
    /// always stops at the same page.
    #[error("{0}")]
    OverLimit(String),
}

/// Reads every page. Fails when the document has no pages, or when it is
/// past a document budget; a page that cannot be read comes out empty,
/// with its problems listed.
pub fn extract_pages(doc: &Document) -> Result<Vec<PageText>, Error> {
    let mut ex = Extractor::new(doc);
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(Error::NoPages);
    }
    let mut out = Vec::with_capacity(pages.len());
    for (n, id) in pages {
        out.push(ex.page(n, id));
        if let Some(over) = ex.over_limit() {
            return Err(Error::OverLimit(format!("读到第 {n} 页时，{over}")));
        }
    }
    Ok(out)
}

/// Reads pages one at a time, sharing the fonts it has read between them:
/// for a caller that wants to guard each page separately.
pub struct Extractor<'a> {
    doc: &'a Document,
    fonts: FontCache,
    /// Work and glyphs of the pages read so far.
    work: usize,
    glyphs: usize,
}

/// Fonts by object id (or, for a font dictionary written inline, by its
/// address in the document, which does not move while it is borrowed).
#[derive(Default)]
pub(crate) struct FontCache {
    by_id: HashMap<ObjectId, Arc<font::Font>>,
    by_addr: HashMap<usize, Arc<font::Font>>,
}

impl<'a> Extractor<'a> {
    pub fn new(doc: &'a Document) -> Extractor<'a> {
        Extractor {
            doc,
            fonts: FontCache::default(),
            work: 0,
            glyphs: 0,
        }
    }

    /// Which document budget the pages read so far are past, if any (in
    /// Chinese).
    pub fn over_limit(&self) -> Option<String> {
        if self.work > MAX_DOCUMENT_WORK {
            return Some(format!(
                "文件的页面内容累计超过 {} MiB（可能是恶意构造的文件）",
                MAX_DOCUMENT_WORK >> 20
            ));
        }
        if self.glyphs > MAX_DOCUMENT_GLYPHS {
            return Some(format!(
                "文件的文字累计超过 {} 万字（可能是恶意构造的文件）",
                MAX_DOCUMENT_GLYPHS / 10_000
            ));
        }
        None
    }

    /// Reads page `number` (1-based) whose page object is `id`.
    pub fn page(&mut self, number: u32, id: ObjectId) -> PageText {
        let raw = interp::run_page(self.doc, id, &mut self.fonts);
        self.work = self.work.saturating_add(raw.work);
        self.glyphs = self.glyphs.saturating_add(raw.glyphs.len());
        let (text, glyphs, rows) = layout::layout(&raw.glyphs, &raw.rules);
        let undecoded = glyphs.iter().filter(|g| g.ch == '\u{FFFD}').count();
        PageText {
            number,
            text,
            glyphs,
            rows,
            width: raw.width as f32,
            height: raw.height as f32,
            undecoded,
            problems: raw.problems,
            limited: raw.limited,
            unreadable: raw.unreadable,
            images: raw.images,
            curves: raw.curves,
        }
    }
}
