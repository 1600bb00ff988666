//! A tolerant tokenizer for content streams and CMaps.
//!
//! It never fails: a byte that cannot start a token is skipped, an
//! unterminated string or array ends at the end of the input, and nesting
//! deeper than [`MAX_DEPTH`] is read as `null`. So a malformed object costs
//! that object, never the rest of the stream.

use std::borrow::Cow;

/// Arrays and dictionaries nested deeper than this read as `null`.
const MAX_DEPTH: usize = 32;
/// Buffers kept for reuse by [`Lexer::recycle`].
const MAX_POOL: usize = 64;

/// An operand: the PDF object types a content stream or a CMap can hold.
/// Names and strings borrow from the input when they need no decoding.
#[derive(Clone, Debug, PartialEq)]
pub enum Obj<'a> {
    Num(f64),
    Bool(bool),
    Null,
    Name(Cow<'a, [u8]>),
    Str(Cow<'a, [u8]>),
    Array(Vec<Obj<'a>>),
    Dict(Vec<(Cow<'a, [u8]>, Obj<'a>)>),
    /// `n g R`, which only property lists and CMap dictionaries use.
    Ref(u32, u16),
}

impl<'a> Obj<'a> {
    pub fn num(&self) -> Option<f64> {
        match self {
            Obj::Num(n) if n.is_finite() => Some(*n),
            _ => None,
        }
    }

    pub fn name(&self) -> Option<&[u8]> {
        match self {
            Obj::Name(n) => Some(n),
            _ => None,
        }
    }

    pub fn string(&self) -> Option<&[u8]> {
        match self {
            Obj::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn get(&self, key: &[u8]) -> Option<&Obj<'a>> {
        match self {
            Obj::Dict(d) => d.iter().find(|(k, _)| **k == *key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// One token: an operand, or an operator (any other bare keyword).
#[derive(Debug, PartialEq)]
pub enum Token<'a> {
    Obj(Obj<'a>),
    Op(&'a [u8]),
}

pub struct Lexer<'a> {
    buf: &'a [u8],
    pos: usize,
    /// Emptied buffers handed back by [`Lexer::recycle`], for the next
    /// decoded strings and arrays.
    bytes_pool: Vec<Vec<u8>>,
    array_pool: Vec<Vec<Obj<'a>>>,
    /// Whether a token since the last [`Lexer::recycle`] owns a buffer.
    lent: bool,
}

const REGULAR: u8 = 0;
const WHITE: u8 = 1;
const DELIM: u8 = 2;

/// Each byte's class: white space, delimiter, or regular.
static CLASS: [u8; 256] = {
    let mut t = [REGULAR; 256];
    let white = b" \n\r\t\x0c\0";
    let mut i = 0;
    while i < white.len() {
        t[white[i] as usize] = WHITE;
        i += 1;
    }
    let delim = b"()<>[]{}/%";
    let mut i = 0;
    while i < delim.len() {
        t[delim[i] as usize] = DELIM;
        i += 1;
    }
    t
};

fn is_white(c: u8) -> bool {
    CLASS[c as usize] == WHITE
}

fn is_delim(c: u8) -> bool {
    CLASS[c as usize] == DELIM
}

fn is_regular(c: u8) -> bool {
    CLASS[c as usize] == REGULAR
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

impl<'a> Lexer<'a> {
    pub fn new(buf: &'a [u8]) -> Lexer<'a> {
        Lexer {
            buf,
            pos: 0,
            bytes_pool: Vec::new(),
            array_pool: Vec::new(),
            lent: false,
        }
    }

    /// Empties `args`, keeping the buffers its strings and arrays owned
    /// for the tokens to come.
    pub fn recycle(&mut self, args: &mut Vec<Obj<'a>>) {
        if !std::mem::take(&mut self.lent) {
            // Numbers and borrowed names and strings only.
            args.clear();
            return;
        }
        for o in args.drain(..) {
            self.recycle_one(o);
        }
    }

    fn recycle_one(&mut self, o: Obj<'a>) {
        match o {
            Obj::Str(Cow::Owned(mut v)) | Obj::Name(Cow::Owned(mut v))
                if self.bytes_pool.len() < MAX_POOL =>
            {
                v.clear();
                self.bytes_pool.push(v);
            }
            Obj::Array(mut items) => {
                for o in items.drain(..) {
                    self.recycle_one(o);
                }
                if self.array_pool.len() < MAX_POOL {
                    self.array_pool.push(items);
                }
            }
            _ => {}
        }
    }

    fn bytes_buf(&mut self) -> Vec<u8> {
        self.lent = true;
        self.bytes_pool.pop().unwrap_or_default()
    }

    fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        let buf = self.buf;
        let mut i = self.pos;
        while let Some(&c) = buf.get(i) {
            if is_white(c) {
                i += 1;
            } else if c == b'%' {
                while let Some(&c) = buf.get(i) {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    i += 1;
                }
            } else {
                break;
            }
        }
        self.pos = i;
    }

    /// The end of the run of regular bytes starting at `from`.
    fn regular_end(&self, from: usize) -> usize {
        let rest = self.buf.get(from..).unwrap_or_default();
        from + rest
            .iter()
            .position(|&c| !is_regular(c))
            .unwrap_or(rest.len())
    }

    /// The next token, or `None` at the end of the input.
    pub fn next_token(&mut self) -> Option<Token<'a>> {
        loop {
            self.skip_space();
            let c = self.peek()?;
            match c {
                b'/' | b'(' | b'[' | b'+' | b'-' | b'.' | b'0'..=b'9' => {
                    return Some(Token::Obj(self.object(0)));
                }
                b'<' => return Some(Token::Obj(self.object(0))),
                // Stray closers and procedure braces: skip.
                b')' | b'>' | b']' | b'{' | b'}' => self.pos += 1,
                _ => {
                    let start = self.pos;
                    self.pos = self.regular_end(start);
                    if self.pos == start {
                        self.pos += 1;
                        continue;
                    }
                    let word = &self.buf[start..self.pos];
                    return Some(match word {
                        b"true" => Token::Obj(Obj::Bool(true)),
                        b"false" => Token::Obj(Obj::Bool(false)),
                        b"null" => Token::Obj(Obj::Null),
                        _ => Token::Op(word),
                    });
                }
            }
        }
    }

    /// An object starting at the current (non-space) byte.
    fn object(&mut self, depth: usize) -> Obj<'a> {
        let Some(c) = self.peek() else {
            return Obj::Null;
        };
        match c {
            b'/' => {
                self.pos += 1;
                Obj::Name(self.name())
            }
            b'(' => {
                self.pos += 1;
                Obj::Str(self.literal())
            }
            b'<' if self.buf.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                self.dict(depth + 1)
            }
            b'<' => {
                self.pos += 1;
                Obj::Str(Cow::Owned(self.hex()))
            }
            b'[' => {
                self.pos += 1;
                self.array(depth + 1)
            }
            _ => self.number(),
        }
    }

    fn name(&mut self) -> Cow<'a, [u8]> {
        let start = self.pos;
        let mut end = start;
        while let Some(&c) = self.buf.get(end) {
            if !is_regular(c) {
                break;
            }
            if c == b'#' {
                return Cow::Owned(self.name_escaped());
            }
            end += 1;
        }
        self.pos = end;
        Cow::Borrowed(&self.buf[start..end])
    }

    fn name_escaped(&mut self) -> Vec<u8> {
        let mut out = self.bytes_buf();
        while let Some(c) = self.peek() {
            if !is_regular(c) {
                break;
            }
            self.pos += 1;
            if c == b'#' {
                let h = self.buf.get(self.pos).copied().and_then(hex_val);
                let l = self.buf.get(self.pos + 1).copied().and_then(hex_val);
                if let (Some(h), Some(l)) = (h, l) {
                    out.push(h * 16 + l);
                    self.pos += 2;
                    continue;
                }
            }
            out.push(c);
        }
        out
    }

    fn literal(&mut self) -> Cow<'a, [u8]> {
        // Without escapes or nested parentheses, the string is the bytes
        // up to the first `)`.
        let start = self.pos;
        for (i, &c) in self.buf[start..].iter().enumerate() {
            match c {
                b')' => {
                    self.pos = start + i + 1;
                    return Cow::Borrowed(&self.buf[start..start + i]);
                }
                b'(' | b'\\' => break,
                _ => {}
            }
        }
        Cow::Owned(self.literal_escaped())
    }

    fn literal_escaped(&mut self) -> Vec<u8> {
        let mut out = self.bytes_buf();
        let mut depth = 1usize;
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                b'(' => {
                    depth += 1;
                    out.push(c);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return out;
                    }
                    out.push(c);
                }
                b'\\' => {
                    let Some(e) = self.peek() else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(c),
            }
        }
        out
    }

    fn hex(&mut self) -> Vec<u8> {
        let mut out = self.bytes_buf();
        let mut high: Option<u8> = None;
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == b'>' {
                break;
            }
            if let Some(v) = hex_val(c) {
                match high.take() {
                    Some(h) => out.push(h * 16 + v),
                    None => high = Some(v),
                }
            }
        }
        if let Some(h) = high {
            out.push(h * 16);
        }
        out
    }

    fn number(&mut self) -> Obj<'a> {
        let start = self.pos;
        let mut neg = false;
        while let Some(c @ (b'+' | b'-')) = self.peek() {
            neg ^= c == b'-';
            self.pos += 1;
        }
        let mut int: f64 = 0.0;
        let mut frac: f64 = 0.0;
        let mut scale = 1.0;
        let mut seen_dot = false;
        let mut digits = 0;
        let buf = self.buf;
        let mut i = self.pos;
        while let Some(&c) = buf.get(i) {
            match c {
                b'0'..=b'9' => {
                    digits += 1;
                    if seen_dot {
                        scale *= 0.1;
                        frac += f64::from(c - b'0') * scale;
                    } else {
                        int = int * 10.0 + f64::from(c - b'0');
                    }
                }
                b'.' if !seen_dot => seen_dot = true,
                _ => break,
            }
            i += 1;
        }
        self.pos = i;
        if self.pos == start {
            // Not a number after all: skip the byte.
            self.pos += 1;
            return Obj::Null;
        }
        if digits == 0 {
            // "-" or "." alone, or "--": pdf.js reads these as 0.
            return Obj::Num(0.0);
        }
        let v = int + frac;
        Obj::Num(if neg { -v } else { v })
    }

    fn array(&mut self, depth: usize) -> Obj<'a> {
        self.lent = true;
        let mut items = self.array_pool.pop().unwrap_or_default();
        loop {
            self.skip_space();
            let Some(c) = self.peek() else { break };
            match c {
                b']' => {
                    self.pos += 1;
                    break;
                }
                b'>' | b')' | b'{' | b'}' => self.pos += 1,
                _ if is_regular(c) && !matches!(c, b'+' | b'-' | b'.' | b'0'..=b'9') => {
                    match self.keyword() {
                        Some(Obj::Null) if self.prev_word_is(b"R") => {
                            make_ref(&mut items);
                        }
                        Some(o) => items.push(o),
                        None => {}
                    }
                }
                _ if depth > MAX_DEPTH && matches!(c, b'[' | b'<') => {
                    self.pos += 1;
                    items.push(Obj::Null);
                }
                _ => items.push(self.object(depth)),
            }
        }
        Obj::Array(items)
    }

    fn dict(&mut self, depth: usize) -> Obj<'a> {
        let mut items: Vec<Obj<'a>> = Vec::new();
        loop {
            self.skip_space();
            let Some(c) = self.peek() else { break };
            match c {
                b'>' => {
                    self.pos += 1;
                    if self.peek() == Some(b'>') {
                        self.pos += 1;
                    }
                    break;
                }
                b']' | b')' | b'{' | b'}' => self.pos += 1,
                _ if is_regular(c) && !matches!(c, b'+' | b'-' | b'.' | b'0'..=b'9') => {
                    match self.keyword() {
                        Some(Obj::Null) if self.prev_word_is(b"R") => make_ref(&mut items),
                        Some(o) => items.push(o),
                        None => {}
                    }
                }
                _ if depth > MAX_DEPTH && matches!(c, b'[' | b'<') => {
                    self.pos += 1;
                    items.push(Obj::Null);
                }
                _ => items.push(self.object(depth)),
            }
        }
        let mut out = Vec::with_capacity(items.len() / 2);
        let mut it = items.into_iter();
        while let Some(k) = it.next() {
            match k {
                Obj::Name(k) => {
                    let v = it.next().unwrap_or(Obj::Null);
                    out.push((k, v));
                }
                // A value without a key: drop it and resynchronise.
                _ => continue,
            }
        }
        Obj::Dict(out)
    }

    /// A bare word inside an array or a dictionary: `true`, `false`,
    /// `null`, or `R` (returned as `Null`, see [`Lexer::prev_word_is`]).
    /// Any other word is dropped.
    fn keyword(&mut self) -> Option<Obj<'a>> {
        let start = self.pos;
        self.pos = self.regular_end(start);
        match &self.buf[start..self.pos] {
            b"true" => Some(Obj::Bool(true)),
            b"false" => Some(Obj::Bool(false)),
            b"null" | b"R" => Some(Obj::Null),
            _ => None,
        }
    }

    fn prev_word_is(&self, w: &[u8]) -> bool {
        self.buf[..self.pos].ends_with(w)
            && (self.pos == w.len() || !is_regular(self.buf[self.pos - w.len() - 1]))
    }

    /// Skips an inline image after its `BI` operator: the dictionary up to
    /// `ID`, the data, and `EI`. The data is never decoded.
    pub fn skip_inline_image(&mut self) {
        let mut entries: Vec<Obj<'a>> = Vec::new();
        loop {
            match self.next_token() {
                None => return,
                Some(Token::Op(b"ID")) => break,
                Some(Token::Op(_)) => {}
                Some(Token::Obj(o)) => entries.push(o),
            }
        }
        // One white-space byte separates ID from the data.
        if self.peek().is_some_and(is_white) {
            self.pos += 1;
        }
        if let Some(len) = inline_image_length(&entries) {
            self.pos = self.pos.saturating_add(len).min(self.buf.len());
        }
        // Find "EI" between white space (or at the end).
        let buf = self.buf;
        let mut i = self.pos;
        while i + 1 < buf.len() {
            if buf[i] == b'E'
                && buf[i + 1] == b'I'
                && (i == 0 || is_white(buf[i - 1]) || i == self.pos)
                && buf.get(i + 2).is_none_or(|&c| is_white(c) || is_delim(c))
            {
                self.pos = i + 2;
                return;
            }
            i += 1;
        }
        self.pos = buf.len();
    }
}

fn make_ref(items: &mut Vec<Obj<'_>>) {
    let n = items.len();
    if n >= 2 {
        if let (Some(num), Some(gen)) = (items[n - 2].num(), items[n - 1].num()) {
            items.truncate(n - 2);
            items.push(Obj::Ref(num as u32, gen as u16));
            return;
        }
    }
    items.push(Obj::Null);
}

/// The byte length of unfiltered inline image data, when the dictionary
/// says enough to compute it.
fn inline_image_length(entries: &[Obj<'_>]) -> Option<usize> {
    let get = |a: &[u8], b: &[u8]| {
        entries
            .chunks(2)
            .find(|kv| kv[0].name().is_some_and(|k| k == a || k == b))
            .and_then(|kv| kv.get(1))
    };
    if get(b"F", b"Filter").is_some() {
        return None;
    }
    let w = get(b"W", b"Width")?.num()?;
    let h = get(b"H", b"Height")?.num()?;
    let mask = matches!(get(b"IM", b"ImageMask"), Some(Obj::Bool(true)));
    let bpc = if mask {
        1.0
    } else {
        get(b"BPC", b"BitsPerComponent")?.num()?
    };
    let comps = if mask {
        1.0
    } else {
        match get(b"CS", b"ColorSpace") {
            Some(Obj::Name(n)) => match &**n {
                b"G" | b"DeviceGray" | b"I" | b"Indexed" => 1.0,
                b"RGB" | b"DeviceRGB" => 3.0,
                b"CMYK" | b"DeviceCMYK" => 4.0,
                _ => return None,
            },
            Some(Obj::Array(_)) => 1.0,
            _ => return None,
        }
    };
    if !(w >= 0.0 && h >= 0.0 && bpc > 0.0) {
        return None;
    }
    let row = ((w * bpc * comps) / 8.0).ceil();
    let len = row * h;
    (len.is_finite() && len < 1e9).then_some(len as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(s: &[u8]) -> Vec<Token<'_>> {
        let mut l = Lexer::new(s);
        std::iter::from_fn(|| l.next_token()).collect()
    }

    #[test]
    fn operands_and_operators() {
        let t = tokens(
            b"BT /F1 12 Tf 1 0 0 -1 .5 -3. Tm (a\\(b\\)\\101) Tj <4e2D3> Tj [(x) -250 (y)] TJ ET",
        );
        assert_eq!(t[0], Token::Op(b"BT"));
        assert_eq!(t[1], Token::Obj(Obj::Name(b"F1".to_vec().into())));
        assert_eq!(t[2], Token::Obj(Obj::Num(12.0)));
        assert_eq!(t[8], Token::Obj(Obj::Num(0.5)));
        assert_eq!(t[9], Token::Obj(Obj::Num(-3.0)));
        assert_eq!(t[11], Token::Obj(Obj::Str(b"a(b)A".to_vec().into())));
        assert_eq!(t[13], Token::Obj(Obj::Str(vec![0x4e, 0x2d, 0x30].into())));
        assert_eq!(
            t[15],
            Token::Obj(Obj::Array(vec![
                Obj::Str(b"x".to_vec().into()),
                Obj::Num(-250.0),
                Obj::Str(b"y".to_vec().into())
            ]))
        );
    }

    #[test]
    fn dictionaries_names_and_refs() {
        let t = tokens(b"/Span << /ActualText <feff4e00> /A#20B 3 0 R /K [1 2 0 R] >> BDC");
        let Token::Obj(d) = &t[1] else { panic!() };
        assert_eq!(
            d.get(b"ActualText"),
            Some(&Obj::Str(vec![0xfe, 0xff, 0x4e, 0].into()))
        );
        assert_eq!(d.get(b"A B"), Some(&Obj::Ref(3, 0)));
        assert_eq!(
            d.get(b"K"),
            Some(&Obj::Array(vec![Obj::Num(1.0), Obj::Ref(2, 0)]))
        );
        assert_eq!(t[2], Token::Op(b"BDC"));
    }

    #[test]
    fn garbage_is_skipped_not_fatal() {
        let t = tokens(b") > } { ( unterminated");
        assert_eq!(
            t,
            vec![Token::Obj(Obj::Str(b" unterminated".to_vec().into()))]
        );
        let deep = "[".repeat(10_000);
        let t = tokens(deep.as_bytes());
        assert_eq!(t.len(), 1);
        let t = tokens(b"-- 1..2 Tc");
        assert_eq!(t[0], Token::Obj(Obj::Num(0.0)));
    }

    #[test]
    fn inline_images_are_skipped() {
        let mut data = b"q BI /W 2 /H 2 /BPC 8 /CS /G ID ".to_vec();
        data.extend_from_slice(b"EI\x00\x01");
        data.extend_from_slice(b" EI Q (x) Tj");
        let mut l = Lexer::new(&data);
        assert_eq!(l.next_token(), Some(Token::Op(b"q")));
        assert_eq!(l.next_token(), Some(Token::Op(b"BI")));
        l.skip_inline_image();
        assert_eq!(l.next_token(), Some(Token::Op(b"Q")));
    }
}
