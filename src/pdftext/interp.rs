//! The content stream interpreter: graphics and text state, text showing,
//! form XObjects, marked content. It produces positioned glyphs in the
//! displayed page's frame (points, origin top-left, y downwards).

use super::cmap::Uni;
use super::encoding::{fold, text_string};
use super::font::Font;
use super::lexer::{Lexer, Obj, Token};
use super::objects::{
    as_dict, deref, get, get_array, get_dict, get_name, nums, stream_bytes, Undecoded,
};
use super::ruling::{Path, Rule};
use super::{FontCache, PlacedImage};
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;
use std::sync::Arc;

/// Form XObjects nested deeper than this are not drawn.
const MAX_FORM_DEPTH: usize = 12;
/// Work per page, forms included: content bytes read plus string bytes
/// shown. A real page needs well under a megabyte; more is hostile (a
/// form drawn a million times, a string of a billion codes).
const MAX_WORK: usize = 64 << 20;
/// Glyphs kept per page.
const MAX_GLYPHS: usize = 500_000;
/// `q` nesting kept; deeper saves are counted, not stored.
const MAX_SAVES: usize = 1024;

/// A 2-D affine matrix `[a b c d e f]` (row-vector convention, as in PDF).
pub type Matrix = [f64; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m × n`: first `m`, then `n`.
pub fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

fn linear(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y, m[1] * x + m[3] * y)
}

fn finite(m: &Matrix) -> bool {
    m.iter().all(|v| v.is_finite())
}

/// A glyph as drawn, before layout.
#[derive(Clone, Debug, PartialEq)]
pub struct Drawn {
    pub ch: char,
    /// Origin, page frame.
    pub x: f64,
    pub y: f64,
    /// Unit vector of the baseline's direction.
    pub dx: f64,
    pub dy: f64,
    /// Advance along the baseline.
    pub width: f64,
    /// The em as drawn.
    pub size: f64,
}

pub struct RawPage {
    pub glyphs: Vec<Drawn>,
    /// The page's ruling lines (table borders), page frame.
    pub rules: Vec<Rule>,
    pub width: f64,
    pub height: f64,
    pub problems: Vec<String>,
    /// The first limit the page ran into (see [`PageText::limited`]).
    ///
    /// [`PageText::limited`]: super::PageText::limited
    pub limited: Option<String>,
    /// Whether the page object itself could not be read.
    pub unreadable: bool,
    /// The work the page cost (content bytes read plus string bytes
    /// shown), for the document's budget.
    pub work: usize,
    /// The images drawn (the first [`MAX_IMAGES`]).
    pub images: Vec<PlacedImage>,
    /// Curve segments drawn (`c`, `v`, `y`): text drawn as outlines is
    /// thousands of them.
    pub curves: usize,
}

/// Images a page keeps track of: a scan has one, a page with a logo a few.
pub const MAX_IMAGES: usize = 256;

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Arc<Font>>,
    size: f64,
    char_space: f64,
    word_space: f64,
    hscale: f64,
    leading: f64,
    rise: f64,
}

struct Marked {
    actual: Option<String>,
    start: usize,
}

/// A font looked up on a page: the resources it was named in (the
/// innermost dictionary's address and the depth), and the font.
type FontMemo = (usize, usize, Arc<Font>);

/// Resource dictionaries, nearest first.
type Resources<'a> = Vec<&'a Dictionary>;

struct Interp<'a, 'c> {
    doc: &'a Document,
    fonts: &'c mut FontCache,
    gs: GState,
    saves: Vec<GState>,
    overflow_saves: usize,
    tm: Matrix,
    tlm: Matrix,
    marked: Vec<Marked>,
    forms: Vec<ObjectId>,
    work: usize,
    /// Decoded form content, by object id, for forms drawn repeatedly.
    form_cache: Vec<(ObjectId, Arc<[u8]>)>,
    /// Fonts already looked up on this page, by the resources they were
    /// named in (identified by the innermost dictionary's address and the
    /// depth) and their name: producers set the font before every run of
    /// text, and resolving it through the resource dictionaries each time
    /// was a sixth of the layer's work.
    /// By name, then by resources: pages with Type 3 fonts name hundreds.
    font_memo: HashMap<Vec<u8>, Vec<FontMemo>>,
    out: Vec<Drawn>,
    path: Path,
    rules: Vec<Rule>,
    problems: Vec<String>,
    limited: Option<String>,
    page_w: f64,
    page_h: f64,
    images: Vec<PlacedImage>,
    curves: usize,
}

/// The page's box, its displayed size and the matrix from its user space
/// to the displayed frame.
fn page_frame(doc: &Document, page: &Dictionary) -> (f64, f64, Matrix) {
    // Box and rotation are inheritable: look up the page tree.
    let inherited = |key: &[u8]| -> Option<&Object> {
        let mut node = page;
        for _ in 0..32 {
            if let Some(o) = get(doc, node, key) {
                return Some(o);
            }
            node = get_dict(doc, node, b"Parent")?;
        }
        None
    };
    let rect = |key: &[u8]| -> Option<[f64; 4]> {
        let Object::Array(a) = inherited(key)? else {
            return None;
        };
        let v = nums(doc, a)?;
        let [x0, y0, x1, y1] = <[f64; 4]>::try_from(v).ok()?;
        let r = [x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)];
        (r[2] - r[0] > 0.0 && r[3] - r[1] > 0.0).then_some(r)
    };
    let media = rect(b"MediaBox").unwrap_or([0.0, 0.0, 612.0, 792.0]);
    let b = match rect(b"CropBox") {
        Some(c) => {
            let i = [
                c[0].max(media[0]),
                c[1].max(media[1]),
                c[2].min(media[2]),
                c[3].min(media[3]),
            ];
            if i[2] > i[0] && i[3] > i[1] {
                i
            } else {
                media
            }
        }
        None => media,
    };
    let rotate = match inherited(b"Rotate") {
        Some(Object::Integer(r)) => r.rem_euclid(360),
        Some(Object::Real(r)) => (*r as i64).rem_euclid(360),
        _ => 0,
    };
    let (w, h) = (b[2] - b[0], b[3] - b[1]);
    // User space → unrotated frame, y downwards.
    let flip = [1.0, 0.0, 0.0, -1.0, -b[0], b[3]];
    let (rot, dw, dh) = match (rotate + 45) / 90 % 4 {
        1 => ([0.0, 1.0, -1.0, 0.0, h, 0.0], h, w),
        2 => ([-1.0, 0.0, 0.0, -1.0, w, h], w, h),
        3 => ([0.0, -1.0, 1.0, 0.0, 0.0, w], h, w),
        _ => (IDENTITY, w, h),
    };
    (dw, dh, mul(&flip, &rot))
}

/// The matrix from the displayed frame of [`super::Glyph`] back to the
/// page's user space (where annotations are placed), or `None` for a page
/// object that cannot be read.
pub fn displayed_to_user(doc: &Document, page_id: ObjectId) -> Option<Matrix> {
    let page = doc.get_dictionary(page_id).ok()?;
    let (_, _, m) = page_frame(doc, page);
    let det = m[0] * m[3] - m[1] * m[2];
    if det.abs() < 1e-12 {
        return None;
    }
    Some([
        m[3] / det,
        -m[1] / det,
        -m[2] / det,
        m[0] / det,
        (m[2] * m[5] - m[3] * m[4]) / det,
        (m[1] * m[4] - m[0] * m[5]) / det,
    ])
}

/// A point through a matrix.
pub fn transform(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    apply(m, x, y)
}

/// The page's resource dictionaries, nearest first.
fn page_resources<'a>(doc: &'a Document, page: &'a Dictionary) -> Resources<'a> {
    let mut node = page;
    for _ in 0..32 {
        if let Some(r) = get_dict(doc, node, b"Resources") {
            return vec![r];
        }
        match get_dict(doc, node, b"Parent") {
            Some(p) => node = p,
            None => break,
        }
    }
    Vec::new()
}

/// The page's content, its streams joined; what could not be read, and
/// the first limit it ran into.
fn page_content(doc: &Document, page: &Dictionary) -> (Vec<u8>, Vec<String>, Option<String>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut limited = None;
    let Ok(contents) = page.get(b"Contents") else {
        return (out, problems, limited);
    };
    let streams: Vec<&Object> = match deref(doc, contents).1 {
        Object::Array(a) => a.iter().map(|o| deref(doc, o).1).collect(),
        o => vec![o],
    };
    for s in streams {
        if let Object::Stream(s) = s {
            match stream_bytes(s) {
                // One stream (the usual case) is used as it is, uncopied.
                Ok(d) if out.is_empty() => out = d,
                Ok(d) => out.extend_from_slice(&d),
                Err(e) => {
                    let why = format!("页面内容流{}，该部分内容未读取", e.why());
                    if e == Undecoded::TooLarge && limited.is_none() {
                        limited = Some(why.clone());
                    }
                    problems.push(why);
                }
            }
            out.push(b'\n');
        }
    }
    (out, problems, limited)
}

/// Interprets one page.
pub fn run_page(doc: &Document, page_id: ObjectId, fonts: &mut FontCache) -> RawPage {
    let Ok(page) = doc.get_dictionary(page_id) else {
        return RawPage {
            glyphs: Vec::new(),
            rules: Vec::new(),
            width: 0.0,
            height: 0.0,
            problems: vec!["页面对象无法读取".to_string()],
            limited: None,
            unreadable: true,
            work: 0,
            images: Vec::new(),
            curves: 0,
        };
    };
    let (w, h, frame) = page_frame(doc, page);
    let resources = page_resources(doc, page);
    let (content, problems, limited) = page_content(doc, page);
    let mut it = Interp {
        doc,
        fonts,
        gs: GState {
            ctm: frame,
            font: None,
            size: 0.0,
            char_space: 0.0,
            word_space: 0.0,
            hscale: 1.0,
            leading: 0.0,
            rise: 0.0,
        },
        saves: Vec::new(),
        overflow_saves: 0,
        tm: IDENTITY,
        tlm: IDENTITY,
        marked: Vec::new(),
        forms: Vec::new(),
        work: 0,
        form_cache: Vec::new(),
        font_memo: HashMap::new(),
        out: Vec::new(),
        path: Path::default(),
        rules: Vec::new(),
        problems,
        limited,
        page_w: w,
        page_h: h,
        images: Vec::new(),
        curves: 0,
    };
    it.run(&content, &resources);
    it.close_marked(0);
    let Interp {
        out,
        rules,
        mut problems,
        limited,
        work,
        images,
        curves,
        ..
    } = it;
    problems.dedup();
    RawPage {
        glyphs: out,
        rules,
        width: w,
        height: h,
        problems,
        limited,
        unreadable: false,
        work,
        images,
        curves,
    }
}

/// The last `K` operands as numbers, if they all are: operands are taken
/// from the end, extra ones before them are junk.
fn last<const K: usize>(args: &[Obj<'_>]) -> Option<[f64; K]> {
    if args.len() < K {
        return None;
    }
    let mut out = [0.0; K];
    for (o, a) in out.iter_mut().zip(&args[args.len() - K..]) {
        *o = a.num()?;
    }
    Some(out)
}

/// A matrix operand (the last six), if all of it is finite.
fn finite_matrix(args: &[Obj<'_>]) -> Option<Matrix> {
    let m: Matrix = last(args)?;
    finite(&m).then_some(m)
}

fn lookup<'a>(
    doc: &'a Document,
    res: &Resources<'a>,
    category: &[u8],
    name: &[u8],
) -> Option<(Option<ObjectId>, &'a Object)> {
    for r in res {
        if let Some(cat) = get_dict(doc, r, category) {
            if let Ok(o) = cat.get(name) {
                let (id, o) = deref(doc, o);
                if !matches!(o, Object::Null) {
                    return Some((id, o));
                }
            }
        }
    }
    None
}

impl<'a> Interp<'a, '_> {
    fn note(&mut self, p: String) {
        if self.problems.len() < 100 && !self.problems.contains(&p) {
            self.problems.push(p);
        }
    }

    /// Notes a limit the page ran into: a problem, and the first one is
    /// the page's [`RawPage::limited`].
    fn limit(&mut self, p: String) {
        if self.limited.is_none() {
            self.limited = Some(p.clone());
        }
        self.note(p);
    }

    fn over_budget(&mut self) -> bool {
        if self.work > MAX_WORK {
            self.limit(format!(
                "页面内容超过 {} MiB（可能是恶意构造的文件），其余部分未读取",
                MAX_WORK >> 20
            ));
            return true;
        }
        false
    }

    fn run(&mut self, content: &[u8], res: &Resources<'a>) {
        self.work += content.len();
        if self.over_budget() {
            return;
        }
        let mut lex = Lexer::new(content);
        let mut args: Vec<Obj<'_>> = Vec::with_capacity(8);
        while let Some(tok) = lex.next_token() {
            let op = match tok {
                Token::Obj(o) => {
                    if args.len() < 64 {
                        args.push(o);
                    }
                    continue;
                }
                Token::Op(op) => op,
            };
            self.work += 1;
            if self.over_budget() {
                return;
            }
            if op == b"BI" {
                lex.skip_inline_image();
                self.placed_image(None);
            } else {
                self.op(op, &args, res);
            }
            lex.recycle(&mut args);
        }
    }

    /// One operator with its operands, by what it acts on.
    fn op(&mut self, op: &[u8], args: &[Obj<'_>], res: &Resources<'a>) {
        match op {
            b"q" | b"Q" | b"cm" | b"gs" => self.graphics_state_op(op, args, res),
            b"m" | b"l" | b"c" | b"v" | b"y" | b"h" | b"re" | b"S" | b"s" | b"f" | b"F" | b"f*"
            | b"B" | b"B*" | b"b" | b"b*" | b"n" => self.path_op(op, args),
            b"BT" | b"ET" | b"Tf" | b"Tc" | b"Tw" | b"Tz" | b"TL" | b"Ts" | b"Td" | b"TD"
            | b"Tm" | b"T*" => self.text_state_op(op, args, res),
            b"Tj" | b"'" | b"\"" | b"TJ" => self.text_show_op(op, args),
            b"Do" => {
                if let Some(name) = args.last().and_then(Obj::name) {
                    self.draw_xobject(name, res);
                }
            }
            b"BMC" | b"BDC" | b"EMC" => self.marked_content_op(op, args, res),
            _ => {}
        }
    }

    /// The graphics state: saved and restored (`q` `Q`, with a bound on
    /// the saves), the current matrix (`cm`), and named parameter sets
    /// (`gs`).
    fn graphics_state_op(&mut self, op: &[u8], args: &[Obj<'_>], res: &Resources<'a>) {
        match op {
            b"q" => {
                if self.saves.len() < MAX_SAVES {
                    self.saves.push(self.gs.clone());
                } else {
                    self.overflow_saves += 1;
                }
            }
            b"Q" => {
                if self.overflow_saves > 0 {
                    self.overflow_saves -= 1;
                } else if let Some(g) = self.saves.pop() {
                    self.gs = g;
                }
            }
            b"cm" => {
                if let Some(m) = finite_matrix(args) {
                    self.gs.ctm = mul(&m, &self.gs.ctm);
                }
            }
            b"gs" => {
                if let Some(name) = args.last().and_then(Obj::name) {
                    self.ext_gstate(name, res);
                }
            }
            _ => {}
        }
    }

    /// Paths: only their straight borders are kept.
    fn path_op(&mut self, op: &[u8], args: &[Obj<'_>]) {
        match op {
            b"m" | b"l" | b"c" | b"v" | b"y" => {
                if let Some([x, y]) = last::<2>(args) {
                    let p = apply(&self.gs.ctm, x, y);
                    if p.0.is_finite() && p.1.is_finite() {
                        match op {
                            b"m" => self.path.move_to(p),
                            b"l" => self.path.line_to(p),
                            _ => {
                                self.curves += 1;
                                self.path.curve_to(p)
                            }
                        }
                    }
                }
            }
            b"h" => self.path.close(),
            b"re" => {
                if let Some([x, y, w, h]) = last::<4>(args) {
                    let m = &self.gs.ctm;
                    let c = [
                        apply(m, x, y),
                        apply(m, x + w, y),
                        apply(m, x + w, y + h),
                        apply(m, x, y + h),
                    ];
                    if c.iter().all(|p| p.0.is_finite() && p.1.is_finite()) {
                        self.path.rect(c);
                    }
                }
            }
            b"S" => self.path.paint(true, false, &mut self.rules),
            b"s" => {
                self.path.close();
                self.path.paint(true, false, &mut self.rules);
            }
            b"f" | b"F" | b"f*" => self.path.paint(false, true, &mut self.rules),
            b"B" | b"B*" => self.path.paint(true, true, &mut self.rules),
            b"b" | b"b*" => {
                self.path.close();
                self.path.paint(true, true, &mut self.rules);
            }
            b"n" => self.path.clear(),
            _ => {}
        }
    }

    /// Text objects, the text state (font, spacing, scaling, leading,
    /// rise) and text positioning.
    fn text_state_op(&mut self, op: &[u8], args: &[Obj<'_>], res: &Resources<'a>) {
        match op {
            b"BT" => {
                self.tm = IDENTITY;
                self.tlm = IDENTITY;
            }
            b"Tf" => {
                let size = last::<1>(args).map(|v| v[0]);
                let name = args.iter().rev().find_map(Obj::name);
                if let (Some(name), Some(size)) = (name, size) {
                    self.gs.font = Some(self.font(res, name));
                    self.gs.size = size;
                }
            }
            b"Tc" => self.set(last::<1>(args), |g, v| g.char_space = v[0]),
            b"Tw" => self.set(last::<1>(args), |g, v| g.word_space = v[0]),
            b"Tz" => self.set(last::<1>(args), |g, v| g.hscale = v[0] / 100.0),
            b"TL" => self.set(last::<1>(args), |g, v| g.leading = v[0]),
            b"Ts" => self.set(last::<1>(args), |g, v| g.rise = v[0]),
            b"Td" => {
                if let Some(v) = last::<2>(args) {
                    self.td(v[0], v[1]);
                }
            }
            b"TD" => {
                if let Some(v) = last::<2>(args) {
                    self.gs.leading = -v[1];
                    self.td(v[0], v[1]);
                }
            }
            b"Tm" => {
                if let Some(m) = finite_matrix(args) {
                    self.tm = m;
                    self.tlm = m;
                }
            }
            b"T*" => self.td(0.0, -self.gs.leading),
            // `ET` and anything else: nothing to keep.
            _ => {}
        }
    }

    /// Text showing: strings, with moves to the next line (`'` `"`) and
    /// position adjustments (`TJ`).
    fn text_show_op(&mut self, op: &[u8], args: &[Obj<'_>]) {
        let n = |i: usize| args.get(i).and_then(Obj::num);
        match op {
            b"Tj" => {
                if let Some(s) = args.last().and_then(Obj::string) {
                    self.show(s);
                }
            }
            b"'" => {
                self.td(0.0, -self.gs.leading);
                if let Some(s) = args.last().and_then(Obj::string) {
                    self.show(s);
                }
            }
            b"\"" => {
                if let (Some(aw), Some(ac)) = (n(0), n(1)) {
                    self.gs.word_space = aw;
                    self.gs.char_space = ac;
                }
                self.td(0.0, -self.gs.leading);
                if let Some(s) = args.last().and_then(Obj::string) {
                    self.show(s);
                }
            }
            b"TJ" => {
                if let Some(Obj::Array(items)) = args.last() {
                    for item in items {
                        match item {
                            Obj::Str(s) => self.show(s),
                            Obj::Num(adj) if adj.is_finite() => self.adjust(*adj),
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// Marked content: spans, with the `/ActualText` that replaces what
    /// they draw (inline or from the page's `/Properties`).
    fn marked_content_op(&mut self, op: &[u8], args: &[Obj<'_>], res: &Resources<'a>) {
        match op {
            b"BMC" => self.marked.push(Marked {
                actual: None,
                start: self.out.len(),
            }),
            b"BDC" => {
                let actual = match args.last() {
                    Some(d @ Obj::Dict(_)) => {
                        d.get(b"ActualText").and_then(Obj::string).map(text_string)
                    }
                    Some(Obj::Name(p)) => lookup(self.doc, res, b"Properties", p)
                        .and_then(|(_, o)| as_dict(o))
                        .and_then(|d| match get(self.doc, d, b"ActualText") {
                            Some(Object::String(s, _)) => Some(text_string(s)),
                            _ => None,
                        }),
                    _ => None,
                };
                if self.marked.len() < 256 {
                    self.marked.push(Marked {
                        actual,
                        start: self.out.len(),
                    });
                }
            }
            b"EMC" => {
                let keep = self.marked.len().saturating_sub(1);
                self.close_marked(keep);
            }
            _ => {}
        }
    }

    fn set(&mut self, v: Option<[f64; 1]>, f: impl FnOnce(&mut GState, &[f64])) {
        if let Some(v) = v {
            f(&mut self.gs, &v);
        }
    }

    fn td(&mut self, tx: f64, ty: f64) {
        self.tlm = mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], &self.tlm);
        self.tm = self.tlm;
    }

    fn font(&mut self, res: &Resources<'a>, name: &[u8]) -> Arc<Font> {
        let frame = (
            res.last().map_or(0, |d| *d as *const Dictionary as usize),
            res.len(),
        );
        if let Some(fonts) = self.font_memo.get(name) {
            if let Some((.., f)) = fonts
                .iter()
                .find(|(addr, depth, _)| (*addr, *depth) == frame)
            {
                return f.clone();
            }
        }
        let f = self.resolve_font(res, name);
        self.font_memo
            .entry(name.to_vec())
            .or_default()
            .push((frame.0, frame.1, f.clone()));
        f
    }

    fn resolve_font(&mut self, res: &Resources<'a>, name: &[u8]) -> Arc<Font> {
        let Some((id, obj)) = lookup(self.doc, res, b"Font", name) else {
            return Arc::new(Font::missing(name));
        };
        let Some(dict) = as_dict(obj) else {
            return Arc::new(Font::missing(name));
        };
        let cached = match id {
            Some(id) => self.fonts.by_id.get(&id),
            None => self
                .fonts
                .by_addr
                .get(&(dict as *const Dictionary as usize)),
        };
        if let Some(f) = cached {
            return f.clone();
        }
        let f = Arc::new(Font::load(self.doc, dict));
        match id {
            Some(id) => self.fonts.by_id.insert(id, f.clone()),
            None => self
                .fonts
                .by_addr
                .insert(dict as *const Dictionary as usize, f.clone()),
        };
        f
    }

    fn ext_gstate(&mut self, name: &[u8], res: &Resources<'a>) {
        let Some(d) = lookup(self.doc, res, b"ExtGState", name).and_then(|(_, o)| as_dict(o))
        else {
            return;
        };
        let Some([f, size]) = get_array(self.doc, d, b"Font") else {
            return;
        };
        let size = super::objects::num(self.doc, size);
        let (id, fo) = deref(self.doc, f);
        let (Some(size), Some(dict)) = (size, as_dict(fo)) else {
            return;
        };
        let font = match id.and_then(|id| self.fonts.by_id.get(&id)) {
            Some(f) => f.clone(),
            None => {
                let f = Arc::new(Font::load(self.doc, dict));
                if let Some(id) = id {
                    self.fonts.by_id.insert(id, f.clone());
                }
                f
            }
        };
        self.gs.font = Some(font);
        self.gs.size = size;
    }

    fn adjust(&mut self, adj: f64) {
        let Some(font) = &self.gs.font else { return };
        let d = -adj / 1000.0 * self.gs.size;
        if font.vertical() {
            self.tm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, d], &self.tm);
        } else {
            self.tm = mul(&[1.0, 0.0, 0.0, 1.0, d * self.gs.hscale, 0.0], &self.tm);
        }
    }

    fn show(&mut self, s: &[u8]) {
        let font = match &self.gs.font {
            Some(f) => f.clone(),
            None => {
                let f = Arc::new(Font::missing(b"(none)"));
                self.note("文字在设置字体之前绘制，无法解码".to_string());
                self.gs.font = Some(f.clone());
                f
            }
        };
        for p in &font.problems {
            if !self.problems.contains(p) && self.problems.len() < 100 {
                self.problems.push(p.clone());
            }
        }
        if self.limited.is_none() {
            self.limited.clone_from(&font.limited);
        }
        self.work += s.len();
        let g = &self.gs;
        let (size, tc, tw, th, rise) = (g.size, g.char_space, g.word_space, g.hscale, g.rise);
        let vertical = font.vertical();
        let mut i = 0;
        while i < s.len() {
            let shown = font.next(&s[i..]);
            i += shown.len.max(1);
            let m = mul(&self.tm, &self.gs.ctm);
            let space = if shown.word_space { tw } else { 0.0 };
            let (adv, step) = if vertical {
                let ty = shown.vadvance * size;
                (
                    linear(&m, 0.0, ty),
                    [1.0, 0.0, 0.0, 1.0, 0.0, ty + tc + space],
                )
            } else {
                let w = shown.width * size * th;
                (
                    linear(&m, w, 0.0),
                    [
                        1.0,
                        0.0,
                        0.0,
                        1.0,
                        (shown.width * size + tc + space) * th,
                        0.0,
                    ],
                )
            };
            if self.out.len() < MAX_GLYPHS {
                self.emit(&m, &font, shown.uni.as_ref(), adv, size, rise, vertical);
            } else if self.limited.is_none() {
                self.limit(format!(
                    "页面文字超过 {MAX_GLYPHS} 个（可能是恶意构造的文件），其余文字未读取"
                ));
            }
            self.tm = mul(&step, &self.tm);
            if !finite(&self.tm) {
                self.tm = IDENTITY;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        m: &Matrix,
        font: &Font,
        uni: Option<&Uni>,
        adv: (f64, f64),
        size: f64,
        rise: f64,
        vertical: bool,
    ) {
        let (x, y) = apply(m, 0.0, rise);
        let width = (adv.0 * adv.0 + adv.1 * adv.1).sqrt();
        let (dx, dy) = if width > 1e-9 {
            (adv.0 / width, adv.1 / width)
        } else {
            let d = if vertical {
                linear(m, 0.0, -1.0)
            } else {
                linear(m, size.signum(), 0.0)
            };
            let l = (d.0 * d.0 + d.1 * d.1).sqrt();
            if l > 1e-12 {
                (d.0 / l, d.1 / l)
            } else {
                (1.0, 0.0)
            }
        };
        let up = linear(m, 0.0, size * font.em);
        let em = (up.0 * up.0 + up.1 * up.1).sqrt();
        if !(x.is_finite() && y.is_finite() && em.is_finite() && width.is_finite()) {
            return;
        }
        // Outside the page: drawn but not seen (as poppler does).
        if x + width < 0.0 || x > self.page_w || y < 0.0 || y - em > self.page_h {
            return;
        }
        let chars: &[char] = match uni {
            Some(u) => u.chars(),
            None => &['\u{FFFD}'],
        };
        let n = chars.len() as f64;
        for (k, &c) in chars.iter().enumerate() {
            let off = width * k as f64 / n;
            self.out.push(Drawn {
                ch: fold(c),
                x: x + dx * off,
                y: y + dy * off,
                dx,
                dy,
                width: width / n,
                size: em,
            });
        }
    }

    /// Notes an image drawn with the current matrix (the image's unit
    /// square onto the displayed page).
    fn placed_image(&mut self, id: Option<ObjectId>) {
        if self.images.len() < MAX_IMAGES && finite(&self.gs.ctm) {
            self.images.push(PlacedImage {
                id,
                ctm: self.gs.ctm,
            });
        }
    }

    fn draw_xobject(&mut self, name: &[u8], res: &Resources<'a>) {
        let doc = self.doc;
        let Some((id, obj)) = lookup(doc, res, b"XObject", name) else {
            self.note(format!(
                "页面引用的 XObject {} 不存在",
                String::from_utf8_lossy(name)
            ));
            return;
        };
        let Object::Stream(stream) = obj else { return };
        match get_name(doc, &stream.dict, b"Subtype") {
            Some(b"Form") => {}
            // Images carry no text: never decoded here, only placed (a page
            // that shows one and has no text is a scan, for OCR).
            Some(b"Image") => return self.placed_image(id),
            // PostScript XObjects: nothing to read.
            _ => return,
        }
        if let Some(id) = id {
            if self.forms.contains(&id) {
                self.note("表单 XObject 引用自身（循环引用），已跳过".to_string());
                return;
            }
        }
        if self.forms.len() >= MAX_FORM_DEPTH {
            self.note(format!(
                "表单 XObject 嵌套超过 {MAX_FORM_DEPTH} 层，更深的内容未读取"
            ));
            return;
        }
        let cached = id.and_then(|id| {
            self.form_cache
                .iter()
                .find(|(k, _)| *k == id)
                .map(|(_, c)| c.clone())
        });
        let content: Arc<[u8]> = match cached {
            Some(c) => c,
            None => {
                let data = match stream_bytes(stream) {
                    Ok(data) => data,
                    Err(Undecoded::TooLarge) => {
                        self.limit(format!(
                            "表单 XObject 的内容{}，已跳过",
                            Undecoded::TooLarge.why()
                        ));
                        return;
                    }
                    Err(Undecoded::Broken) => {
                        self.note("表单 XObject 的内容无法解压，已跳过".to_string());
                        return;
                    }
                };
                let data: Arc<[u8]> = data.into();
                if let Some(id) = id {
                    if self.form_cache.len() < 64 && data.len() < 4 << 20 {
                        self.form_cache.push((id, data.clone()));
                    }
                }
                data
            }
        };
        let form_res = get_dict(doc, &stream.dict, b"Resources");
        let mut inner: Resources<'a> = Vec::with_capacity(res.len() + 1);
        if let Some(r) = form_res {
            inner.push(r);
        }
        // Forms without resources use their parent's (PDF 1.1 practice).
        inner.extend(res.iter().copied());
        let m = get_array(doc, &stream.dict, b"Matrix")
            .and_then(|a| nums(doc, a))
            .and_then(|v| <[f64; 6]>::try_from(v).ok())
            .filter(finite)
            .unwrap_or(IDENTITY);
        let saved = self.gs.clone();
        let depth = self.saves.len();
        let overflow = self.overflow_saves;
        let marked = self.marked.len();
        let (tm, tlm) = (self.tm, self.tlm);
        self.gs.ctm = mul(&m, &self.gs.ctm);
        self.forms.push(id.unwrap_or((0, 0)));
        self.run(&content, &inner);
        self.forms.pop();
        self.close_marked(marked);
        self.saves.truncate(depth);
        self.overflow_saves = overflow;
        self.gs = saved;
        self.tm = tm;
        self.tlm = tlm;
    }

    /// Ends marked-content sequences down to `keep` open ones, replacing
    /// the glyphs of each that has `/ActualText` with that text.
    fn close_marked(&mut self, keep: usize) {
        while self.marked.len() > keep {
            let Some(m) = self.marked.pop() else { break };
            let Some(actual) = m.actual else { continue };
            let start = m.start.min(self.out.len());
            if start == self.out.len() {
                continue;
            }
            let first = self.out[start].clone();
            let extent = self.out[start..]
                .iter()
                .map(|g| (g.x - first.x) * first.dx + (g.y - first.y) * first.dy + g.width)
                .fold(0.0f64, f64::max);
            let chars: Vec<char> = actual.chars().collect();
            self.out.truncate(start);
            let n = chars.len().max(1) as f64;
            for (k, c) in chars.into_iter().enumerate() {
                let off = extent * k as f64 / n;
                self.out.push(Drawn {
                    ch: fold(c),
                    x: first.x + first.dx * off,
                    y: first.y + first.dy * off,
                    width: extent / n,
                    ..first
                });
            }
        }
    }
}
