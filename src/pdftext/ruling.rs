//! Ruling lines: the strokes and thin fills that draw a table's borders.
//!
//! Word, WPS, LibreOffice and XeLaTeX stroke a table's borders as straight
//! lines; Chromium fills them as thin rectangles. Either way, a border is
//! an axis-aligned [`Rule`] in the page frame. The layout uses them to find
//! the cells of a ruled table, so that a number or a name that wraps
//! inside a narrow cell (`１０２．５` over `３％`) is read as one cell and
//! not as two rows.

/// A painted box thinner than this (points) is a line, not an area.
const THIN: f64 = 3.0;
/// A stroke off its axis by less than this (points) is still a line
/// along it.
const SKEW: f64 = 0.5;
/// Shorter marks (points) are dots or glyph pieces, not borders.
const MIN_LEN: f64 = 2.0;
/// Rules kept per page; points kept per path. More is hostile.
const MAX_RULES: usize = 20_000;
const MAX_POINTS: usize = 100_000;

/// An axis-aligned line in the page frame (points, y downwards).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rule {
    pub horizontal: bool,
    /// y of a horizontal rule, x of a vertical one.
    pub at: f64,
    /// Its extent along its axis, `from <= to`.
    pub from: f64,
    pub to: f64,
}

impl Rule {
    /// A rule from a straight segment, if the segment is axis-aligned and
    /// long enough.
    fn from_segment(a: (f64, f64), b: (f64, f64)) -> Option<Rule> {
        let (dx, dy) = ((b.0 - a.0).abs(), (b.1 - a.1).abs());
        if dy <= SKEW && dx >= MIN_LEN {
            Some(Rule {
                horizontal: true,
                at: (a.1 + b.1) / 2.0,
                from: a.0.min(b.0),
                to: a.0.max(b.0),
            })
        } else if dx <= SKEW && dy >= MIN_LEN {
            Some(Rule {
                horizontal: false,
                at: (a.0 + b.0) / 2.0,
                from: a.1.min(b.1),
                to: a.1.max(b.1),
            })
        } else {
            None
        }
    }

    /// A rule from a filled area, if the area is a thin bar.
    fn from_bar(points: &[(f64, f64)]) -> Option<Rule> {
        let (mut x0, mut y0) = (f64::INFINITY, f64::INFINITY);
        let (mut x1, mut y1) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
        for &(x, y) in points {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let (w, h) = (x1 - x0, y1 - y0);
        if !(w.is_finite() && h.is_finite()) {
            return None;
        }
        if h <= THIN && w >= MIN_LEN && w > h {
            Some(Rule {
                horizontal: true,
                at: (y0 + y1) / 2.0,
                from: x0,
                to: x1,
            })
        } else if w <= THIN && h >= MIN_LEN && h > w {
            Some(Rule {
                horizontal: false,
                at: (x0 + x1) / 2.0,
                from: y0,
                to: y1,
            })
        } else {
            None
        }
    }
}

/// The path being built by the content stream, in the page frame.
#[derive(Default)]
pub struct Path {
    /// The points of each subpath (curves by their end points).
    subpaths: Vec<Vec<(f64, f64)>>,
    /// The straight segments, for strokes.
    segments: Vec<[(f64, f64); 2]>,
    points: usize,
}

impl Path {
    fn full(&mut self) -> bool {
        self.points += 1;
        self.points > MAX_POINTS
    }

    pub fn move_to(&mut self, p: (f64, f64)) {
        if !self.full() {
            self.subpaths.push(vec![p]);
        }
    }

    pub fn line_to(&mut self, p: (f64, f64)) {
        if self.full() {
            return;
        }
        if let Some(sp) = self.subpaths.last_mut() {
            if let Some(&a) = sp.last() {
                self.segments.push([a, p]);
            }
            sp.push(p);
        }
    }

    /// A Bézier curve ending at `p`: it moves the current point, and is
    /// never a border.
    pub fn curve_to(&mut self, p: (f64, f64)) {
        if self.full() {
            return;
        }
        if let Some(sp) = self.subpaths.last_mut() {
            sp.push(p);
        }
    }

    pub fn close(&mut self) {
        if let Some(sp) = self.subpaths.last() {
            if let (Some(&a), Some(&b)) = (sp.last(), sp.first()) {
                if a != b {
                    self.segments.push([a, b]);
                }
            }
        }
    }

    /// A rectangle, given by its four corners in drawing order.
    pub fn rect(&mut self, corners: [(f64, f64); 4]) {
        if self.full() {
            return;
        }
        for i in 0..4 {
            self.segments.push([corners[i], corners[(i + 1) % 4]]);
        }
        self.subpaths.push(corners.to_vec());
        // The path goes on from the rectangle's first corner.
        self.subpaths.push(vec![corners[0]]);
    }

    /// Paints the path (a stroke, a fill or both) and ends it, adding the
    /// borders it draws to `out`.
    pub fn paint(&mut self, stroke: bool, fill: bool, out: &mut Vec<Rule>) {
        if stroke {
            for &[a, b] in &self.segments {
                if out.len() >= MAX_RULES {
                    break;
                }
                out.extend(Rule::from_segment(a, b));
            }
        }
        if fill {
            for sp in &self.subpaths {
                if out.len() >= MAX_RULES {
                    break;
                }
                if sp.len() > 1 {
                    out.extend(Rule::from_bar(sp));
                }
            }
        }
        self.clear();
    }

    /// Ends the path without painting it (`n`, after a clip).
    pub fn clear(&mut self) {
        self.subpaths.clear();
        self.segments.clear();
        self.points = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strokes_and_thin_fills_are_rules_areas_and_slants_are_not() {
        let mut out = Vec::new();
        let mut p = Path::default();
        // A stroked border (LibreOffice, XeLaTeX).
        p.move_to((10.0, 100.0));
        p.line_to((200.0, 100.2));
        // A diagonal.
        p.move_to((10.0, 100.0));
        p.line_to((50.0, 150.0));
        p.paint(true, false, &mut out);
        // A filled bar (Chromium) and a filled area (a shaded cell).
        p.rect([(10.0, 50.0), (10.0, 300.0), (11.0, 300.0), (11.0, 50.0)]);
        p.rect([(0.0, 0.0), (100.0, 0.0), (100.0, 40.0), (0.0, 40.0)]);
        p.paint(false, true, &mut out);
        // A clip is not painted.
        p.rect([(0.0, 0.0), (1.0, 0.0), (1.0, 400.0), (0.0, 400.0)]);
        p.clear();
        assert_eq!(
            out,
            vec![
                Rule {
                    horizontal: true,
                    at: 100.1,
                    from: 10.0,
                    to: 200.0
                },
                Rule {
                    horizontal: false,
                    at: 10.5,
                    from: 50.0,
                    to: 300.0
                },
            ]
        );
    }
}
