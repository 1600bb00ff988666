//! Simple-font encodings, glyph names, text strings and radical folding.
//!
//! The base encodings and the Adobe Glyph List come from lopdf, whose
//! tables are reached through its font-encoding API (a synthetic font
//! dictionary naming the encoding, or a one-entry `/Differences`), read
//! once into plain arrays.

use lopdf::{Dictionary, Document, Object};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// A 256-entry code → character table.
pub type Table = [Option<char>; 256];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    Standard,
    WinAnsi,
    MacRoman,
    MacExpert,
}

impl Base {
    pub fn from_name(name: &[u8]) -> Option<Base> {
        Some(match name {
            b"StandardEncoding" => Base::Standard,
            b"WinAnsiEncoding" => Base::WinAnsi,
            b"MacRomanEncoding" => Base::MacRoman,
            b"MacExpertEncoding" => Base::MacExpert,
            _ => return None,
        })
    }

    fn lopdf_name(self) -> &'static str {
        match self {
            Base::Standard => "StandardEncoding",
            Base::WinAnsi => "WinAnsiEncoding",
            Base::MacRoman => "MacRomanEncoding",
            Base::MacExpert => "MacExpertEncoding",
        }
    }
}

fn font_dict(encoding: Object) -> Dictionary {
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"Font".to_vec()));
    d.set("Encoding", encoding);
    d
}

fn build_table(base: Base) -> Table {
    let mut table = [None; 256];
    let doc = Document::new();
    let dict = font_dict(Object::Name(base.lopdf_name().as_bytes().to_vec()));
    if let Ok(enc) = dict.get_font_encoding(&doc) {
        for (code, slot) in table.iter_mut().enumerate() {
            if let Ok(s) = enc.bytes_to_string(&[code as u8]) {
                let mut chars = s.chars();
                if let (Some(c), None) = (chars.next(), chars.next()) {
                    *slot = Some(c);
                }
            }
        }
    }
    table
}

/// The table of a standard base encoding.
pub fn base_table(base: Base) -> &'static Table {
    static TABLES: [OnceLock<Table>; 4] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    let i = base as usize;
    TABLES[i].get_or_init(|| build_table(base))
}

thread_local! {
    static GLYPH_NAMES: RefCell<HashMap<Vec<u8>, Option<char>>> = RefCell::new(HashMap::new());
}

/// The character a glyph name stands for: the Adobe Glyph List, then the
/// `uniXXXX` / `uXXXX[XX]` conventions, then the name without a `.suffix`.
/// `None` for names such as `g123` that say nothing about the character.
pub fn glyph_name(name: &[u8]) -> Option<char> {
    if name.is_empty() || name.len() > 64 {
        return None;
    }
    if let Some(hit) = GLYPH_NAMES.with(|m| m.borrow().get(name).copied()) {
        return hit;
    }
    let found = lookup_glyph_name(name);
    GLYPH_NAMES.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() < 100_000 {
            m.insert(name.to_vec(), found);
        }
    });
    found
}

fn lookup_glyph_name(name: &[u8]) -> Option<char> {
    if let Some(c) = agl(name) {
        return Some(c);
    }
    let hex_char = |h: &[u8]| {
        std::str::from_utf8(h)
            .ok()
            .and_then(|s| u32::from_str_radix(s, 16).ok())
            .and_then(char::from_u32)
            .filter(|c| !c.is_control())
    };
    if let Some(rest) = name.strip_prefix(b"uni") {
        if rest.len() >= 4 && rest.iter().all(u8::is_ascii_hexdigit) {
            return hex_char(&rest[..4]);
        }
    }
    if let Some(rest) = name.strip_prefix(b"u") {
        if (4..=6).contains(&rest.len()) && rest.iter().all(u8::is_ascii_hexdigit) {
            return hex_char(rest);
        }
    }
    if let Some(dot) = name.iter().position(|&c| c == b'.') {
        if dot > 0 {
            return lookup_glyph_name(&name[..dot]);
        }
    }
    None
}

/// lopdf's Adobe Glyph List, through a one-entry `/Differences`.
fn agl(name: &[u8]) -> Option<char> {
    let doc = Document::new();
    let mut enc = Dictionary::new();
    enc.set(
        "Differences",
        Object::Array(vec![Object::Integer(65), Object::Name(name.to_vec())]),
    );
    let dict = font_dict(Object::Dictionary(enc));
    let e = dict.get_font_encoding(&doc).ok()?;
    // An unknown name makes lopdf fall back to StandardEncoding, where 65
    // is "A"; tell the two apart with a second code.
    let s = e.bytes_to_string(&[65]).ok()?;
    let mut chars = s.chars();
    let c = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    if c == 'A' && name != b"A" {
        return None;
    }
    Some(c)
}

/// A PDF text string (`/ActualText`): UTF-16BE or UTF-8 with a byte-order
/// mark, else PDFDocEncoding (read as Latin-1, which it equals for the
/// printable ASCII and Latin-1 ranges).
pub fn text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        return char::decode_utf16(units)
            .map(|r| r.unwrap_or('\u{FFFD}'))
            .collect();
    }
    if let Some(rest) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// Folds what fonts map ideographs to: Kangxi radicals and compatibility
/// ideographs (by NFKC) and the CJK Radicals Supplement characters that
/// stand for a whole ideograph (`normalize`'s table).
pub fn fold(c: char) -> char {
    match c {
        '\u{2F00}'..='\u{2FDF}' | '\u{F900}'..='\u{FAFF}' => c.nfkc().next().unwrap_or(c),
        '\u{2E80}'..='\u{2EFF}' => crate::text::radical_supplement(c).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_tables() {
        let w = base_table(Base::WinAnsi);
        assert_eq!(w[b'A' as usize], Some('A'));
        assert_eq!(w[0x80], Some('€'));
        assert_eq!(w[0xe9], Some('é'));
        let m = base_table(Base::MacRoman);
        assert_eq!(m[0x8e], Some('é'));
        let s = base_table(Base::Standard);
        assert_eq!(s[0x27], Some('’'));
    }

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_name(b"space"), Some(' '));
        assert_eq!(glyph_name(b"A"), Some('A'));
        assert_eq!(glyph_name(b"eacute"), Some('é'));
        assert_eq!(glyph_name(b"uni4E00"), Some('一'));
        assert_eq!(glyph_name(b"u20BB7"), Some('𠮷'));
        assert_eq!(glyph_name(b"one.oldstyle"), Some('1'));
        assert_eq!(glyph_name(b"g123"), None);
        assert_eq!(glyph_name(b"Anotaname"), None);
    }

    #[test]
    fn text_strings_and_radicals() {
        assert_eq!(text_string(&[0xfe, 0xff, 0x5e, 0x7f]), "广");
        assert_eq!(text_string(&[0xfe, 0xff, 0xd8, 0x42, 0xdf, 0xb7]), "𠮷");
        assert_eq!(text_string(b"abc"), "abc");
        assert_eq!(fold('⼴'), '广');
        assert_eq!(fold('⻔'), '门');
        assert_eq!(fold('门'), '门');
    }
}
