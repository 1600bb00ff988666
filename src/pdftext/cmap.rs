//! CMaps: how a font's bytes split into codes, which CID a code selects,
//! and which Unicode text a code stands for.
//!
//! - [`ToUnicode`]: `bfchar` and `bfrange` (both forms: a destination
//!   string that counts up, or an array of strings), UTF-16 with surrogate
//!   pairs, glyph-name destinations; malformed entries are skipped, one at a
//!   time.
//! - [`Encoding`]: a Type 0 font's encoding CMap: `Identity-H/V`, an
//!   embedded CMap (`codespacerange`, `cidchar`, `cidrange`, `usecmap`), or
//!   a predefined one: the Unicode CMaps (`UniGB-UCS2-H`, `UniGB-UTF16-H`, …)
//!   whose codes are Unicode, and the legacy Chinese, Japanese and Korean
//!   CMaps (`GBK-EUC-H`, `GB-EUC-H`, `GBK2K-H`, `ETen-B5-H`, `90ms-RKSJ-H`,
//!   `KSC-EUC-H`, …) whose codes are decoded with encoding_rs.

use super::encoding::glyph_name;
use super::lexer::{Lexer, Obj, Token};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A hasher for small integer keys (codes, CIDs).
#[derive(Default, Clone, Copy)]
pub struct IntHasher(u64);

impl Hasher for IntHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (u64::from(n) ^ self.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ self.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

pub type IntMap<V> = HashMap<u32, V, BuildHasherDefault<IntHasher>>;

/// Entries expanded from ranges, in all, per CMap: more is hostile.
const MAX_EXPANDED: usize = 1 << 20;

/// What a code stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Uni {
    One(char),
    Many(Box<[char]>),
}

impl Uni {
    pub fn chars(&self) -> &[char] {
        match self {
            Uni::One(c) => std::slice::from_ref(c),
            Uni::Many(v) => v,
        }
    }
}

/// UTF-16BE bytes to characters; a lone surrogate becomes U+FFFD. A
/// single byte is read as a Latin-1 code point (some writers do that).
fn utf16(bytes: &[u8]) -> Vec<char> {
    if bytes.len() == 1 {
        return vec![char::from(bytes[0])];
    }
    let units = bytes
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect()
}

fn uni_of(chars: Vec<char>) -> Option<Uni> {
    // A mapping to nothing, or to NUL, maps nothing.
    match chars.as_slice() {
        [] | ['\0'] => None,
        [c] => Some(Uni::One(*c)),
        _ => Some(Uni::Many(chars.into_boxed_slice())),
    }
}

fn code_of(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    Some(bytes.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b)))
}

/// A `bfrange` whose destination counts up: `lo..=hi` → `base` with its
/// last UTF-16 unit increased by `code - lo`.
#[derive(Clone, Debug)]
struct UniRange {
    lo: u32,
    hi: u32,
    base: Vec<u16>,
}

/// A ToUnicode CMap.
#[derive(Clone, Debug, Default)]
pub struct ToUnicode {
    map: IntMap<Uni>,
    ranges: Vec<UniRange>,
    /// Code lengths (in bytes) seen in its codespace ranges.
    pub code_lengths: Vec<u8>,
    /// Malformed entries that were skipped.
    pub skipped: usize,
}

/// Runs a CMap program: each operator is handed the operands before it
/// (at most 65536 kept), which are then dropped.
fn for_each_operator(data: &[u8], mut on_op: impl FnMut(&[u8], &[Obj<'_>])) {
    let mut lex = Lexer::new(data);
    let mut stack: Vec<Obj<'_>> = Vec::new();
    while let Some(tok) = lex.next_token() {
        match tok {
            Token::Obj(o) => {
                if stack.len() < 1 << 16 {
                    stack.push(o);
                }
            }
            Token::Op(op) => {
                on_op(op, &stack);
                lex.recycle(&mut stack);
            }
        }
    }
}

impl ToUnicode {
    pub fn parse(data: &[u8]) -> ToUnicode {
        let mut out = ToUnicode::default();
        let mut expanded = 0usize;
        for_each_operator(data, |op, stack| match op {
            b"endbfchar" => {
                for pair in stack.chunks(2) {
                    if !out.bfchar(pair) {
                        out.skipped += 1;
                    }
                }
            }
            b"endbfrange" => {
                for triple in stack.chunks(3) {
                    if !out.bfrange(triple, &mut expanded) {
                        out.skipped += 1;
                    }
                }
            }
            b"endcodespacerange" => {
                for pair in stack.chunks(2) {
                    if let [Obj::Str(lo), Obj::Str(_)] = pair {
                        let n = lo.len() as u8;
                        if (1..=4).contains(&n) && !out.code_lengths.contains(&n) {
                            out.code_lengths.push(n);
                        }
                    }
                }
            }
            _ => {}
        });
        out.ranges.sort_by_key(|r| r.lo);
        out
    }

    fn bfchar(&mut self, pair: &[Obj]) -> bool {
        let [Obj::Str(src), dst] = pair else {
            return false;
        };
        let Some(code) = code_of(src) else {
            return false;
        };
        let chars = match dst {
            Obj::Str(d) => utf16(d),
            Obj::Name(n) => match glyph_name(n) {
                Some(c) => vec![c],
                None => return false,
            },
            _ => return false,
        };
        match uni_of(chars) {
            Some(u) => {
                self.map.insert(code, u);
                true
            }
            None => false,
        }
    }

    fn bfrange(&mut self, triple: &[Obj], expanded: &mut usize) -> bool {
        let [Obj::Str(lo), Obj::Str(hi), dst] = triple else {
            return false;
        };
        let (Some(lo_c), Some(hi_c)) = (code_of(lo), code_of(hi)) else {
            return false;
        };
        if lo.len() != hi.len() || lo_c > hi_c {
            return false;
        }
        match dst {
            Obj::Str(d) => {
                if d.is_empty() || d.len() > 64 {
                    return false;
                }
                let base: Vec<u16> = if d.len() == 1 {
                    vec![u16::from(d[0])]
                } else {
                    d.chunks_exact(2)
                        .map(|c| u16::from_be_bytes([c[0], c[1]]))
                        .collect()
                };
                if base.is_empty() {
                    return false;
                }
                self.ranges.push(UniRange {
                    lo: lo_c,
                    hi: hi_c,
                    base,
                });
                true
            }
            Obj::Array(items) => {
                let n = (hi_c - lo_c) as usize + 1;
                let mut any = false;
                for (i, item) in items.iter().take(n).enumerate() {
                    if *expanded >= MAX_EXPANDED {
                        break;
                    }
                    let chars = match item {
                        Obj::Str(d) => utf16(d),
                        Obj::Name(name) => glyph_name(name).into_iter().collect(),
                        _ => continue,
                    };
                    if let Some(u) = uni_of(chars) {
                        self.map.insert(lo_c + i as u32, u);
                        *expanded += 1;
                        any = true;
                    }
                }
                any
            }
            _ => false,
        }
    }

    /// What `code` stands for, if this CMap says.
    pub fn get(&self, code: u32) -> Option<Uni> {
        if let Some(u) = self.map.get(&code) {
            return Some(u.clone());
        }
        // The last range that starts at or before the code.
        let i = self.ranges.partition_point(|r| r.lo <= code);
        for r in self.ranges[..i].iter().rev().take(8) {
            if code <= r.hi {
                if let [unit] = r.base[..] {
                    // One unit (the usual case): no buffers.
                    let v = u32::from(unit) + (code - r.lo);
                    if v > 0xFFFF {
                        return Some(Uni::One('\u{FFFD}'));
                    }
                    let c = char::from_u32(v).unwrap_or('\u{FFFD}');
                    return (c != '\0').then_some(Uni::One(c));
                }
                let mut units = r.base.clone();
                let last = units.last_mut()?;
                let v = u32::from(*last) + (code - r.lo);
                if v > 0xFFFF {
                    return Some(Uni::One('\u{FFFD}'));
                }
                *last = v as u16;
                let chars: Vec<char> = char::decode_utf16(units)
                    .map(|r| r.unwrap_or('\u{FFFD}'))
                    .collect();
                return uni_of(chars);
            }
        }
        None
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty() && self.ranges.is_empty()
    }
}

/// A codespace range: codes of `len` bytes, each byte within its bounds.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Space {
    len: usize,
    lo: [u8; 4],
    hi: [u8; 4],
}

/// How a legacy multi-byte encoding splits bytes, and its decoder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Legacy {
    /// GBK / GB 2312 EUC (`GBK-EUC-H`, `GB-EUC-H`, `GBpc-EUC-H`, `GBT-EUC-H`, …).
    Gbk,
    /// GB 18030 (`GBK2K-H`), with four-byte codes.
    Gb18030,
    Big5,
    ShiftJis,
    EucKr,
}

impl Legacy {
    fn encoding(self) -> &'static encoding_rs::Encoding {
        match self {
            Legacy::Gbk => encoding_rs::GBK,
            Legacy::Gb18030 => encoding_rs::GB18030,
            Legacy::Big5 => encoding_rs::BIG5,
            Legacy::ShiftJis => encoding_rs::SHIFT_JIS,
            Legacy::EucKr => encoding_rs::EUC_KR,
        }
    }

    /// The length of the code starting at `b[0]`.
    fn code_len(self, b: &[u8]) -> usize {
        let c = b[0];
        let n = match self {
            Legacy::Gbk | Legacy::Big5 | Legacy::EucKr => {
                if (0x81..=0xfe).contains(&c) {
                    2
                } else {
                    1
                }
            }
            Legacy::Gb18030 => {
                if (0x81..=0xfe).contains(&c) {
                    if b.get(1).is_some_and(|d| (0x30..=0x39).contains(d)) {
                        4
                    } else {
                        2
                    }
                } else {
                    1
                }
            }
            Legacy::ShiftJis => {
                if (0x81..=0x9f).contains(&c) || (0xe0..=0xfc).contains(&c) {
                    2
                } else {
                    1
                }
            }
        };
        n.min(b.len())
    }

    /// The character a code stands for; `None` if the code is invalid.
    pub fn decode(self, bytes: &[u8]) -> Option<char> {
        let (s, had_errors) = self.encoding().decode_without_bom_handling(bytes);
        if had_errors {
            return None;
        }
        let mut it = s.chars();
        match (it.next(), it.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        }
    }

    /// The Adobe-GB1 CID of an ASCII single-byte code in the GB CMaps
    /// (`<20> 7716`, `<21> <7e> 814`), the half-width forms whose `/W`
    /// entries give their widths. `None` where the CID is not known here.
    fn ascii_cid(self, code: u32) -> Option<u32> {
        match (self, code) {
            (Legacy::Gbk | Legacy::Gb18030, 0x20) => Some(7716),
            (Legacy::Gbk | Legacy::Gb18030, 0x21..=0x7e) => Some(code - 0x21 + 814),
            _ => None,
        }
    }
}

/// A code read from a string shown with a Type 0 font.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Code {
    pub code: u32,
    /// Its bytes in the string.
    pub len: usize,
}

/// A Type 0 font's encoding CMap.
#[derive(Clone, Debug)]
pub enum Encoding {
    /// Two-byte codes that are CIDs.
    Identity { vertical: bool },
    /// Codes that are Unicode: UCS-2 (two bytes) or UTF-16 (two or four).
    Unicode { utf16: bool, vertical: bool },
    /// A legacy multi-byte encoding.
    Legacy { kind: Legacy, vertical: bool },
    /// An embedded CMap.
    Embedded(Box<EmbeddedCMap>),
}

#[derive(Clone, Debug, Default)]
pub struct EmbeddedCMap {
    spaces: Vec<Space>,
    cids: IntMap<u32>,
    /// `cidrange` entries too large to expand: (lo, hi, first CID).
    ranges: Vec<(u32, u32, u32)>,
    vertical: bool,
    /// A predefined CMap this one builds on (`usecmap`).
    parent: Option<Box<Encoding>>,
    pub skipped: usize,
}

impl Encoding {
    /// A predefined CMap by name; `None` if it is not one this layer knows.
    pub fn predefined(name: &[u8]) -> Option<Encoding> {
        let s = std::str::from_utf8(name).ok()?;
        let vertical = s.ends_with("-V");
        let base = s.strip_suffix("-H").or_else(|| s.strip_suffix("-V"))?;
        let e = match base {
            "Identity" => Encoding::Identity { vertical },
            "UniGB-UCS2" | "UniCNS-UCS2" | "UniJIS-UCS2" | "UniKS-UCS2" | "UniJIS-UCS2-HW" => {
                Encoding::Unicode {
                    utf16: false,
                    vertical,
                }
            }
            "UniGB-UTF16" | "UniCNS-UTF16" | "UniJIS-UTF16" | "UniKS-UTF16" => Encoding::Unicode {
                utf16: true,
                vertical,
            },
            "GBK-EUC" | "GB-EUC" | "GBpc-EUC" | "GBT-EUC" | "GBTpc-EUC" | "GBKp-EUC" => {
                Encoding::Legacy {
                    kind: Legacy::Gbk,
                    vertical,
                }
            }
            "GBK2K" => Encoding::Legacy {
                kind: Legacy::Gb18030,
                vertical,
            },
            "B5pc" | "ETen-B5" | "HKscs-B5" | "ETenms-B5" | "B5" => Encoding::Legacy {
                kind: Legacy::Big5,
                vertical,
            },
            "90ms-RKSJ" | "90msp-RKSJ" | "83pv-RKSJ" | "90pv-RKSJ" => Encoding::Legacy {
                kind: Legacy::ShiftJis,
                vertical,
            },
            "KSC-EUC" | "KSCms-UHC" | "KSCpc-EUC" => Encoding::Legacy {
                kind: Legacy::EucKr,
                vertical,
            },
            _ => return None,
        };
        Some(e)
    }

    /// Parses an embedded CMap stream.
    pub fn parse(data: &[u8]) -> Encoding {
        let mut cm = EmbeddedCMap::default();
        let mut expanded = 0usize;
        for_each_operator(data, |op, stack| match op {
            b"endcodespacerange" => {
                for pair in stack.chunks(2) {
                    match pair {
                        [Obj::Str(lo), Obj::Str(hi)]
                            if lo.len() == hi.len() && (1..=4).contains(&lo.len()) =>
                        {
                            let mut s = Space {
                                len: lo.len(),
                                lo: [0; 4],
                                hi: [0; 4],
                            };
                            s.lo[..lo.len()].copy_from_slice(lo);
                            s.hi[..hi.len()].copy_from_slice(hi);
                            cm.spaces.push(s);
                        }
                        _ => cm.skipped += 1,
                    }
                }
            }
            b"endcidchar" => {
                for pair in stack.chunks(2) {
                    match pair {
                        [Obj::Str(src), Obj::Num(cid)] if *cid >= 0.0 => {
                            if let Some(code) = code_of(src) {
                                cm.cids.insert(code, *cid as u32);
                            }
                        }
                        _ => cm.skipped += 1,
                    }
                }
            }
            b"endcidrange" => {
                for triple in stack.chunks(3) {
                    match triple {
                        [Obj::Str(lo), Obj::Str(hi), Obj::Num(cid)]
                            if *cid >= 0.0 && lo.len() == hi.len() =>
                        {
                            let (Some(l), Some(h)) = (code_of(lo), code_of(hi)) else {
                                cm.skipped += 1;
                                continue;
                            };
                            if l > h {
                                cm.skipped += 1;
                                continue;
                            }
                            let n = (h - l) as usize + 1;
                            if n <= 256 && expanded + n <= MAX_EXPANDED {
                                for i in 0..n as u32 {
                                    cm.cids.insert(l + i, *cid as u32 + i);
                                }
                                expanded += n;
                            } else {
                                cm.ranges.push((l, h, *cid as u32));
                            }
                        }
                        _ => cm.skipped += 1,
                    }
                }
            }
            b"usecmap" => {
                if let Some(Obj::Name(n)) = stack.last() {
                    cm.parent = Encoding::predefined(n).map(Box::new);
                }
            }
            b"def" => {
                if let [.., Obj::Name(k), Obj::Num(v)] = stack {
                    if &**k == b"WMode" {
                        cm.vertical = *v == 1.0;
                    }
                }
            }
            _ => {}
        });
        cm.ranges.sort_by_key(|r| r.0);
        if cm.spaces.is_empty() {
            if let Some(p) = &cm.parent {
                if cm.cids.is_empty() && cm.ranges.is_empty() {
                    let mut p = (**p).clone();
                    p.set_vertical(cm.vertical || p.vertical());
                    return p;
                }
            }
        }
        Encoding::Embedded(Box::new(cm))
    }

    fn set_vertical(&mut self, v: bool) {
        match self {
            Encoding::Identity { vertical }
            | Encoding::Unicode { vertical, .. }
            | Encoding::Legacy { vertical, .. } => *vertical = v,
            Encoding::Embedded(cm) => cm.vertical = v,
        }
    }

    pub fn vertical(&self) -> bool {
        match self {
            Encoding::Identity { vertical }
            | Encoding::Unicode { vertical, .. }
            | Encoding::Legacy { vertical, .. } => *vertical,
            Encoding::Embedded(cm) => cm.vertical,
        }
    }

    /// The next code at the start of `bytes` (not empty).
    pub fn next_code(&self, bytes: &[u8]) -> Code {
        let take = |n: usize| {
            let n = n.min(bytes.len()).max(1);
            Code {
                code: code_of(&bytes[..n]).unwrap_or(0),
                len: n,
            }
        };
        match self {
            Encoding::Identity { .. } => take(2),
            Encoding::Unicode { utf16, .. } => {
                if *utf16 && bytes.len() >= 4 && (0xd8..=0xdb).contains(&bytes[0]) {
                    take(4)
                } else {
                    take(2)
                }
            }
            Encoding::Legacy { kind, .. } => take(kind.code_len(bytes)),
            Encoding::Embedded(cm) => {
                if cm.spaces.is_empty() {
                    return match &cm.parent {
                        Some(p) => p.next_code(bytes),
                        None => take(2),
                    };
                }
                for n in 1..=4.min(bytes.len()) {
                    let hit = cm.spaces.iter().any(|s| {
                        s.len == n && (0..n).all(|i| (s.lo[i]..=s.hi[i]).contains(&bytes[i]))
                    });
                    if hit {
                        return take(n);
                    }
                }
                // No codespace matches: consume as many bytes as the
                // shortest codespace (PDF 32000 9.7.6.3), a notdef.
                let n = cm.spaces.iter().map(|s| s.len).min().unwrap_or(1);
                take(n)
            }
        }
    }

    /// The CID a code selects, when known.
    pub fn cid(&self, code: Code) -> Option<u32> {
        match self {
            Encoding::Identity { .. } => Some(code.code),
            // The Adobe-GB1/CNS1/Japan1/Korea1 tables are not carried: only
            // the proportional ASCII of the GB ones (`<0020> <007e> 1`).
            Encoding::Unicode { .. } => {
                (0x20..=0x7e).contains(&code.code).then(|| code.code - 0x1f)
            }
            Encoding::Legacy { kind, .. } => {
                if code.len == 1 {
                    kind.ascii_cid(code.code)
                } else {
                    None
                }
            }
            Encoding::Embedded(cm) => {
                if let Some(c) = cm.cids.get(&code.code) {
                    return Some(*c);
                }
                let i = cm.ranges.partition_point(|r| r.0 <= code.code);
                for r in cm.ranges[..i].iter().rev().take(8) {
                    if code.code <= r.1 {
                        return Some(r.2 + (code.code - r.0));
                    }
                }
                cm.parent.as_ref().and_then(|p| p.cid(code))
            }
        }
    }

    /// The text a code stands for by the encoding itself (Unicode and
    /// legacy CMaps); `None` for CID-only encodings.
    pub fn unicode(&self, bytes: &[u8]) -> Option<Uni> {
        match self {
            Encoding::Unicode { .. } => uni_of(utf16(bytes)),
            Encoding::Legacy { kind, .. } => {
                let c = kind.decode(bytes)?;
                (c != '\0').then_some(Uni::One(c))
            }
            Encoding::Embedded(cm) => cm.parent.as_ref().and_then(|p| p.unicode(bytes)),
            Encoding::Identity { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TO_UNICODE: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <0000> <FFFF> endcodespacerange
4 beginbfchar
<0003> <0020>
<0010> <4E00>
<0011> <D842DFB7>
<0012> <00660069>
endbfchar
3 beginbfrange
<0020> <0022> <5E7F>
<0030> <0031> [<0041> <D83DDE00>]
<0040> <003F> <0030>
endbfrange
3 beginbfchar
<0050> /g12 <0051>
endbfchar
endcmap CMapName currentdict /CMap defineresource pop end end";

    #[test]
    fn to_unicode_forms() {
        let t = ToUnicode::parse(TO_UNICODE);
        assert_eq!(t.get(0x10), Some(Uni::One('一')));
        assert_eq!(t.get(0x11), Some(Uni::One('𠮷')));
        assert_eq!(t.get(0x12).unwrap().chars(), &['f', 'i']);
        assert_eq!(t.get(0x20), Some(Uni::One('广')));
        assert_eq!(t.get(0x22), Some(Uni::One('\u{5E81}')));
        assert_eq!(t.get(0x23), None);
        assert_eq!(t.get(0x30), Some(Uni::One('A')));
        assert_eq!(t.get(0x31), Some(Uni::One('😀')));
        // lo > hi and the unterminated entry are skipped, not fatal.
        assert_eq!(t.get(0x40), None);
        assert!(t.skipped >= 2, "{}", t.skipped);
        assert_eq!(t.code_lengths, vec![2]);
    }

    #[test]
    fn embedded_cmap_with_mixed_lengths() {
        let e = Encoding::parse(
            b"/WMode 0 def 2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange
1 begincidrange <20> <7e> 1 endcidrange
1 begincidchar <8140> 9000 endcidchar",
        );
        let c = e.next_code(b"A\x81\x40");
        assert_eq!(c, Code { code: 0x41, len: 1 });
        assert_eq!(e.cid(c), Some(0x22));
        let c = e.next_code(b"\x81\x40");
        assert_eq!(
            c,
            Code {
                code: 0x8140,
                len: 2
            }
        );
        assert_eq!(e.cid(c), Some(9000));
        // 0xFF matches no range: one byte, no CID.
        let c = e.next_code(b"\xff\x41");
        assert_eq!(c.len, 1);
        assert_eq!(e.cid(c), None);
    }

    #[test]
    fn predefined_chinese_cmaps() {
        let ucs2 = Encoding::predefined(b"UniGB-UCS2-H").unwrap();
        assert_eq!(ucs2.next_code(b"\x4e\x00").len, 2);
        assert_eq!(ucs2.unicode(b"\x4e\x00"), Some(Uni::One('一')));
        let utf16 = Encoding::predefined(b"UniGB-UTF16-H").unwrap();
        let c = utf16.next_code(b"\xd8\x42\xdf\xb7");
        assert_eq!(c.len, 4);
        assert_eq!(utf16.unicode(b"\xd8\x42\xdf\xb7"), Some(Uni::One('𠮷')));
        let gbk = Encoding::predefined(b"GBK-EUC-H").unwrap();
        // 绩效 in GBK, then ASCII.
        let s = b"\xbc\xa8\xd0\xa7A";
        let c = gbk.next_code(s);
        assert_eq!(c.len, 2);
        assert_eq!(gbk.unicode(&s[..2]), Some(Uni::One('绩')));
        let c = gbk.next_code(&s[4..]);
        assert_eq!((c.len, gbk.cid(c)), (1, Some(814 + 0x20)));
        let gb = Encoding::predefined(b"GB-EUC-V").unwrap();
        assert!(gb.vertical());
        assert!(Encoding::predefined(b"Nonsense-H").is_none());
    }
}
