//! Fonts, read once: how a shown string splits into codes, what text each
//! code stands for, and how far each glyph advances.
//!
//! Text comes from the ToUnicode CMap first; then from the font's encoding
//! (a simple font's code table with its `/Differences`, a Unicode or legacy
//! predefined CMap of a Type 0 font). A code neither says anything about is
//! undecodable: it becomes U+FFFD, never a guess.

use super::cmap::{Code, Encoding, IntMap, ToUnicode, Uni};
use super::encoding::{base_table, glyph_name, Base, Table};
use super::objects::{
    as_dict, deref, get, get_array, get_dict, get_name, get_num, num, nums, stream_bytes, Undecoded,
};
use lopdf::{Dictionary, Document, Object};

/// One code of a shown string.
#[derive(Clone, Debug, PartialEq)]
pub struct Shown {
    /// The text it stands for; `None` if undecodable.
    pub uni: Option<Uni>,
    /// Horizontal advance in text space per unit of font size.
    pub width: f64,
    /// Vertical advance (vertical writing), per unit of font size; negative
    /// is downwards.
    pub vadvance: f64,
    /// The single-byte code 32, to which word spacing applies.
    pub word_space: bool,
    /// Bytes the code took.
    pub len: usize,
}

#[derive(Debug)]
enum Kind {
    /// One-byte codes: Type 1, TrueType, Type 3.
    Simple { table: Box<Table> },
    /// A Type 0 font and its CID font's widths.
    Composite {
        encoding: Encoding,
        widths: IntMap<f32>,
        /// `/W` ranges too large to expand: (first, last, width).
        wide: Vec<(u32, u32, f32)>,
        dw: f64,
        /// Vertical advances from `/W2` and `/DW2` (w1y, per 1000).
        vwidths: IntMap<f32>,
        dw2: f64,
    },
}

/// A font, as the text layer needs it.
#[derive(Debug)]
pub struct Font {
    kind: Kind,
    to_unicode: Option<ToUnicode>,
    /// Simple fonts' widths by code, already in text space per unit size.
    simple_widths: Option<Box<[f64; 256]>>,
    /// The em in text space per unit of font size (1 except for Type 3
    /// fonts with an unusual matrix).
    pub em: f64,
    /// What about this font could not be read, for the page's problems.
    pub problems: Vec<String>,
    /// A limit its data ran into (a ToUnicode or encoding CMap that
    /// inflates past the stream limit), also among its problems: the text
    /// drawn with it is undecodable because the file is hostile, not
    /// because the font lacks a mapping.
    pub limited: Option<String>,
    pub name: String,
}

const THOUSANDTH: [f64; 6] = [0.001, 0.0, 0.0, 0.001, 0.0, 0.0];

impl Font {
    /// The font used when `Tf` names a font the resources lack: one-byte
    /// codes, nothing decodable.
    pub fn missing(name: &[u8]) -> Font {
        Font {
            kind: Kind::Simple {
                table: Box::new([None; 256]),
            },
            to_unicode: None,
            simple_widths: Some(Box::new([0.5; 256])),
            em: 1.0,
            problems: vec![format!(
                "字体 {} 不存在或无法读取，用它绘制的文字无法解码",
                String::from_utf8_lossy(name)
            )],
            limited: None,
            name: String::from_utf8_lossy(name).into_owned(),
        }
    }

    /// Reads a font dictionary. Never fails: what cannot be read is listed
    /// in [`Font::problems`] and decodes as U+FFFD.
    pub fn load(doc: &Document, dict: &Dictionary) -> Font {
        let subtype = get_name(doc, dict, b"Subtype").unwrap_or(b"");
        let name = get_name(doc, dict, b"BaseFont")
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_else(|| String::from_utf8_lossy(subtype).into_owned());
        let mut problems = Vec::new();
        let mut limited = None;
        let to_unicode = match get(doc, dict, b"ToUnicode") {
            Some(Object::Stream(s)) => match stream_bytes(s) {
                Ok(data) => {
                    let t = ToUnicode::parse(&data);
                    if t.skipped > 0 {
                        problems.push(format!(
                            "字体 {name} 的 ToUnicode 映射中有 {} 个条目格式错误，已跳过",
                            t.skipped
                        ));
                    }
                    Some(t)
                }
                Err(Undecoded::TooLarge) => {
                    let why = format!(
                        "字体 {name} 的 ToUnicode 映射{}，未读取",
                        Undecoded::TooLarge.why()
                    );
                    problems.push(why.clone());
                    limited = Some(why);
                    None
                }
                Err(Undecoded::Broken) => {
                    problems.push(format!("字体 {name} 的 ToUnicode 映射无法解压"));
                    None
                }
            },
            // `/ToUnicode /Identity-H` and the like carry nothing.
            _ => None,
        };
        let mut font = if subtype == b"Type0" {
            Font::composite(doc, dict, &name, &mut problems, &mut limited)
        } else {
            Font::simple(doc, dict, subtype, &name, &mut problems)
        };
        font.to_unicode = to_unicode.filter(|t| !t.is_empty());
        font.problems = problems;
        font.limited = limited;
        font.name = name;
        font
    }

    fn simple(
        doc: &Document,
        dict: &Dictionary,
        subtype: &[u8],
        name: &str,
        problems: &mut Vec<String>,
    ) -> Font {
        let type3 = subtype == b"Type3";
        let matrix = if type3 {
            get_array(doc, dict, b"FontMatrix")
                .and_then(|a| nums(doc, a))
                .and_then(|v| <[f64; 6]>::try_from(v).ok())
                .filter(|m| m[0] * m[3] - m[1] * m[2] != 0.0)
                .unwrap_or(THOUSANDTH)
        } else {
            THOUSANDTH
        };
        let descriptor = get_dict(doc, dict, b"FontDescriptor");
        let flags = descriptor
            .and_then(|d| get_num(doc, d, b"Flags"))
            .unwrap_or(0.0) as i64;
        let symbolic = flags & 4 != 0 && flags & 32 == 0;
        let table = Box::new(simple_table(doc, dict, type3, symbolic, name));
        // Widths: /Widths from /FirstChar, else /MissingWidth, else (the
        // standard 14 fonts carry none) approximate metrics.
        let mut widths = Box::new([0.0f64; 256]);
        let missing = descriptor
            .and_then(|d| get_num(doc, d, b"MissingWidth"))
            .unwrap_or(0.0);
        match get_array(doc, dict, b"Widths") {
            Some(w) => {
                let first = get_num(doc, dict, b"FirstChar").unwrap_or(0.0).max(0.0) as usize;
                for (code, slot) in widths.iter_mut().enumerate() {
                    let v = code
                        .checked_sub(first)
                        .and_then(|i| w.get(i))
                        .and_then(|o| num(doc, o))
                        .unwrap_or(missing);
                    *slot = v * matrix[0];
                }
            }
            None => {
                if type3 {
                    problems.push(format!("Type 3 字体 {name} 缺少 /Widths，字宽按 0 计"));
                }
                for (code, slot) in widths.iter_mut().enumerate() {
                    *slot = if type3 {
                        0.0
                    } else {
                        standard_width(name, table[code]) / 1000.0
                    };
                }
            }
        }
        // The em: one unit of text space, as the font matrix convention
        // has it, unless the widths say the matrix also scales (a Type 3
        // font drawn at size 1 whose matrix carries the size).
        let widest = widths.iter().copied().fold(0.0f64, |a, w| a.max(w.abs()));
        let em = if !type3 || widest <= 0.0 || (0.25..=4.0).contains(&widest) {
            1.0
        } else {
            widest
        };
        Font {
            kind: Kind::Simple { table },
            to_unicode: None,
            simple_widths: Some(widths),
            em,
            problems: Vec::new(),
            limited: None,
            name: String::new(),
        }
    }

    fn composite(
        doc: &Document,
        dict: &Dictionary,
        name: &str,
        problems: &mut Vec<String>,
        limited: &mut Option<String>,
    ) -> Font {
        let encoding = Font::encoding(doc, dict, name, problems, limited);
        let cid_font = get_array(doc, dict, b"DescendantFonts")
            .and_then(|a| a.first())
            .map(|o| deref(doc, o).1)
            .and_then(as_dict);
        let mut widths = IntMap::default();
        let mut wide = Vec::new();
        let mut vwidths = IntMap::default();
        let mut dw = 1000.0;
        let mut dw2 = -1000.0;
        match cid_font {
            Some(cf) => {
                dw = get_num(doc, cf, b"DW").unwrap_or(1000.0);
                if let Some(w) = get_array(doc, cf, b"W") {
                    let bad = read_w(doc, w, &mut widths, &mut wide);
                    if bad > 0 {
                        problems.push(format!(
                            "字体 {name} 的字宽表 /W 中有 {bad} 处格式错误，已跳过"
                        ));
                    }
                }
                if let Some(v) = get_array(doc, cf, b"DW2").and_then(|a| nums(doc, a)) {
                    if let [_, w1] = v.as_slice() {
                        dw2 = *w1;
                    }
                }
                if let Some(w2) = get_array(doc, cf, b"W2") {
                    read_w2(doc, w2, &mut vwidths);
                }
            }
            None => problems.push(format!(
                "字体 {name} 缺少 CID 字体（DescendantFonts），字宽按默认值计"
            )),
        }
        Font {
            kind: Kind::Composite {
                encoding,
                widths,
                wide,
                dw,
                vwidths,
                dw2,
            },
            to_unicode: None,
            simple_widths: None,
            em: 1.0,
            problems: Vec::new(),
            limited: None,
            name: String::new(),
        }
    }

    /// A composite font's encoding (`/Encoding`): a predefined CMap, or an
    /// embedded one; what cannot be read is read as two-byte codes.
    fn encoding(
        doc: &Document,
        dict: &Dictionary,
        name: &str,
        problems: &mut Vec<String>,
        limited: &mut Option<String>,
    ) -> Encoding {
        match get(doc, dict, b"Encoding") {
            Some(Object::Name(n)) => match Encoding::predefined(n) {
                Some(e) => e,
                None => {
                    problems.push(format!(
                        "字体 {name} 使用未支持的预定义 CMap {}，按双字节编码读取",
                        String::from_utf8_lossy(n)
                    ));
                    Encoding::Identity { vertical: false }
                }
            },
            Some(Object::Stream(s)) => match stream_bytes(s) {
                Ok(data) => {
                    let e = Encoding::parse(&data);
                    if let Encoding::Embedded(cm) = &e {
                        if cm.skipped > 0 {
                            problems.push(format!(
                                "字体 {name} 的编码 CMap 中有 {} 个条目格式错误，已跳过",
                                cm.skipped
                            ));
                        }
                    }
                    e
                }
                Err(Undecoded::TooLarge) => {
                    let why = format!(
                        "字体 {name} 的编码 CMap {}，未读取",
                        Undecoded::TooLarge.why()
                    );
                    problems.push(why.clone());
                    *limited = Some(why);
                    Encoding::Identity { vertical: false }
                }
                Err(Undecoded::Broken) => {
                    problems.push(format!(
                        "字体 {name} 的编码 CMap 无法解压，按双字节编码读取"
                    ));
                    Encoding::Identity { vertical: false }
                }
            },
            _ => {
                problems.push(format!("字体 {name} 缺少编码，按双字节编码读取"));
                Encoding::Identity { vertical: false }
            }
        }
    }

    pub fn vertical(&self) -> bool {
        match &self.kind {
            Kind::Composite { encoding, .. } => encoding.vertical(),
            Kind::Simple { .. } => false,
        }
    }

    /// The next code of `bytes` (not empty).
    pub fn next(&self, bytes: &[u8]) -> Shown {
        match &self.kind {
            Kind::Simple { table } => {
                let code = bytes[0];
                let uni = self
                    .to_unicode
                    .as_ref()
                    .and_then(|t| t.get(u32::from(code)))
                    .or_else(|| table[code as usize].map(Uni::One));
                let width = self
                    .simple_widths
                    .as_ref()
                    .map_or(0.0, |w| w[code as usize]);
                Shown {
                    uni,
                    width,
                    vadvance: 0.0,
                    word_space: code == 32,
                    len: 1,
                }
            }
            Kind::Composite {
                encoding,
                widths,
                wide,
                dw,
                vwidths,
                dw2,
            } => {
                let code = encoding.next_code(bytes);
                let raw = &bytes[..code.len];
                let uni = self
                    .to_unicode
                    .as_ref()
                    .and_then(|t| t.get(code.code))
                    .or_else(|| encoding.unicode(raw));
                let cid = encoding.cid(code);
                let w = cid
                    .and_then(|c| {
                        widths.get(&c).map(|w| f64::from(*w)).or_else(|| {
                            wide.iter()
                                .find(|r| r.0 <= c && c <= r.1)
                                .map(|r| f64::from(r.2))
                        })
                    })
                    .unwrap_or(*dw);
                let vw = cid
                    .and_then(|c| vwidths.get(&c).map(|w| f64::from(*w)))
                    .unwrap_or(*dw2);
                Shown {
                    uni,
                    width: w / 1000.0,
                    vadvance: vw / 1000.0,
                    word_space: code == Code { code: 32, len: 1 },
                    len: code.len,
                }
            }
        }
    }
}

/// A simple font's code → character table from its `/Encoding`.
fn simple_table(
    doc: &Document,
    dict: &Dictionary,
    type3: bool,
    symbolic: bool,
    name: &str,
) -> Table {
    // Fonts whose built-in encoding is not a standard one: without an
    // /Encoding, nothing is known about their codes.
    let builtin_unknown = type3 || symbolic || is_symbol_font(name);
    let default = || -> Table {
        if builtin_unknown {
            [None; 256]
        } else {
            *base_table(Base::Standard)
        }
    };
    match get(doc, dict, b"Encoding") {
        Some(Object::Name(n)) => Base::from_name(n).map_or_else(default, |b| *base_table(b)),
        Some(Object::Dictionary(enc)) => {
            let mut table = get_name(doc, enc, b"BaseEncoding")
                .and_then(Base::from_name)
                .map_or_else(default, |b| *base_table(b));
            if let Some(diffs) = get_array(doc, enc, b"Differences") {
                let mut code: usize = 0;
                for item in diffs {
                    match deref(doc, item).1 {
                        Object::Integer(i) => code = (*i).clamp(0, 256) as usize,
                        Object::Real(r) => code = (*r as i64).clamp(0, 256) as usize,
                        Object::Name(n) => {
                            if code < 256 {
                                table[code] = glyph_name(n);
                            }
                            code = code.saturating_add(1);
                        }
                        _ => {}
                    }
                }
            }
            table
        }
        _ => default(),
    }
}

fn is_symbol_font(name: &str) -> bool {
    let base = name.split_once('+').map_or(name, |(_, b)| b);
    base.starts_with("Symbol") || base.starts_with("ZapfDingbats") || base.starts_with("Wingdings")
}

/// Approximate widths (per 1000) of the standard 14 fonts, which PDFs may
/// use without `/Widths`: enough to tell a word space from a cell gap.
fn standard_width(name: &str, c: Option<char>) -> f64 {
    let base = name.split_once('+').map_or(name, |(_, b)| b);
    let Some(c) = c else { return 500.0 };
    if base.starts_with("Courier") {
        return 600.0;
    }
    let sans = base.starts_with("Helvetica") || base.starts_with("Arial");
    match c {
        '0'..='9' => {
            if sans {
                556.0
            } else {
                500.0
            }
        }
        ' ' | '.' | ',' | ':' | ';' => {
            if sans {
                278.0
            } else {
                250.0
            }
        }
        '(' | ')' | '-' | '[' | ']' => 333.0,
        '%' => 889.0,
        'i' | 'j' | 'l' | 'I' => 278.0,
        'm' | 'M' | 'W' => 833.0,
        'w' => 722.0,
        'A'..='Z' => 667.0,
        _ => {
            if sans {
                556.0
            } else {
                500.0
            }
        }
    }
}

/// Reads a CID font's `/W`: `c [w1 w2 …]` and `c_first c_last w`, in any
/// mixture. Returns how many malformed items were skipped.
fn read_w(
    doc: &Document,
    w: &[Object],
    widths: &mut IntMap<f32>,
    wide: &mut Vec<(u32, u32, f32)>,
) -> usize {
    let mut bad = 0;
    let mut i = 0;
    let mut expanded = 0usize;
    let item = |i: usize| w.get(i).map(|o| deref(doc, o).1);
    while i < w.len() {
        let Some(first) = item(i).and_then(|o| num(doc, o)).filter(|v| *v >= 0.0) else {
            bad += 1;
            i += 1;
            continue;
        };
        let first = first as u32;
        match item(i + 1) {
            Some(Object::Array(list)) => {
                for (k, o) in list.iter().enumerate() {
                    match num(doc, o) {
                        Some(v) if expanded < 1 << 20 => {
                            widths.insert(first.saturating_add(k as u32), v as f32);
                            expanded += 1;
                        }
                        _ => bad += 1,
                    }
                }
                i += 2;
            }
            Some(o) if num(doc, o).is_some() => {
                let last = num(doc, o).unwrap_or(0.0);
                match item(i + 2).and_then(|o| num(doc, o)) {
                    Some(v) if last >= f64::from(first) => {
                        let last = last.min(f64::from(u32::MAX)) as u32;
                        let n = (last - first) as usize + 1;
                        if n <= 4096 && expanded + n <= 1 << 20 {
                            for c in first..=last {
                                widths.insert(c, v as f32);
                            }
                            expanded += n;
                        } else {
                            wide.push((first, last, v as f32));
                        }
                    }
                    _ => bad += 1,
                }
                i += 3;
            }
            _ => {
                bad += 1;
                i += 2;
            }
        }
    }
    bad
}

/// Reads `/W2` (vertical metrics): `c [w1y vx vy …]` and
/// `c_first c_last w1y vx vy`; keeps w1y.
fn read_w2(doc: &Document, w: &[Object], out: &mut IntMap<f32>) {
    let mut i = 0;
    let item = |i: usize| w.get(i).map(|o| deref(doc, o).1);
    while i < w.len() {
        let Some(first) = item(i).and_then(|o| num(doc, o)).filter(|v| *v >= 0.0) else {
            i += 1;
            continue;
        };
        let first = first as u32;
        match item(i + 1) {
            Some(Object::Array(list)) => {
                for (k, t) in list.chunks(3).enumerate().take(1 << 16) {
                    if let Some(v) = t.first().and_then(|o| num(doc, o)) {
                        out.insert(first.saturating_add(k as u32), v as f32);
                    }
                }
                i += 2;
            }
            Some(o) => {
                let last = num(doc, o).unwrap_or(-1.0);
                if let Some(v) = item(i + 2).and_then(|o| num(doc, o)) {
                    if last >= f64::from(first) && last - f64::from(first) < 65536.0 {
                        for c in first..=last as u32 {
                            out.insert(c, v as f32);
                        }
                    }
                }
                i += 5;
            }
            None => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Stream};

    fn load(doc: &mut Document, font: Dictionary) -> Font {
        let id = doc.add_object(font);
        Font::load(doc, doc.get_dictionary(id).unwrap())
    }

    #[test]
    fn cid_widths_in_both_forms() {
        let mut doc = Document::new();
        let cid = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "DW" => 1000,
            "W" => vec![
                1.into(), vec![Object::Real(365.2), 300.into()].into(),
                41.into(), 47.into(), Object::Real(299.8),
                49.into(), 58.into(), Object::Real(599.6),
                "junk".into(),
            ],
        });
        let f = load(
            &mut doc,
            dictionary! {
                "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "X",
                "Encoding" => "Identity-H", "DescendantFonts" => vec![cid.into()],
            },
        );
        let w = |c: u16| (f.next(&c.to_be_bytes()).width * 1000.0).round();
        assert_eq!(w(1), 365.0);
        assert_eq!(w(2), 300.0);
        assert_eq!(w(41), 300.0);
        assert_eq!(w(47), 300.0);
        assert_eq!(w(48), 1000.0);
        assert_eq!(w(49), 600.0);
        assert_eq!(w(58), 600.0);
        assert_eq!(w(59), 1000.0);
        // No ToUnicode, Identity-H: nothing to decode with.
        assert_eq!(f.next(&[0, 1]).uni, None);
        assert_eq!(f.problems.len(), 1, "{:?}", f.problems);
    }

    #[test]
    fn simple_fonts_with_differences_and_to_unicode() {
        let mut doc = Document::new();
        let tu = doc.add_object(Stream::new(
            dictionary! {},
            b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <01> <7EE9> endbfchar"
                .to_vec(),
        ));
        let f = load(
            &mut doc,
            dictionary! {
                "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "BAAAAA+WQY",
                "FirstChar" => 0, "Widths" => vec![500.into(), 1000.into(), 250.into()],
                "Encoding" => dictionary! {
                    "BaseEncoding" => "WinAnsiEncoding",
                    "Differences" => vec![2.into(), "eacute".into(), "g77".into()],
                },
                "ToUnicode" => tu,
            },
        );
        assert_eq!(f.next(b"\x01").uni, Some(Uni::One('绩')));
        assert_eq!(f.next(b"\x01").width, 1.0);
        assert_eq!(f.next(b"\x02").uni, Some(Uni::One('é')));
        assert_eq!(f.next(b"\x03").uni, None);
        assert_eq!(f.next(b"A").uni, Some(Uni::One('A')));
        assert!(f.next(b" ").word_space);
    }

    #[test]
    fn type3_matrix_scales_widths() {
        let mut doc = Document::new();
        let f = load(
            &mut doc,
            dictionary! {
                "Type" => "Font", "Subtype" => "Type3",
                "FontMatrix" => vec![0.01.into(), 0.into(), 0.into(), Object::Real(-0.01), 0.into(), 0.into()],
                "FirstChar" => 65, "Widths" => vec![50.into()],
                "Encoding" => dictionary! { "Differences" => vec![65.into(), "uni5E7F".into()] },
            },
        );
        let s = f.next(b"A");
        assert_eq!(s.uni, Some(Uni::One('广')));
        assert!((s.width - 0.5).abs() < 1e-6);
        assert_eq!(f.em, 1.0);
        assert_eq!(f.next(b"B").uni, None);
    }

    #[test]
    fn predefined_cmaps_without_to_unicode() {
        let mut doc = Document::new();
        let cid = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0",
            "W" => vec![1.into(), 95.into(), 500.into(), 814.into(), 907.into(), 500.into()],
        });
        for (enc, bytes, ch, w) in [
            ("UniGB-UCS2-H", &b"\x7e\xe9"[..], '绩', 1000.0),
            ("UniGB-UCS2-H", &b"\x00\x31"[..], '1', 500.0),
            ("GBK-EUC-H", &b"\xbc\xa8"[..], '绩', 1000.0),
            ("GBK-EUC-H", &b"1"[..], '1', 500.0),
        ] {
            let f = load(
                &mut doc,
                dictionary! {
                    "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "STSong-Light",
                    "Encoding" => enc, "DescendantFonts" => vec![cid.into()],
                },
            );
            let s = f.next(bytes);
            assert_eq!(s.uni, Some(Uni::One(ch)), "{enc}");
            assert_eq!(s.len, bytes.len(), "{enc}");
            assert_eq!((s.width * 1000.0).round(), w, "{enc} {ch}");
        }
    }
}
