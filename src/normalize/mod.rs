//! Normalize: pages of raw text → one clean text with a map back to pages.
//!
//! What [`normalize`] promises about [`Text::text`]:
//! - **One logical paragraph per line**, `\n`-separated, no empty lines.
//!   Lines the PDF (or the `.txt`) broke mid-sentence are rejoined, also
//!   across a page break and mid-word. A line ends its paragraph when it
//!   ends with 。；！？： (optionally followed by a closing quote or
//!   bracket), when it is a heading (a markdown `#` line of a `.txt`, with
//!   the `#`s stripped; an enumerated line such as `(三) 管理效率分析` that
//!   is short and has no final punctuation; an enumerated item title that
//!   ends with its closing bracket, such as `（1）运行经费支出 … 8 个二级项目）`),
//!   or when the next line starts an enumerated item (`一、` `（二）` `(3)`
//!   `1.` `2、` `一是` `①` …). A line that ends with a comma never ends a
//!   paragraph.
//! - **Table rows stay one per line**, cells separated by exactly one
//!   space (`一般公共预算财政拨款收入 10583.6 99.94%`); a header row
//!   (`项目 金额 占比`) likewise. Rows are never glued to prose or to each
//!   other. Numbers in rows are left exactly as extracted: cells the PDF
//!   glued together (`10583.699.94%`) are not split, but reported as a
//!   `glued_number` diagnostic.
//! - **Whitespace**: in prose, a run of whitespace between two numbers is
//!   kept as one space (a cell or list boundary), one between two Latin
//!   words is kept as one space, and every other is removed (Chinese has no
//!   spaces: `2023 年` → `2023年`, `得分 9.99 分` → `得分9.99分`).
//! - **Width and radicals folded**: full-width digits and Latin letters →
//!   ASCII, `％` → `%`, `．` between digits → `.`; Kangxi radicals
//!   (U+2F00–2FDF, by NFKC) and the CJK Radicals Supplement characters
//!   that some fonts map ideographs to (⻔ → 门, ⻚ → 页, …) → the
//!   ideographs. Chinese punctuation （），、；：。 is kept as written.
//! - **Running headers, footers and page numbers dropped**: lines that
//!   repeat (modulo digits) at the top or at the bottom of most pages, and
//!   page-number lines there (`- 3 -`, `第 3 页 共 9 页`, `3/9`, a bare
//!   page number).
//!
//! [`Text::page_starts`] maps every byte back to its page; a paragraph
//! joined across a page break starts on the earlier page and its later
//! characters map to the later page.
//!
//! [`Text::lines`] says what each line is ([`LineKind`]): where the text
//! layer read a line as a row of a ruled table ([`Pages::text_layer`]), the
//! line is that row and its cells are the ruled cells; elsewhere the kind
//! is the heuristics' (the shape tests of [`crate::text::table_line`]).
//! The heuristics alone decide the text: geometry adds what it knows to
//! the lines the heuristics keep whole.

mod fold;
mod kinds;
mod running;

use crate::ingest::Pages;
use crate::model::{Diagnostic, DiagnosticKind};
use crate::pdftext::RuledRow;
use crate::text::table_line::{
    has_sentence_punctuation, is_gapped_row, is_header_row, is_numeric_cell, is_row,
};
use crate::text::{is_enumerated, is_han};
use fold::{fold_chars, width};
use kinds::{Ruling, Shape};
use regex::Regex;
use running::drop_running_lines;
use std::sync::LazyLock;

pub use crate::text::{KindSource, LineInfo, LineKind};

/// A document's normalized text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    /// One paragraph (or table row) per line, `\n`-separated, no empty
    /// lines, no trailing newline.
    pub text: String,
    /// `page_starts[i]` is the byte offset in `text` where page `i + 1`'s
    /// text begins: ascending, one entry per input page. A page without
    /// text starts where the next text begins.
    pub page_starts: Vec<usize>,
    /// What each line of `text` is, one per line in order (none when
    /// `text` is empty).
    pub lines: Vec<LineInfo>,
    /// What normalization noticed and could not repair.
    pub diagnostics: Vec<Diagnostic>,
}

impl Text {
    /// The 1-based page that the byte at `byte_offset` comes from.
    pub fn page_at(&self, byte_offset: usize) -> u32 {
        self.page_starts
            .partition_point(|&start| start <= byte_offset)
            .max(1) as u32
    }

    /// The lines of `text` with their byte offsets.
    pub fn lines_with_offsets(&self) -> impl Iterator<Item = (usize, &str)> {
        self.text.split('\n').scan(0usize, |offset, line| {
            let start = *offset;
            *offset += line.len() + 1;
            Some((start, line))
        })
    }
}

/// Normalizes the raw pages of one document; see the module docs for what
/// the result promises.
pub fn normalize(pages: &Pages) -> Text {
    let from_text_file = pages.text_layer == "text";
    let mut lines = split_lines(pages, from_text_file);
    if pages.pages.len() >= 2 {
        drop_running_lines(&mut lines, pages.pages.len());
    }
    let full_width = if from_text_file {
        None
    } else {
        typical_full_width(&lines)
    };
    let lines = classify(lines, full_width);
    let layout = Layout {
        from_text_file,
        uses_indent: uses_indent(&lines),
    };
    let paragraphs = join(&lines, &layout);
    build(paragraphs, pages.pages.len())
}

// ---------------------------------------------------------------------------
// Lines

/// A line's kind by the heuristics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Kind {
    #[default]
    Prose,
    /// A table row: a label and numeric cells, or numeric cells only.
    Row,
    /// A table's header row: short labels only, followed by a row.
    HeaderRow,
}

#[derive(Clone, Debug)]
struct Line {
    /// 1-based.
    page: u32,
    /// Folded, trimmed, inner whitespace as extracted.
    text: String,
    /// A markdown heading of a `.txt` (its `#`s already stripped).
    heading: bool,
    kind: Kind,
    /// As wide as a full line of body text (PDFs only).
    full: bool,
    /// Leading spaces: half ems of indentation from the left margin.
    indent: usize,
    /// Half ems the line takes as printed, before folding: full-width
    /// digits (`１２２６．００`) are as wide as a Chinese character.
    width: usize,
    /// What the page's ruling says about the line.
    ruling: Ruling,
}

fn split_lines(pages: &Pages, from_text_file: bool) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut map = Vec::new();
    for (i, raw) in pages.pages.iter().enumerate() {
        let rows: &[RuledRow] = match pages.rows.get(i) {
            Some(rows) if !from_text_file => rows,
            _ => &[],
        };
        let folded = fold_chars(raw, (!rows.is_empty()).then_some(&mut map));
        let page = RawPage {
            number: i as u32 + 1,
            raw,
            folded: &folded,
            rows,
            map: &map,
        };
        page_lines(&page, from_text_file, &mut lines);
    }
    lines
}

/// One page's raw and folded text, its ruled rows and the map from the
/// raw text to the folded (when it has rows).
struct RawPage<'a> {
    number: u32,
    raw: &'a str,
    folded: &'a str,
    rows: &'a [RuledRow],
    map: &'a [usize],
}

/// The page's lines that hold text.
fn page_lines(page: &RawPage, from_text_file: bool, lines: &mut Vec<Line>) {
    let mut rows = page.rows.iter().peekable();
    let (mut raw_start, mut folded_start) = (0, 0);
    // Folding keeps the lines (`\r` is a line end too): the printed
    // width of each is read from the raw line.
    let raw_lines = page.raw.split(['\n', '\r']);
    for (k, (l, raw_line)) in page.folded.split('\n').zip(raw_lines).enumerate() {
        let (raw_at, folded_at) = (raw_start, folded_start);
        raw_start += raw_line.len() + 1;
        folded_start += l.len() + 1;
        let indent = l.chars().take_while(|&c| c == ' ').count();
        let mut t = l.trim();
        let mut heading = false;
        if from_text_file && t.starts_with('#') {
            t = t.trim_start_matches('#').trim();
            heading = true;
        }
        while rows.next_if(|r| r.line < k).is_some() {}
        if t.is_empty() {
            continue;
        }
        let ruling = match rows.next_if(|r| r.line == k) {
            Some(row) => {
                let line = kinds::RawLine {
                    raw: page.raw,
                    raw_start: raw_at,
                    raw_len: raw_line.len(),
                    text_start: folded_at + (l.len() - l.trim_start().len()),
                    text_len: t.len(),
                };
                kinds::cells_in_line(row, &line, page.map).map_or(Ruling::None, Ruling::Row)
            }
            None => Ruling::None,
        };
        lines.push(Line {
            page: page.number,
            text: t.to_string(),
            heading,
            kind: Kind::Prose,
            full: false,
            indent,
            width: width(raw_line),
            ruling,
        });
    }
}

/// The width of a full line of body text: most lines of a PDF's prose are
/// full, so a high percentile of line widths is the measure.
fn typical_full_width(lines: &[Line]) -> Option<usize> {
    let mut widths: Vec<usize> = lines.iter().map(|l| l.width).collect();
    // Too few lines to tell a full line from a short one.
    if widths.len() < 20 {
        return None;
    }
    widths.sort_unstable();
    Some(widths[widths.len() * 9 / 10])
}

/// Marks table rows, header rows and full lines.
fn classify(mut lines: Vec<Line>, full_width: Option<usize>) -> Vec<Line> {
    for l in lines.iter_mut() {
        l.full = full_width.is_some_and(|w| l.width * 5 >= w * 4);
        // A full-width line without sentence punctuation that ends in a
        // number is more likely prose than a row, unless a cell gap (an em
        // or more: two spaces from the layout device) says otherwise.
        let cell_gap = l.text.contains("  ");
        if !l.heading && ((!l.full || cell_gap) && is_row(&l.text) || is_gapped_row(&l.text)) {
            l.kind = Kind::Row;
        }
    }
    for i in 0..lines.len() {
        let next_is_row = lines.get(i + 1).is_some_and(|n| n.kind == Kind::Row);
        let l = &mut lines[i];
        if l.kind == Kind::Prose && !l.heading && next_is_row && is_header_row(&l.text) {
            l.kind = Kind::HeaderRow;
        }
    }
    merge_cells_per_line(lines)
}

/// Tables whose cells the PDF puts one per line: a short label line
/// followed by lines of numbers only becomes one row.
fn merge_cells_per_line(lines: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for l in lines {
        let numbers_only = !l.heading
            && l.text.split_whitespace().all(is_numeric_cell)
            && l.text.split_whitespace().count() <= 4;
        if numbers_only {
            if let Some(prev) = out.last_mut() {
                let label_like = prev.kind == Kind::Prose
                    && !prev.heading
                    && !has_sentence_punctuation(&prev.text)
                    && !is_enumerated(&prev.text)
                    && prev.text.chars().any(is_han)
                    && prev.text.chars().filter(|c| !c.is_whitespace()).count() <= 20;
                if prev.page == l.page && (prev.kind == Kind::Row || label_like) {
                    prev.text.push(' ');
                    prev.text.push_str(&l.text);
                    prev.kind = Kind::Row;
                    prev.ruling = prev.ruling.join(&l.ruling);
                    continue;
                }
            }
        }
        out.push(l);
    }
    out
}

// ---------------------------------------------------------------------------
// Paragraphs

const CLOSERS: &[char] = &['”', '’', '」', '』', '）', ')', '】', '》', '〉', '"', '\''];

/// Ends with sentence-final punctuation, possibly followed by closers.
fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end().trim_end_matches(CLOSERS);
    t.ends_with(['。', '；', '！', '？', '：', ';', '!', '?', ':', '…'])
}

/// Characters a paragraph cannot start with: the line continues the
/// previous one.
fn starts_as_continuation(s: &str) -> bool {
    s.starts_with([
        '，', '。', '、', '；', '：', '！', '？', '）', '」', '』', '”', '’', '》', '〉', '】',
        '%', '‰', ',', '.', ';', ':', ')',
    ])
}

/// The line's brackets all close, and it ends with a closing bracket.
fn ends_with_balanced_bracket(s: &str) -> bool {
    if !s.trim_end().ends_with(['）', ')']) {
        return false;
    }
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth -= 1,
            _ => {}
        }
    }
    depth == 0
}

/// Headings without a `#`: enumerated, no final punctuation, and short
/// (a `.txt` line has no width, so a length stands in for it).
const TXT_HEADING_CHARS: usize = 20;

struct Para {
    /// Characters with their 1-based page.
    chars: Vec<(char, u32)>,
    /// How it started (its first line, for the rules that look at that),
    /// and its lines.
    shape: Shape,
    saw_sentence_end: bool,
}

impl Para {
    fn new(l: &Line) -> Para {
        Para {
            chars: Vec::new(),
            shape: Shape {
                kind: l.kind,
                first_line: l.text.clone(),
                ..Shape::default()
            },
            saw_sentence_end: false,
        }
    }

    /// A table row or header row (one line each).
    fn table(&self) -> bool {
        self.shape.kind != Kind::Prose
    }

    fn push_line(&mut self, l: &Line) {
        self.shape.ruling = match self.shape.lines {
            0 => l.ruling.clone(),
            _ => self.shape.ruling.join(&l.ruling),
        };
        self.shape.lines += 1;
        if let Some(&(_, page)) = self.chars.last() {
            // The line break itself: kept as a space only where whitespace
            // would be kept (between two Latin words, or two numbers in a
            // table row); LINE_BREAK lets `squeeze` tell it from a space.
            self.chars.push((LINE_BREAK, page));
        }
        self.chars.extend(l.text.chars().map(|c| (c, l.page)));
        let t = l.text.trim_end_matches(CLOSERS);
        if t.contains(['。', '；', '！', '？', '：']) {
            self.saw_sentence_end = true;
        }
    }
}

/// What the whole document says about how it marks paragraphs.
struct Layout {
    from_text_file: bool,
    /// Paragraphs begin with an indented first line.
    uses_indent: bool,
}

/// Half ems of indent that mark a paragraph's first line (two characters
/// are four half ems; allow for jitter and narrower indents).
const PARAGRAPH_INDENT: usize = 3;
const MAX_PARAGRAPH_INDENT: usize = 8;

/// Whether the document indents its paragraphs' first lines: enough prose
/// lines start one and a half to four ems in from the margin.
fn uses_indent(lines: &[Line]) -> bool {
    let prose = lines.iter().filter(|l| l.kind == Kind::Prose).count();
    let indented = lines
        .iter()
        .filter(|l| {
            l.kind == Kind::Prose && (PARAGRAPH_INDENT..=MAX_PARAGRAPH_INDENT).contains(&l.indent)
        })
        .count();
    indented >= 3 && indented * 20 >= prose
}

fn ends_paragraph(para: &Para, l: &Line, next: Option<&Line>, layout: &Layout) -> bool {
    let Some(next) = next else { return true };
    if para.table() || next.kind != Kind::Prose || l.heading || next.heading {
        return true;
    }
    let t = l.text.trim_end();
    if starts_as_continuation(&next.text) {
        return false;
    }
    let next_enumerated = is_enumerated(&next.text);
    // A deeper indent is a centred line (a caption, a title), which may
    // well continue the line before it.
    if layout.uses_indent && (PARAGRAPH_INDENT..=MAX_PARAGRAPH_INDENT).contains(&next.indent) {
        return true;
    }
    if ends_sentence(t) {
        // A full line that ends a sentence may still be mid-paragraph:
        // where paragraphs are marked by indentation, only an indented
        // next line (above) or a new item ends it; elsewhere a full line
        // that ends in ；or ： is taken to go on.
        let continues = if layout.uses_indent {
            l.full && next.indent < PARAGRAPH_INDENT
        } else {
            l.full
                && t.trim_end_matches(CLOSERS)
                    .ends_with(['；', '：', ';', ':'])
        };
        return !continues || next_enumerated;
    }
    if t.ends_with(['，', '、', ',']) {
        return false;
    }
    if next_enumerated {
        return true;
    }
    let starts_enumerated = is_enumerated(&para.shape.first_line);
    // An item title such as `（1）运行经费支出 … 8 个二级项目）`: the item
    // has no sentence yet and its bracket closes at the line's end.
    if starts_enumerated && !para.saw_sentence_end && ends_with_balanced_bracket(t) {
        let whole: String = para.chars.iter().map(|&(c, _)| c).collect();
        if ends_with_balanced_bracket(&whole) {
            return true;
        }
    }
    // A short enumerated heading: `(三) 管理效率分析`.
    let single_line = para.shape.first_line == l.text;
    starts_enumerated && single_line && is_short(l, layout)
}

/// Short enough for a heading: less than a full line of a PDF, or (a
/// `.txt` line has no width) a few characters.
fn is_short(l: &Line, layout: &Layout) -> bool {
    if layout.from_text_file {
        l.text.chars().filter(|c| !c.is_whitespace()).count() <= TXT_HEADING_CHARS
    } else {
        !l.full
    }
}

/// A paragraph the heuristics take for a heading: a markdown heading, or
/// one short enumerated line without final punctuation that does not end
/// in a figure (`二、事业收入0.00` is a row of a table).
fn is_heading(para: &Para, l: &Line, layout: &Layout) -> bool {
    let t = l.text.trim_end();
    para.shape.lines == 1
        && !para.table()
        && (l.heading
            || is_enumerated(t)
                && !ends_sentence(t)
                && !t.ends_with(|c: char| {
                    matches!(c, '，' | '、' | ',' | '%') || c.is_ascii_digit()
                })
                && is_short(l, layout))
}

fn join(lines: &[Line], layout: &Layout) -> Vec<Para> {
    let mut out = Vec::new();
    let mut current: Option<Para> = None;
    for (i, l) in lines.iter().enumerate() {
        let para = current.get_or_insert_with(|| Para::new(l));
        para.push_line(l);
        if ends_paragraph(para, l, lines.get(i + 1), layout) {
            para.shape.heading = is_heading(para, l, layout);
            out.extend(current.take());
        }
    }
    out.extend(current);
    out
}

// ---------------------------------------------------------------------------
// Output

fn is_number_end(c: char) -> bool {
    c.is_ascii_digit() || c == '%' || c == '‰'
}

/// Whitespace between `before` and the text starting at `after` survives
/// as one space.
fn keep_space(before: char, after: &[(char, u32)], table: bool) -> bool {
    let Some(&(a, _)) = after.first() else {
        return false;
    };
    if table {
        return true;
    }
    let starts_number = a.is_ascii_digit()
        || (matches!(a, '-' | '+' | '−') && after.get(1).is_some_and(|&(d, _)| d.is_ascii_digit()));
    (is_number_end(before) && starts_number)
        || (before.is_ascii_alphabetic() && a.is_ascii_alphabetic())
}

/// A visual line end inside a paragraph (U+2028 LINE SEPARATOR).
const LINE_BREAK: char = '\u{2028}';

/// Removes or collapses whitespace as the module docs promise.
fn squeeze(chars: &[(char, u32)], table: bool) -> Vec<(char, u32)> {
    let mut out: Vec<(char, u32)> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let (c, page) = chars[i];
        if !c.is_whitespace() {
            out.push((c, page));
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && chars[j].0.is_whitespace() {
            j += 1;
        }
        // Prose wrapped in the middle of a number ("占总收入的9⏎9.94%"): the
        // halves are one number, since a sentence never puts two numbers
        // side by side without a word or a mark between them.
        let wrapped_number = !table
            && chars[i..j].iter().all(|&(c, _)| c == LINE_BREAK)
            && out
                .last()
                .is_some_and(|&(b, _)| b.is_ascii_digit() || b == '.')
            && chars
                .get(j)
                .is_some_and(|&(a, _)| a.is_ascii_digit() || a == '.');
        if let (Some(&(before, _)), false) = (out.last(), wrapped_number) {
            if keep_space(before, &chars[j..], table) {
                out.push((' ', page));
            }
        }
        i = j;
    }
    out
}

/// A number whose digits the PDF spaced out: thousands groups
/// (`10 590.2万元`) or one digit per glyph (`1 0 5 9 0.2万元`), possibly
/// wrapped at a line end. Only when a decimal part or a unit follows:
/// `表1 2023年` is two numbers. Matched on the paragraph before
/// whitespace is squeezed, with line breaks as `\n`.
static SPACED_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[^\d.,])(\d(?:[ \n]\d)+(?:[ \n]?\.[ \n]?\d(?:[ \n]\d)*)?|\d{1,3}(?:[ \n]\d{3})+(?:[ \n]?\.[ \n]?\d+)?)[ \n]?(?:\.\d|万元|亿元|元|%)",
    )
    .expect("valid regex")
});

/// Removes the whitespace inside spaced-out numbers of a prose paragraph.
fn join_spaced_digits(chars: &mut Vec<(char, u32)>) {
    let mut s = String::with_capacity(chars.len());
    let mut at = Vec::with_capacity(chars.len());
    for &(c, _) in chars.iter() {
        at.push(s.len());
        s.push(if c == LINE_BREAK { '\n' } else { c });
    }
    let mut remove = Vec::new();
    let mut from = 0;
    while let Some(c) = SPACED_NUMBER.captures_at(&s, from) {
        let m = c.get(1).expect("group 1");
        for (k, _) in m.as_str().match_indices([' ', '\n']) {
            remove.push(at.partition_point(|&b| b < m.start() + k));
        }
        from = m.end();
    }
    if remove.is_empty() {
        return;
    }
    let mut i = 0;
    let mut next = remove.iter().peekable();
    chars.retain(|_| {
        let here = i;
        i += 1;
        if next.peek() == Some(&&here) {
            next.next();
            return false;
        }
        true
    });
}

/// Two numbers glued into one token: two decimal points (`10583.699.94%`),
/// or a percentage in the thousands (`10590.2100%`).
static GLUED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d+\.\d+\.\d+%?$|^\d{4,}(?:\.\d+)?%$").expect("valid regex"));

/// `2023.12.31` has two points and is a date, not two numbers.
static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:19|20)\d\d\.\d{1,2}\.\d{1,2}$").expect("valid regex"));

fn build(paragraphs: Vec<Para>, page_count: usize) -> Text {
    let mut text = String::new();
    let mut char_pages: Vec<(usize, u32)> = Vec::new();
    let mut diagnostics = Vec::new();
    let mut lines = Vec::new();
    for p in paragraphs {
        let mut raw = p.chars;
        let table = p.shape.kind != Kind::Prose;
        if !table {
            join_spaced_digits(&mut raw);
        }
        let chars = squeeze(&raw, table);
        if chars.is_empty() {
            continue;
        }
        if !text.is_empty() {
            let page = char_pages.last().map_or(1, |&(_, pg)| pg);
            char_pages.push((text.len(), page));
            text.push('\n');
        }
        let line_start = text.len();
        for (c, page) in &chars {
            char_pages.push((text.len(), *page));
            text.push(*c);
        }
        if table {
            glued_numbers(&text[line_start..], chars[0].1, &mut diagnostics);
        }
        lines.push(kinds::line_info(&p.shape, &text, line_start..text.len()));
    }
    let mut page_starts = Vec::with_capacity(page_count);
    let mut k = 0;
    for page in 1..=page_count as u32 {
        while k < char_pages.len() && char_pages[k].1 < page {
            k += 1;
        }
        page_starts.push(char_pages.get(k).map_or(text.len(), |&(off, _)| off));
    }
    Text {
        text,
        page_starts,
        lines,
        diagnostics,
    }
}

/// Names the numbers of a table row that look like two cells glued.
fn glued_numbers(row: &str, page: u32, diagnostics: &mut Vec<Diagnostic>) {
    for token in row.split(' ') {
        if GLUED.is_match(token) && !DATE.is_match(token) {
            diagnostics.push(Diagnostic {
                kind: DiagnosticKind::GluedNumber,
                page: Some(page),
                message: format!(
                    "第 {page} 页表格中的数字“{token}”疑似由相邻单元格粘连而成（PDF 字体宽度信息有误），未拆分，该行数字未被检查"
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdf(pages: &[&str]) -> Pages {
        Pages {
            pages: pages.iter().map(|s| s.to_string()).collect(),
            text_layer: "pdf-extract".into(),
            rows: Vec::new(),
            diagnostics: Vec::new(),
            ocr: Vec::new(),
        }
    }

    fn txt(s: &str) -> Pages {
        Pages {
            pages: vec![s.to_string()],
            text_layer: "text".into(),
            rows: Vec::new(),
            diagnostics: Vec::new(),
            ocr: Vec::new(),
        }
    }

    #[test]
    fn folds_width_and_radicals_but_not_chinese_punctuation() {
        let t = normalize(&txt(
            "２０２３年⼴州市档案馆部⻔收⼊１０５９０．２万元，占比９９．９４％（见⻚）。",
        ));
        assert_eq!(
            t.text,
            "2023年广州市档案馆部门收入10590.2万元，占比99.94%（见页）。"
        );
    }

    #[test]
    fn whitespace_is_removed_except_between_numbers_and_latin_words() {
        let t = normalize(&txt(
            "2023 年 收入 4726.02 万元，表 1 2023 年，得分 9.99 分，Open Data 平台。",
        ));
        assert_eq!(
            t.text,
            "2023年收入4726.02万元，表1 2023年，得分9.99分，Open Data平台。"
        );
    }

    #[test]
    fn broken_lines_are_rejoined_and_paragraphs_end_at_final_punctuation() {
        let t = normalize(&txt(
            "# 标题\n\n## (一) 部门职能\n\n组织档案资料深度研究、档\n\n案文化的开发利用工作。采访21人，\n\n拍摄时长 1428 分钟。\n项目支出 4726.02 万\n元，占比。\n",
        ));
        assert_eq!(
            t.text,
            "标题\n(一)部门职能\n组织档案资料深度研究、档案文化的开发利用工作。采访21人，拍摄时长1428分钟。\n项目支出4726.02万元，占比。"
        );
    }

    #[test]
    fn enumerated_items_start_paragraphs_and_short_ones_are_headings() {
        let t = normalize(&txt(
            "(三) 管理效率分析\n管理效率得分 48.99 分\n一是收集\n二是委托\n（1）运行经费支出 1808.84 万元（含 8 个二级项目）\n对全市电子文件运行维护。",
        ));
        assert_eq!(
            t.text,
            "(三)管理效率分析\n管理效率得分48.99分\n一是收集\n二是委托\n（1）运行经费支出1808.84万元（含8个二级项目）\n对全市电子文件运行维护。"
        );
    }

    #[test]
    fn a_line_of_full_width_digits_is_as_wide_as_it_is_printed() {
        // Twenty full lines of prose, then an enumerated item whose first
        // line is full only counting its full-width digits as printed: it
        // goes on, it is no short heading.
        let mut page = String::new();
        for _ in 0..20 {
            page.push_str(
                "本局全面落实预算绩效管理要求，加强项目支出全过程管理，提高资金使用效益和\n",
            );
        }
        page.push_str("本局完成年度工作任务。\n");
        page.push_str("（１）专项业务经费：全年预算数１２７８．５１万元，执行数１２２６．００万\n");
        page.push_str("元，执行率９５．８９％。\n");
        let t = normalize(&pdf(&[&page]));
        assert!(
            t.text.ends_with(
                "\n（1）专项业务经费：全年预算数1278.51万元，执行数1226.00万元，执行率95.89%。"
            ),
            "{}",
            t.text
        );
    }

    #[test]
    fn a_number_wrapped_at_a_line_end_is_one_number() {
        let t = normalize(&txt(
            "其中一般公共预算财政拨款收入10583.6万元，占总收入的9\n9.94%，其他收入6.6万元。",
        ));
        assert_eq!(
            t.text,
            "其中一般公共预算财政拨款收入10583.6万元，占总收入的99.94%，其他收入6.6万元。"
        );
    }

    #[test]
    fn thousands_commas_and_spaced_digits_make_one_number() {
        let t = normalize(&txt(
            "收入合计１，２３４．５６万元，支出1，000.00万元，另有１，２３４万元；二级指标7，三级指标23，分别为100，200万元。",
        ));
        assert_eq!(
            t.text,
            "收入合计1,234.56万元，支出1,000.00万元，另有1,234万元；二级指标7，三级指标23，分别为100，200万元。"
        );
        let t = normalize(&txt(
            "收入合计10 590.2万元，其中财政拨款1 0 5 8 3.6 万 元，占 9 9.9 4 %，表1 2023年，共7 23个。",
        ));
        assert_eq!(
            t.text,
            "收入合计10590.2万元，其中财政拨款10583.6万元，占99.94%，表1 2023年，共7 23个。"
        );
    }

    #[test]
    fn table_rows_stay_one_per_line_with_single_spaces() {
        let t = normalize(&pdf(&[
            "占总支出的 44.63%。\n\n表 1 2023 年部门整体收支情况（单位：万元）\n\n项目  金额 占比\n\n收入合计 10590.2 100%\n\n一般公共预算财政拨款收入 10583.699.94%\n\n其他收入\n6.6\n0.06%\n\n（五）部门整体绩效管理情况\n",
        ]));
        assert_eq!(
            t.text,
            "占总支出的44.63%。\n表1 2023年部门整体收支情况（单位：万元）\n项目 金额 占比\n收入合计 10590.2 100%\n一般公共预算财政拨款收入 10583.699.94%\n其他收入 6.6 0.06%\n（五）部门整体绩效管理情况"
        );
        assert_eq!(t.diagnostics.len(), 1);
        assert_eq!(t.diagnostics[0].kind, DiagnosticKind::GluedNumber);
    }

    #[test]
    fn a_full_width_row_is_a_row_when_a_cell_gap_says_so() {
        let prose = "    这是一行写满的正文，用来确定满行的宽度是多少，共有三十个字符左右。\n"
            .to_string()
            + &"这是一行写满的正文，用来确定满行的宽度是多少，共有三十个字符左右。\n".repeat(20);
        let page = format!(
            "{prose}一般公共预算财政拨款收入（含上年结转结余资金和本年追加资金）    10583.6    99.94%\n截至2023.12.31    2023.12.31\n"
        );
        let t = normalize(&pdf(&[&page]));
        let lines: Vec<&str> = t.text.lines().collect();
        assert_eq!(
            lines[lines.len() - 2],
            "一般公共预算财政拨款收入（含上年结转结余资金和本年追加资金） 10583.6 99.94%"
        );
        assert_eq!(lines[lines.len() - 1], "截至2023.12.31 2023.12.31");
        assert!(t.diagnostics.is_empty(), "{:?}", t.diagnostics);
    }

    #[test]
    fn headers_footers_and_page_numbers_are_dropped_and_pages_mapped() {
        let cn = ["甲", "乙", "丙", "丁"];
        let pages: Vec<String> = (1..=4)
            .map(|n| {
                let c = cn[n - 1];
                format!(
                    "\n\n2023 年度某单位绩效自评报告\n\n- {n} -\n\n{c}页正文开始，继续\n\n写到{c}页页尾的句子\n\n第 {n} 页 共 4 页"
                )
            })
            .collect();
        let refs: Vec<&str> = pages.iter().map(String::as_str).collect();
        let t = normalize(&pdf(&refs));
        assert!(!t.text.contains("报告"), "{}", t.text);
        assert!(!t.text.contains("共4页"), "{}", t.text);
        assert!(!t.text.contains('-'), "{}", t.text);
        // Without final punctuation, the pages run together as one paragraph.
        assert_eq!(t.text.lines().count(), 1, "{}", t.text);
        for (n, c) in cn.iter().enumerate() {
            let at = t.text.find(&format!("{c}页正文")).unwrap();
            assert_eq!(t.page_at(at), n as u32 + 1);
        }
        assert_eq!(t.page_starts.len(), 4);
        assert_eq!(t.page_starts[0], 0);
    }

    #[test]
    fn table_rows_that_end_several_pages_are_not_footers() {
        // Two tables that agree end their pages with the same rows: they
        // are rows, not a running footer.
        let pages: Vec<String> = ["收入预算总表", "支出预算总表", "财政拨款支出预算表"]
            .iter()
            .map(|t| format!("{t}\n201 一般公共服务支出 1,478.21\n2210201 住房公积金 120.55\n2210203 购房补贴 33.60"))
            .collect();
        let refs: Vec<&str> = pages.iter().map(String::as_str).collect();
        let t = normalize(&pdf(&refs));
        assert_eq!(t.text.matches("购房补贴").count(), 3, "{}", t.text);
        assert_eq!(t.text.matches("住房公积金").count(), 3, "{}", t.text);
    }

    #[test]
    fn bare_page_numbers_need_to_agree_with_the_page_index() {
        // A cover page shifts the numbers by one; the 100 closing a table
        // on page 2 is not a page number.
        let pages: Vec<String> = (1..=3)
            .map(|n| {
                let extra = if n == 2 { "合计\n100\n" } else { "" };
                format!(
                    "页眉\n正文{}页。\n{extra}{}",
                    ["甲", "乙", "丙"][n - 1],
                    n + 1
                )
            })
            .collect();
        let refs: Vec<&str> = pages.iter().map(String::as_str).collect();
        let t = normalize(&pdf(&refs));
        assert!(
            !t.text.lines().any(|l| l.trim().parse::<u32>().is_ok()),
            "{:?}",
            t.text
        );
        assert!(t.text.contains("合计 100"), "{}", t.text);
    }

    /// A ruled row on line `line` of `page` whose cells read `cells`, in
    /// order.
    fn ruled(page: &str, line: usize, cells: &[&str]) -> RuledRow {
        let text = page.split('\n').nth(line).unwrap();
        let mut at = 0;
        let cells = cells
            .iter()
            .map(|c| {
                let start = at + text[at..].find(c).unwrap();
                at = start + c.len();
                start..at
            })
            .collect();
        RuledRow { line, cells }
    }

    /// The kind of each line, with its cells' text.
    fn kinds(t: &Text) -> Vec<(KindSource, String)> {
        t.lines
            .iter()
            .map(|l| {
                let cells: Vec<&str> = l.kind.cells().iter().map(|c| &t.text[c.clone()]).collect();
                let kind = match &l.kind {
                    LineKind::Prose => "Prose".to_string(),
                    LineKind::Heading => "Heading".to_string(),
                    LineKind::Row { .. } => format!("Row {cells:?}"),
                    LineKind::Header { .. } => format!("Header {cells:?}"),
                };
                (l.source, kind)
            })
            .collect()
    }

    #[test]
    fn ruled_rows_keep_their_cells_through_folding_and_squeezing() {
        let page = "（一）收入情况\n项目  金额  占比\n收入合计  １０５９０．２  １００％\n其\u{AD}他收入　　６．６\n项目名称  档案信息化建设\n其他资金\n6.6  0.06%";
        let rows = vec![
            ruled(page, 1, &["项目", "金额", "占比"]),
            ruled(page, 2, &["收入合计", "１０５９０．２", "１００％"]),
            ruled(page, 3, &["其\u{AD}他收入", "６．６"]),
            ruled(page, 4, &["项目名称", "档案信息化建设"]),
            ruled(page, 5, &["其他资金"]),
        ];
        let pages = Pages {
            pages: vec![page.to_string()],
            text_layer: "pdftext".into(),
            rows: vec![rows],
            diagnostics: Vec::new(),
            ocr: Vec::new(),
        };
        let t = normalize(&pages);
        assert_eq!(
            t.text,
            "（一）收入情况\n项目 金额 占比\n收入合计 10590.2 100%\n其他收入 6.6\n项目名称档案信息化建设\n其他资金 6.6 0.06%"
        );
        let (ruling, shape, joined) = (
            KindSource::Ruling,
            KindSource::Shape,
            KindSource::JoinedRuling,
        );
        assert_eq!(
            kinds(&t),
            vec![
                (shape, "Heading".to_string()),
                (ruling, r#"Header ["项目", "金额", "占比"]"#.to_string()),
                (ruling, r#"Row ["收入合计", "10590.2", "100%"]"#.to_string()),
                (ruling, r#"Row ["其他收入", "6.6"]"#.to_string()),
                // The heuristics take it for prose and squeeze its spaces;
                // the borders still tell its cells.
                (ruling, r#"Row ["项目名称", "档案信息化建设"]"#.to_string()),
                // A line of figures appended to a ruled row: the
                // heuristics' row.
                (joined, r#"Row ["其他资金", "6.6", "0.06%"]"#.to_string()),
            ]
        );
        // Without the geometry, the same text with the heuristics' kinds.
        let plain = normalize(&Pages {
            text_layer: "pdftext".into(),
            rows: Vec::new(),
            ..pages
        });
        assert_eq!(plain.text, t.text);
        assert!(plain.lines.iter().all(|l| l.source == shape));
        assert_eq!(kinds(&plain)[4], (shape, "Prose".to_string()));
    }

    #[test]
    fn geometry_that_does_not_fit_its_line_is_not_used() {
        let page = "收入合计  10590.2  100%";
        let pages = Pages {
            pages: vec![page.to_string()],
            text_layer: "pdftext".into(),
            rows: vec![vec![
                RuledRow {
                    line: 0,
                    cells: vec![0..1, 14..15],
                },
                RuledRow {
                    line: 7,
                    cells: vec![0..3, 3..6],
                },
            ]],
            diagnostics: Vec::new(),
            ocr: Vec::new(),
        };
        let t = normalize(&pages);
        assert_eq!(t.text, "收入合计 10590.2 100%");
        assert_eq!(t.lines[0].source, KindSource::Shape);
    }

    #[test]
    fn empty_pages_start_where_the_next_text_begins() {
        let t = normalize(&pdf(&["第一页。", "", "第三页。"]));
        assert_eq!(t.text, "第一页。\n第三页。");
        let third = t.text.find("第三").unwrap();
        assert_eq!(t.page_starts, vec![0, third, third]);
        assert_eq!(t.page_at(third), 3);
        assert_eq!(t.page_at(0), 1);
    }
}
