//! A pdf-extract output device that keeps what its plain-text device
//! throws away: where a line starts, and how wide a gap is.
//!
//! pdf-extract's `PlainTextOutput` starts a new line on the same vertical
//! moves as this device, but writes one or two newlines depending on the
//! line spacing, drops indentation and writes every gap as one space. The
//! next stage needs indentation: Chinese reports indent each paragraph's
//! first line by two characters, and that is the only reliable sign that a
//! full line ending in 。 ends its paragraph. So each page comes out as:
//! - one visual line per text line, `\n`-separated, no empty lines;
//! - leading spaces for a line's indentation from the page's left margin
//!   (the most common line start), one space per half em;
//! - inside a line, a gap as one space per half em (at least one): a word
//!   space is one space, a table cell boundary several.

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};
use std::collections::HashMap;

/// Gaps and indents are counted in half ems: one Latin column, half a
/// Chinese character.
const HALF_EM: f64 = 0.5;
/// Longest run of spaces written for a gap or an indent.
const MAX_SPACES: f64 = 40.0;

#[derive(Debug)]
struct VisualLine {
    x0: f64,
    size: f64,
    text: String,
}

/// Collects one page; [`PageLayout::finish`] renders it.
#[derive(Debug, Default)]
pub struct PageLayout {
    lines: Vec<VisualLine>,
    page_height: f64,
    last_end: f64,
    last_y: f64,
    first_char: bool,
}

impl PageLayout {
    pub fn new() -> PageLayout {
        PageLayout::default()
    }

    /// The page's text, laid out as the module docs describe.
    pub fn finish(self) -> String {
        // The left margin is where most lines start (to the point).
        let mut starts: HashMap<i64, usize> = HashMap::new();
        for l in &self.lines {
            *starts.entry(l.x0.round() as i64).or_default() += 1;
        }
        let margin = starts
            .iter()
            .max_by_key(|&(x, n)| (*n, -*x))
            .map_or(0.0, |(x, _)| *x as f64);
        let mut out = String::new();
        for l in self.lines {
            let text = l.text.trim_end();
            if text.trim().is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push('\n');
            }
            let indent = spaces((l.x0 - margin) / l.size);
            // Less than a full em of indent is jitter, not a paragraph.
            if indent >= 2 {
                out.extend(std::iter::repeat_n(' ', indent));
            }
            out.push_str(text.trim_start());
        }
        out
    }
}

/// Spaces for a distance in ems.
fn spaces(ems: f64) -> usize {
    if ems.is_finite() && ems > 0.0 {
        (ems / HALF_EM).round().min(MAX_SPACES) as usize
    } else {
        0
    }
}

impl OutputDev for PageLayout {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.page_height = media_box.ury - media_box.lly;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        // Device space with y growing downwards, as pdf-extract's own
        // devices compute it.
        let x = trm.m31;
        let y = self.page_height - trm.m32;
        let vx = font_size * (trm.m11 + trm.m21);
        let vy = font_size * (trm.m12 + trm.m22);
        let mut size = (vx * vy).abs().sqrt();
        if !size.is_finite() || size <= 0.0 {
            size = font_size.abs().max(1.0);
        }
        let mut new_line = self.lines.is_empty();
        if self.first_char && !new_line {
            let dy = (y - self.last_y).abs();
            // The same tests as pdf-extract's PlainTextOutput: a big
            // vertical move, or a move back left onto another line.
            new_line = dy > size * 1.5 || (x < self.last_end && dy > size * 0.5);
            if !new_line && x > self.last_end + size * 0.1 {
                let n = spaces((x - self.last_end) / size).max(1);
                let line = self.lines.last_mut().expect("not empty");
                line.text.extend(std::iter::repeat_n(' ', n));
            }
        }
        if new_line {
            self.lines.push(VisualLine {
                x0: x,
                size,
                text: String::new(),
            });
        }
        let line = self.lines.last_mut().expect("a line was pushed");
        if line.text.trim().is_empty() && !char.trim().is_empty() {
            // A line's start is its first visible character: leading
            // spaces drawn as glyphs must not hide an indent.
            line.x0 = x;
            line.size = size;
            line.text.clear();
        }
        line.text.push_str(char);
        self.first_char = false;
        self.last_y = y;
        self.last_end = x + width * size;
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.first_char = true;
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}
