//! Structural mutants: damage to what holds a PDF together rather than to
//! bytes at random, made from a source's own bytes and objects.
//!
//! - **xref**: the cross-reference table's offsets shifted, scrambled,
//!   swapped or freed, a subsection count changed, `startxref` pointing
//!   elsewhere, the table gone; an xref stream's `/W`, `/Index` or `/Size`
//!   wrong; an update whose `/Prev` points at itself, or two that point at
//!   each other.
//! - **length**: a stream's `/Length` changed to a wrong number (of the
//!   same width, so that every offset stays right, or not), zero,
//!   negative, past the end of the file or of any integer, a real, a
//!   reference to nothing or to the catalog.
//! - **nesting**: arrays and dictionaries nested thousands deep (or never
//!   closed) in the catalog and in a content stream, `q` nested as deep,
//!   a page tree thousands of levels deep, a page tree whose `/Kids` lead
//!   back to itself, a page whose `/Parent` chain loops, an outline whose
//!   items are their own parents and siblings, form XObjects drawing each
//!   other in a chain or a cycle.
//! - **bomb**: a page's content, a ToUnicode CMap or an object stream
//!   replaced by a small stream that inflates to hundreds of MiB of zeros,
//!   through one, two or three filters (`/FlateDecode` twice, under
//!   `/ASCIIHexDecode`); the same bomb as an extra content stream, an image
//!   or an object nothing uses; a content stream under more filters than a
//!   reader accepts.
//!
//! Objects are changed the way an editor changes a PDF: an incremental
//! update appended to the file (new versions of objects, a new
//! cross-reference section whose trailer's `/Prev` points at the old one).
//! The source's objects are found with lopdf ([`Shape`]); the mutations that
//! need no object (xref, length) work on any source.

use super::Rng;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, Writer};

/// What the mutations need to know of a source, read once with lopdf.
pub struct Shape {
    root: ObjectId,
    pages: ObjectId,
    pages_dict: Dictionary,
    page: ObjectId,
    page_dict: Dictionary,
    /// The first page's content streams and their decoded content.
    contents: Vec<ObjectId>,
    content: Vec<u8>,
    /// The first page's resources, resolved (inherited, or through a
    /// reference).
    resources: Option<Dictionary>,
    /// A ToUnicode stream of a font of the first page.
    to_unicode: Option<ObjectId>,
    /// The source is encrypted: what an update writes in clear is read as
    /// encrypted, so no record can be expected of it.
    encrypted: bool,
    /// The first unused object number.
    next: u32,
}

/// The source's shape, when lopdf loads it and it has a page.
pub fn shape(bytes: &[u8]) -> Option<Shape> {
    let doc = Document::load_mem(bytes).ok()?;
    let root = doc.trailer.get(b"Root").ok()?.as_reference().ok()?;
    let pages = doc
        .get_dictionary(root)
        .ok()?
        .get(b"Pages")
        .ok()?
        .as_reference()
        .ok()?;
    let pages_dict = doc.get_dictionary(pages).ok()?.clone();
    let all = doc.get_pages();
    let (_, &page) = all.iter().next()?;
    let page_dict = doc.get_dictionary(page).ok()?.clone();
    let to_unicode = doc.get_page_fonts(page).ok().and_then(|fonts| {
        fonts
            .values()
            .find_map(|f| f.get(b"ToUnicode").ok()?.as_reference().ok())
    });
    let next = doc.objects.keys().map(|id| id.0).max().unwrap_or(0) + 1;
    let resolve = |d: &Dictionary| match d.get(b"Resources") {
        Ok(Object::Reference(id)) => doc.get_dictionary(*id).ok().cloned(),
        Ok(Object::Dictionary(r)) => Some(r.clone()),
        _ => None,
    };
    let resources = resolve(&page_dict).or_else(|| resolve(&pages_dict));
    Some(Shape {
        root,
        pages,
        pages_dict,
        page,
        page_dict,
        contents: doc.get_page_contents(page),
        content: doc.get_page_content(page),
        resources,
        to_unicode,
        encrypted: doc.trailer.has(b"Encrypt"),
        next: next.max(doc.max_id + 1),
    })
}

/// What a mutant's record must say beyond the rules every record keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Nothing more.
    Any,
    /// A stream the text layer must decode inflates past the limits: the
    /// record may be ok (other text read) or ING005, never "needs OCR"
    /// (ING003), and never the time limit — the file is refused by its
    /// own measure, whatever the load.
    Bomb,
}

/// One structural mutant of `data`, its name for the file, and what its
/// record must say.
pub fn mutate(rng: &mut Rng, data: &[u8], shape: Option<&Shape>) -> (Vec<u8>, String, Expect) {
    let family = match shape {
        Some(_) => rng.below(4),
        None => rng.below(2),
    };
    match (family, shape) {
        (0, _) => xref(rng, data),
        (1, _) => length(rng, data),
        (2, Some(s)) => nesting(rng, data, s),
        (_, Some(s)) => bomb(rng, data, s),
        (_, None) => unreachable!(),
    }
}

fn named(data: Vec<u8>, name: &str) -> (Vec<u8>, String, Expect) {
    (data, name.to_string(), Expect::Any)
}

// ---------------------------------------------------------------------------
// Reading the source's bytes

fn find_from(data: &[u8], from: usize, what: &[u8]) -> Option<usize> {
    data.get(from..)?
        .windows(what.len())
        .position(|w| w == what)
        .map(|i| i + from)
}

fn rfind(data: &[u8], what: &[u8]) -> Option<usize> {
    data.windows(what.len()).rposition(|w| w == what)
}

/// The digits at `at` (after whitespace): their range and value.
fn number_at(data: &[u8], at: usize) -> Option<(usize, usize, u64)> {
    let start = at
        + data
            .get(at..)?
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
    let len = data[start..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if len == 0 || len > 19 {
        return None;
    }
    let value = std::str::from_utf8(&data[start..start + len])
        .ok()?
        .parse()
        .ok()?;
    Some((start, start + len, value))
}

/// The last `startxref` value: its range in the file and the offset.
fn startxref(data: &[u8]) -> Option<(usize, usize, usize)> {
    let at = rfind(data, b"startxref")?;
    let (a, b, v) = number_at(data, at + 9)?;
    Some((a, b, v as usize))
}

/// The `N G R` of the trailer's last `/Root`, as written.
fn root_ref(data: &[u8]) -> String {
    let Some(at) = rfind(data, b"/Root") else {
        return "1 0 R".into();
    };
    let rest = &data[at + 5..data.len().min(at + 40)];
    let text = String::from_utf8_lossy(rest);
    let words: Vec<&str> = text.split_whitespace().take(3).collect();
    match words.as_slice() {
        [n, g, r] if r.starts_with('R') => format!("{n} {g} R"),
        _ => "1 0 R".into(),
    }
}

/// The trailer's last `/Size`.
fn size(data: &[u8]) -> u64 {
    rfind(data, b"/Size")
        .and_then(|at| number_at(data, at + 5))
        .map_or(1, |(_, _, v)| v)
}

/// A classic cross-reference table at `offset`: where each subsection's
/// count is, and where each 20-byte entry starts.
struct Table {
    counts: Vec<(usize, usize)>,
    entries: Vec<usize>,
    end: usize,
}

fn table(data: &[u8], offset: usize) -> Option<Table> {
    if !data.get(offset..)?.starts_with(b"xref") {
        return None;
    }
    let mut at = offset + 4;
    let mut t = Table {
        counts: Vec::new(),
        entries: Vec::new(),
        end: at,
    };
    while let Some((_, first_end, _)) = number_at(data, at) {
        let Some((ca, cb, count)) = number_at(data, first_end) else {
            break;
        };
        t.counts.push((ca, cb));
        at = cb;
        while data.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
            at += 1;
        }
        for _ in 0..count.min(1_000_000) {
            if data.len() < at + 18 || !data[at..at + 10].iter().all(u8::is_ascii_digit) {
                return Some(t);
            }
            t.entries.push(at);
            at += 20;
        }
        t.end = at;
    }
    Some(t)
}

fn splice(data: &[u8], a: usize, b: usize, with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + with.len());
    out.extend_from_slice(&data[..a]);
    out.extend_from_slice(with);
    out.extend_from_slice(&data[b..]);
    out
}

// ---------------------------------------------------------------------------
// Cross-reference data

fn xref(rng: &mut Rng, data: &[u8]) -> (Vec<u8>, String, Expect) {
    let Some((sa, sb, offset)) = startxref(data) else {
        return length(rng, data);
    };
    let kind = rng.below(9);
    if kind >= 5 {
        return match kind {
            5 => {
                let len = data.len();
                let to = match rng.below(5) {
                    0 => "0".to_string(),
                    1 => rng.below(len).to_string(),
                    2 => (len + rng.between(1, 100_000)).to_string(),
                    3 => (offset + rng.between(1, 8)).to_string(),
                    _ => "99999999999999999999".to_string(),
                };
                named(splice(data, sa, sb, to.as_bytes()), "startxref")
            }
            6 => named(prev_loop(data, false), "xref-prev-self"),
            7 => named(prev_loop(data, true), "xref-prev-cycle"),
            _ => match table(data, offset) {
                Some(t) => named(splice(data, offset, t.end, b""), "xref-gone"),
                None => named(splice(data, offset, offset + 1, b"?"), "xref-gone"),
            },
        };
    }
    let Some(t) = table(data, offset).filter(|t| !t.entries.is_empty()) else {
        return xref_stream(rng, data, offset);
    };
    let mut out = data.to_vec();
    let set_offset = |out: &mut Vec<u8>, entry: usize, value: u64| {
        let text = format!("{:010}", value % 10_000_000_000);
        out[entry..entry + 10].copy_from_slice(text.as_bytes());
    };
    let value = |out: &[u8], entry: usize| number_at(out, entry).map_or(0, |(_, _, v)| v);
    let in_use: Vec<usize> = t
        .entries
        .iter()
        .copied()
        .filter(|&e| out.get(e + 17) == Some(&b'n'))
        .collect();
    let pick = |rng: &mut Rng| *rng.pick(&t.entries);
    let name = match kind {
        0 => {
            let delta = rng.between(1, 64) as i64 * if rng.chance(50) { 1 } else { -1 };
            for &e in &in_use {
                let v = (value(&out, e) as i64 + delta).max(0) as u64;
                set_offset(&mut out, e, v);
            }
            "xref-shift"
        }
        1 => {
            for _ in 0..rng.between(1, 4) {
                let e = pick(rng);
                let v = rng.below(data.len() * 2) as u64;
                set_offset(&mut out, e, v);
            }
            "xref-scramble"
        }
        2 => {
            let (a, b) = (pick(rng), pick(rng));
            let (va, vb) = (value(&out, a), value(&out, b));
            set_offset(&mut out, a, vb);
            set_offset(&mut out, b, va);
            "xref-swap"
        }
        3 => {
            for _ in 0..rng.between(1, 3) {
                let e = pick(rng) + 17;
                out[e] = if out[e] == b'n' { b'f' } else { b'n' };
            }
            "xref-free"
        }
        _ => {
            let (a, b) = *rng.pick(&t.counts);
            let count = value(&out, a);
            let to = match rng.below(4) {
                0 => 0,
                1 => count / 2,
                2 => count + rng.between(1, 50) as u64,
                _ => 999_999_999,
            };
            out = splice(&out, a, b, to.to_string().as_bytes());
            "xref-count"
        }
    };
    named(out, name)
}

/// An xref stream's dictionary made wrong: `/W`, `/Index` or `/Size`.
fn xref_stream(rng: &mut Rng, data: &[u8], offset: usize) -> (Vec<u8>, String, Expect) {
    let end = data.len().min(offset + 1024);
    let (key, name, values) = *rng.pick(&[
        (
            "/W",
            "xrefstm-w",
            &[" [0 0 0]", " [1 9 1]", " [255 255 255]", " [1 2]", " 3"][..],
        ),
        (
            "/Index",
            "xrefstm-index",
            &[" [0 999999999]", " [5 2 0 1]", " [-1 3]", " []"][..],
        ),
        (
            "/Size",
            "xrefstm-size",
            &[" 0", " 1", " 2147483648", " -7"][..],
        ),
    ]);
    let Some(at) = find_from(&data[..end], offset, key.as_bytes()) else {
        return length(rng, data);
    };
    let value_start = at + key.len();
    let value_end = match data[value_start..end]
        .iter()
        .position(|&b| b == b'/' || b == b'>')
    {
        Some(i) => value_start + i,
        None => return length(rng, data),
    };
    let to = rng.pick(values).as_bytes();
    named(splice(data, value_start, value_end, to), name)
}

/// An update whose trailer's `/Prev` is its own section (or, with `two`,
/// two updates that point at each other).
fn prev_loop(data: &[u8], two: bool) -> Vec<u8> {
    let root = root_ref(data);
    let size = size(data);
    let mut out = data.to_vec();
    out.push(b'\n');
    let section = |prev: usize| {
        format!(
            "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size {size} /Root {root} /Prev {prev:010} >>\n"
        )
    };
    let a = out.len();
    if two {
        let b = a + section(0).len();
        out.extend_from_slice(section(b).as_bytes());
        out.extend_from_slice(section(a).as_bytes());
        out.extend_from_slice(format!("startxref\n{b}\n%%EOF\n").as_bytes());
    } else {
        out.extend_from_slice(section(a).as_bytes());
        out.extend_from_slice(format!("startxref\n{a}\n%%EOF\n").as_bytes());
    }
    out
}

// ---------------------------------------------------------------------------
// Stream lengths

/// Every stream `/Length` value: the range of its number, or of its
/// `N G R`.
fn lengths(data: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = find_from(data, from, b"/Length") {
        from = at + 7;
        if !data.get(from).is_some_and(|b| b.is_ascii_whitespace()) {
            continue; // /Length1, /Length2…
        }
        let Some((a, b, _)) = number_at(data, from) else {
            continue;
        };
        // an indirect length: N G R
        let end = match number_at(data, b) {
            Some((_, gb, _))
                if data[gb..].iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'R') =>
            {
                gb + data[gb..].iter().position(|&c| c == b'R').unwrap_or(0) + 1
            }
            _ => b,
        };
        out.push((a, end));
    }
    out
}

fn length(rng: &mut Rng, data: &[u8]) -> (Vec<u8>, String, Expect) {
    let all = lengths(data);
    if all.is_empty() {
        let mut out = data.to_vec();
        let i = rng.below(out.len().max(1));
        if let Some(b) = out.get_mut(i) {
            *b ^= 0x20;
        }
        return named(out, "length-none");
    }
    let kind = rng.below(8);
    // changed from the last one to the first, so earlier ranges stay right
    let mut chosen: Vec<(usize, usize)> = if rng.chance(20) {
        all.clone()
    } else {
        (0..rng.between(1, 3)).map(|_| *rng.pick(&all)).collect()
    };
    chosen.sort();
    chosen.dedup();
    let mut out = data.to_vec();
    for &(a, b) in chosen.iter().rev() {
        let old = number_at(&out, a).map_or(0, |(_, _, v)| v);
        let to = match kind {
            0 => {
                // same width, another value: every offset stays right
                let width = out[a..b].iter().take_while(|c| c.is_ascii_digit()).count();
                let mut s: String = (0..width)
                    .map(|_| (b'0' + rng.below(10) as u8) as char)
                    .collect();
                if s.parse::<u64>().ok() == Some(old) {
                    s = "0".repeat(width);
                }
                s
            }
            1 => "0".into(),
            2 => (old + rng.between(1, 16) as u64).to_string(),
            3 => old.saturating_sub(rng.between(1, 16) as u64).to_string(),
            4 => (old * 10 + data.len() as u64).to_string(),
            5 => rng
                .pick(&["99999999999999999999", "2147483648", "-1", "-2147483649"])
                .to_string(),
            6 => rng
                .pick(&["1.5", "3e2", "/Name", "(12)", "null", "[1]"])
                .to_string(),
            _ => rng.pick(&["99999 0 R", "1 0 R", "0 0 R"]).to_string(),
        };
        out = splice(&out, a, b, to.as_bytes());
    }
    let name = [
        "length-same-width",
        "length-zero",
        "length-long",
        "length-short",
        "length-past-end",
        "length-overflow",
        "length-not-int",
        "length-bad-ref",
    ][kind];
    named(out, name)
}

// ---------------------------------------------------------------------------
// Incremental updates

/// `data` with an update holding `objects` (new versions of existing ids,
/// or new ones); `trailer` goes into the new trailer.
fn update(data: &[u8], objects: &[(ObjectId, Vec<u8>)], trailer: &str) -> Vec<u8> {
    let prev = startxref(data).map(|(_, _, v)| v);
    let mut out = data.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets = Vec::with_capacity(objects.len());
    for (id, body) in objects {
        offsets.push((*id, out.len()));
        out.extend_from_slice(format!("{} {} obj\n", id.0, id.1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    offsets.sort();
    let xref = out.len();
    out.extend_from_slice(b"xref\n0 1\n0000000000 65535 f \n");
    for (id, offset) in &offsets {
        out.extend_from_slice(format!("{} 1\n{offset:010} {:05} n \n", id.0, id.1).as_bytes());
    }
    let size = offsets
        .iter()
        .map(|(id, _)| u64::from(id.0) + 1)
        .max()
        .unwrap_or(0)
        .max(size(data));
    let prev = prev.map_or(String::new(), |p| format!("/Prev {p} "));
    let root = root_ref(data);
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {size} /Root {root} {prev}{trailer}>>\nstartxref\n{xref}\n%%EOF\n"
        )
        .as_bytes(),
    );
    out
}

fn write(object: &Object) -> Vec<u8> {
    let mut out = Vec::new();
    Writer::write_object(&mut out, object).expect("writing to memory");
    out
}

fn reference(id: ObjectId) -> Object {
    Object::Reference(id)
}

/// A stream object's text: the dictionary's entries (besides `/Length`)
/// and the data as given.
fn stream_text(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut s = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    s.extend_from_slice(data);
    s.extend_from_slice(b"\nendstream");
    s
}

/// `open` `depth` times, `inner`, then `close` as many times.
fn nested(open: &str, inner: &str, close: &str, depth: usize) -> String {
    let mut s = String::with_capacity((open.len() + close.len()) * depth + inner.len());
    for _ in 0..depth {
        s.push_str(open);
    }
    s.push_str(inner);
    for _ in 0..depth {
        s.push_str(close);
    }
    s
}

// ---------------------------------------------------------------------------
// Nesting and cycles

fn nesting(rng: &mut Rng, data: &[u8], s: &Shape) -> (Vec<u8>, String, Expect) {
    let depth = *rng.pick(&[1_000, 10_000, 100_000]);
    let root_with = |extra: &str| {
        let body = format!(
            "<< /Type /Catalog /Pages {} {} R {extra} >>",
            s.pages.0, s.pages.1
        );
        vec![(s.root, body.into_bytes())]
    };
    let (objects, name): (Vec<(ObjectId, Vec<u8>)>, &str) = match rng.below(10) {
        0 => (
            root_with(&format!("/Nest {}", nested("[", "0", "]", depth))),
            "nest-array",
        ),
        1 => (
            root_with(&format!("/Nest {}", nested("<< /A ", "0", " >>", depth))),
            "nest-dict",
        ),
        2 => {
            let open = if rng.chance(50) { "[" } else { "<< /A " };
            (
                root_with(&format!("/Nest {}", open.repeat(depth))),
                "nest-unclosed",
            )
        }
        3 => (content_nesting(rng, s, depth), "nest-content"),
        4 => (deep_page_tree(s, depth.min(10_000)), "pagetree-deep"),
        5 => (page_tree_cycle(rng, s), "pagetree-cycle"),
        6 => (parent_cycle(s), "parent-cycle"),
        7 => (outline_cycle(s, root_with), "outline-cycle"),
        _ => (forms(rng, s, depth.min(1_000)), "form-chain"),
    };
    named(update(data, &objects, ""), name)
}

/// The first page's content with nesting before or after it: arrays as a
/// `TJ` operand, a property list of `BDC`, `q` never restored, or `[`
/// never closed.
fn content_nesting(rng: &mut Rng, s: &Shape, depth: usize) -> Vec<(ObjectId, Vec<u8>)> {
    let extra = match rng.below(4) {
        0 => format!("BT {} TJ ET", nested("[", "(a)", "]", depth)),
        1 => format!("/P {} BDC EMC", nested("<< /A ", "0", " >>", depth)),
        2 => "q ".repeat(depth),
        _ => "[".repeat(depth),
    };
    let mut content = s.content.clone();
    if rng.chance(50) {
        content.extend_from_slice(b"\n");
        content.extend_from_slice(extra.as_bytes());
    } else {
        let mut before = extra.into_bytes();
        before.push(b'\n');
        before.extend_from_slice(&content);
        content = before;
    }
    let id = s.contents.first().copied().unwrap_or((s.next, 0));
    let mut page = s.page_dict.clone();
    page.set("Contents", reference(id));
    vec![
        (id, stream_text("", &content)),
        (s.page, write(&Object::Dictionary(page))),
    ]
}

/// The page tree's root with `depth` intermediate nodes between it and its
/// kids.
fn deep_page_tree(s: &Shape, depth: usize) -> Vec<(ObjectId, Vec<u8>)> {
    let count = s
        .pages_dict
        .get(b"Count")
        .cloned()
        .unwrap_or(Object::Integer(1));
    let mut objects = Vec::with_capacity(depth + 1);
    let mut parent = s.pages;
    for i in 0..depth {
        let id = (s.next + i as u32, 0);
        let kids = if i + 1 == depth {
            s.pages_dict
                .get(b"Kids")
                .cloned()
                .unwrap_or(Object::Array(vec![]))
        } else {
            Object::Array(vec![reference((id.0 + 1, 0))])
        };
        let mut node = Dictionary::new();
        node.set("Type", Object::Name(b"Pages".to_vec()));
        node.set("Parent", reference(parent));
        node.set("Kids", kids);
        node.set("Count", count.clone());
        objects.push((id, write(&Object::Dictionary(node))));
        parent = id;
    }
    let mut root = s.pages_dict.clone();
    root.set("Kids", Object::Array(vec![reference((s.next, 0))]));
    objects.push((s.pages, write(&Object::Dictionary(root))));
    objects
}

/// The page tree's root among its own kids, directly or through a node
/// that has the root as its kid; or a `/Count` that lies.
fn page_tree_cycle(rng: &mut Rng, s: &Shape) -> Vec<(ObjectId, Vec<u8>)> {
    let mut root = s.pages_dict.clone();
    let mut kids = root
        .get(b"Kids")
        .and_then(Object::as_array)
        .cloned()
        .unwrap_or_default();
    let mut objects = Vec::new();
    match rng.below(3) {
        0 => kids.insert(rng.below(kids.len() + 1), reference(s.pages)),
        1 => {
            let node = (s.next, 0);
            let body = format!(
                "<< /Type /Pages /Parent {} {} R /Kids [{} {} R] /Count 1 >>",
                s.pages.0, s.pages.1, s.pages.0, s.pages.1
            );
            objects.push((node, body.into_bytes()));
            kids.push(reference(node));
        }
        _ => {
            kids.push(reference(s.root));
            root.set("Count", Object::Integer(2_147_483_647));
        }
    }
    root.set("Kids", Object::Array(kids));
    objects.push((s.pages, write(&Object::Dictionary(root))));
    objects
}

/// The first page's `/Parent` chain loops: page → A → B → A, with no
/// resources anywhere on it (a page that inherits its resources is
/// looked up through the chain).
fn parent_cycle(s: &Shape) -> Vec<(ObjectId, Vec<u8>)> {
    let (a, b) = ((s.next, 0), (s.next + 1, 0));
    let mut page = s.page_dict.clone();
    page.set("Parent", reference(a));
    vec![
        (
            a,
            format!(
                "<< /Type /Pages /Kids [{} {} R] /Count 1 /Parent {} 0 R >>",
                s.page.0, s.page.1, b.0
            )
            .into_bytes(),
        ),
        (
            b,
            format!(
                "<< /Type /Pages /Kids [{} 0 R] /Count 1 /Parent {} 0 R >>",
                a.0, a.0
            )
            .into_bytes(),
        ),
        (s.page, write(&Object::Dictionary(page))),
    ]
}

/// Outlines whose items are their own parents, children and siblings.
fn outline_cycle(
    s: &Shape,
    root_with: impl Fn(&str) -> Vec<(ObjectId, Vec<u8>)>,
) -> Vec<(ObjectId, Vec<u8>)> {
    let (o, a, b) = (s.next, s.next + 1, s.next + 2);
    let page = format!("{} {} R", s.page.0, s.page.1);
    let mut objects = root_with(&format!("/Outlines {o} 0 R /PageMode /UseOutlines"));
    objects.push((
        (o, 0),
        format!("<< /Type /Outlines /First {a} 0 R /Last {b} 0 R /Count 3 >>").into_bytes(),
    ));
    objects.push((
        (a, 0),
        format!("<< /Title (a) /Parent {a} 0 R /First {a} 0 R /Last {b} 0 R /Next {b} 0 R /Prev {b} 0 R /Count -2 /Dest [{page} /Fit] >>").into_bytes(),
    ));
    objects.push((
        (b, 0),
        format!("<< /Title (b) /Parent {a} 0 R /First {o} 0 R /Next {a} 0 R /Prev {a} 0 R /Dest [{page} /XYZ 0 0 0] >>").into_bytes(),
    ));
    objects
}

/// Form XObjects drawn by the first page: a chain `depth` long whose last
/// form draws the page's content, or two forms drawing each other.
fn forms(rng: &mut Rng, s: &Shape, depth: usize) -> Vec<(ObjectId, Vec<u8>)> {
    let cycle = rng.chance(30);
    let n = if cycle { 2 } else { depth };
    let mut objects = Vec::with_capacity(n + 1);
    let fonts = s.resources.clone().map(Object::Dictionary);
    for i in 0..n {
        let id = s.next + i as u32;
        let next = if cycle {
            s.next + (i as u32 + 1) % 2
        } else {
            id + 1
        };
        let draws_next = cycle || i + 1 < n;
        let mut resources = String::from("<< ");
        if draws_next {
            resources.push_str(&format!("/XObject << /X {next} 0 R >> "));
        }
        resources.push_str(">>");
        let body = if draws_next {
            b"q /X Do Q\n".to_vec()
        } else {
            s.content.clone()
        };
        let resources = if !draws_next {
            // the last form draws the page's content with the page's resources
            match &fonts {
                Some(r) => String::from_utf8_lossy(&write(r)).into_owned(),
                None => resources,
            }
        } else {
            resources
        };
        let dict =
            format!("/Type /XObject /Subtype /Form /BBox [0 0 2000 2000] /Resources {resources}");
        objects.push(((id, 0), stream_text(&dict, &body)));
    }
    let content = (s.next + n as u32, 0);
    objects.push((content, stream_text("", b"q /Xz Do Q\n")));
    let mut page = s.page_dict.clone();
    let mut resources = Dictionary::new();
    let mut xobjects = Dictionary::new();
    xobjects.set("Xz", reference((s.next, 0)));
    resources.set("XObject", Object::Dictionary(xobjects));
    page.set("Resources", Object::Dictionary(resources));
    page.set("Contents", reference(content));
    objects.push((s.page, write(&Object::Dictionary(page))));
    objects
}

// ---------------------------------------------------------------------------
// Decompression bombs

fn bomb(rng: &mut Rng, data: &[u8], s: &Shape) -> (Vec<u8>, String, Expect) {
    let kind = rng.below(9);
    // One layer of Flate inflates 1,000 times at most: 65-128 MiB take 65-130
    // KB. Two or three layers make hundreds of MiB out of a few hundred bytes.
    let (mib, layers) = match kind {
        0 => (rng.between(65, 128) as u64, 1),
        // past the largest image pdf-extract may inflate (256 MiB)
        7 => (rng.between(300, 800) as u64, rng.between(2, 3)),
        _ => (rng.between(100, 800) as u64, rng.between(2, 3)),
    };
    let (filter, body) = bomb_stream(mib, layers, kind == 2);
    let content_id = s.contents.first().copied().unwrap_or((s.next + 1, 0));
    let one_content = |page: &Dictionary| {
        let mut page = page.clone();
        page.set("Contents", reference(content_id));
        write(&Object::Dictionary(page))
    };
    let (objects, name, expect): (Vec<(ObjectId, Vec<u8>)>, &str, Expect) = match kind {
        0..=2 => (
            vec![
                (content_id, stream_text(&filter, &body)),
                (s.page, one_content(&s.page_dict)),
            ],
            ["bomb-content", "bomb-nested", "bomb-hex"][kind],
            Expect::Bomb,
        ),
        3 => match s.to_unicode {
            Some(id) => (
                vec![(id, stream_text(&filter, &body))],
                "bomb-tounicode",
                Expect::Bomb,
            ),
            None => (
                vec![
                    (content_id, stream_text(&filter, &body)),
                    (s.page, one_content(&s.page_dict)),
                ],
                "bomb-content",
                Expect::Bomb,
            ),
        },
        4 => {
            // the page's own content, and the bomb after it
            let id = (s.next, 0);
            let mut page = s.page_dict.clone();
            let mut contents: Vec<Object> = s.contents.iter().map(|&c| reference(c)).collect();
            contents.push(reference(id));
            page.set("Contents", Object::Array(contents));
            (
                vec![
                    (id, stream_text(&filter, &body)),
                    (s.page, write(&Object::Dictionary(page))),
                ],
                "bomb-extra-content",
                Expect::Bomb,
            )
        }
        5 => {
            // an object stream: lopdf inflates it while loading the file
            let dict = format!("/Type /ObjStm /N 1 /First 8 {filter}");
            (
                vec![((s.next, 0), stream_text(&dict, &body))],
                "bomb-objstm",
                Expect::Any,
            )
        }
        6 => (
            vec![((s.next, 0), stream_text(&filter, &body))],
            "bomb-unused",
            Expect::Any,
        ),
        7 => {
            // an image drawn on the page: the own layer never decodes it,
            // pdf-extract inflates whatever a page draws
            let id = (s.next, 0);
            let dict = format!("/Type /XObject /Subtype /Image /Width 16384 /Height 16384 /ColorSpace /DeviceGray /BitsPerComponent 8 {filter}");
            let mut content = s.content.clone();
            content.extend_from_slice(b"\nq 100 0 0 100 0 0 cm /Bomb Do Q\n");
            let mut page = s.page_dict.clone();
            let mut resources = s.resources.clone().unwrap_or_default();
            let mut xobjects = Dictionary::new();
            xobjects.set("Bomb", reference(id));
            resources.set("XObject", Object::Dictionary(xobjects));
            page.set("Resources", Object::Dictionary(resources));
            page.set("Contents", reference(content_id));
            (
                vec![
                    (id, stream_text(&dict, &body)),
                    (content_id, stream_text("", &content)),
                    (s.page, write(&Object::Dictionary(page))),
                ],
                "bomb-image",
                Expect::Bomb,
            )
        }
        _ => {
            // the page's content, under more filters than a reader accepts
            let layers = rng.between(17, 40);
            let mut stream = s.content.clone();
            for _ in 0..layers {
                stream = deflate(&stream);
            }
            let filter = format!("/Filter [{}]", "/FlateDecode ".repeat(layers));
            (
                vec![
                    (content_id, stream_text(&filter, &stream)),
                    (s.page, one_content(&s.page_dict)),
                ],
                "filters-too-many",
                Expect::Any,
            )
        }
    };
    let expect = if s.encrypted { Expect::Any } else { expect };
    (update(data, &objects, ""), name.to_string(), expect)
}

/// A stream's `/Filter` entry and data: `mib` MiB of zeros under `layers`
/// Flate filters, hex-encoded on top with `hex`.
fn bomb_stream(mib: u64, layers: usize, hex: bool) -> (String, Vec<u8>) {
    let mut data = zlib_zeros((mib << 20) / 258);
    for _ in 1..layers {
        data = deflate(&data);
    }
    let mut filters = "/FlateDecode ".repeat(layers);
    if hex {
        data = data
            .iter()
            .flat_map(|b| format!("{b:02X}").into_bytes())
            .chain(*b">")
            .collect();
        filters = format!("/ASCIIHexDecode {filters}");
    }
    (format!("/Filter [{}]", filters.trim_end()), data)
}

/// zlib data of `data`, by lopdf.
fn deflate(data: &[u8]) -> Vec<u8> {
    let mut s = Stream::new(Dictionary::new(), data.to_vec());
    s.compress().expect("compressing in memory");
    if s.dict.has(b"Filter") {
        s.content
    } else {
        // too small to gain: stored as it is, still valid zlib
        stored(data)
    }
}

/// `data` as zlib stored blocks.
fn stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let chunks: Vec<&[u8]> = if data.is_empty() {
        vec![&[][..]]
    } else {
        data.chunks(65_535).collect()
    };
    for (i, chunk) in chunks.iter().enumerate() {
        out.push(u8::from(i + 1 == chunks.len()));
        let n = chunk.len() as u16;
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&(!n).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

/// A zlib stream that inflates to `1 + 258 * matches` zero bytes, written
/// by hand (as in `tests/limits.rs`): one dynamic-Huffman block where a
/// match of 258 at distance 1 costs two bits.
fn zlib_zeros(matches: u64) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u64, count: u32) {
            self.acc |= value << self.n;
            self.n += count;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        fn code(&mut self, code: u64, len: u32) {
            for i in (0..len).rev() {
                self.put((code >> i) & 1, 1);
            }
        }
    }
    let mut b = Bits {
        out: vec![0x78, 0x01],
        acc: 0,
        n: 0,
    };
    b.put(1, 1);
    b.put(2, 2);
    b.put(29, 5);
    b.put(0, 5);
    b.put(14, 4);
    for len in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] {
        b.put(len, 3);
    }
    b.code(0b11, 2);
    b.code(0, 1);
    b.put(138 - 11, 7);
    b.code(0, 1);
    b.put(117 - 11, 7);
    b.code(0b11, 2);
    b.code(0, 1);
    b.put(28 - 11, 7);
    b.code(0b10, 2);
    b.code(0b10, 2);
    b.code(0b10, 2);
    let mut zero_bits = matches * 2;
    while zero_bits > 0 && b.n != 0 {
        b.put(0, 1);
        zero_bits -= 1;
    }
    b.out.resize(b.out.len() + (zero_bits / 8) as usize, 0);
    b.put(0, (zero_bits % 8) as u32);
    b.code(0b11, 2);
    if b.n > 0 {
        b.put(0, 8 - b.n);
    }
    let n = 1 + 258 * matches;
    let adler = ((n % 65521) << 16) | 1;
    b.out.extend_from_slice(&(adler as u32).to_be_bytes());
    b.out
}
