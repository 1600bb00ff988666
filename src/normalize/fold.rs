//! Characters: width and radical folding, and the printed width of a line.

use crate::text::{is_han, radical_supplement};
use unicode_normalization::UnicodeNormalization;

/// Folds one raw page: width, radicals, exotic spaces, line ends. With a
/// `map`, also says where each character went: `map[b]` is the folded
/// offset of the character that starts at byte `b` of `raw` (or of what
/// follows it, for a character folding drops), and `map[raw.len()]` is the
/// folded text's length; bytes inside a character map to nothing useful.
pub(super) fn fold_chars(raw: &str, mut map: Option<&mut Vec<usize>>) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = String::with_capacity(raw.len());
    if let Some(m) = map.as_deref_mut() {
        m.clear();
        m.resize(raw.len() + 1, 0);
    }
    let mut byte = 0;
    for (i, &c) in chars.iter().enumerate() {
        if let Some(m) = map.as_deref_mut() {
            m[byte] = out.len();
        }
        byte += c.len_utf8();
        let folded = match c {
            '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
                char::from_u32(c as u32 - 0xFF10 + 0x30)
            }
            '％' => Some('%'),
            '，' if is_thousands_comma(&chars, i) => Some(','),
            '．' => {
                // Also when the line wraps right after the point ("２，０００．⏎００").
                let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
                let between =
                    i > 0 && is_any_digit(chars[i - 1]) && next.is_some_and(|d| is_any_digit(*d));
                Some(if between { '.' } else { c })
            }
            '\u{2F00}'..='\u{2FDF}' | '\u{F900}'..='\u{FAFF}' => c.nfkc().next(),
            '\u{2E80}'..='\u{2EFF}' => Some(radical_supplement(c).unwrap_or(c)),
            // An ideographic space is two columns wide: it counts double
            // in an indent.
            '\u{3000}' => {
                out.push(' ');
                Some(' ')
            }
            '\u{00A0}' | '\u{2002}'..='\u{200A}' | '\u{202F}' | '\t' => Some(' '),
            '\u{200B}' | '\u{FEFF}' | '\u{00AD}' => None,
            '\r' => Some('\n'),
            _ => Some(c),
        };
        if let Some(f) = folded {
            out.push(f);
        }
    }
    if let Some(m) = map {
        m[raw.len()] = out.len();
    }
    // "\r\n" became "\n\n"; blank lines carry no meaning here anyway.
    out
}

fn is_any_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Whether the full-width comma at `i` separates thousands: between a run
/// of one to three digits (or an earlier group) and exactly three digits,
/// in a number that ends with a decimal part (`1，234.56`) or is written
/// in full-width digits (`１，２３４万元`). Anything else (`7，23`,
/// `100，200万元`) is a comma between two numbers and stays one.
fn is_thousands_comma(chars: &[char], i: usize) -> bool {
    let comma = |c: char| c == '，' || c == ',';
    let before = chars[..i]
        .iter()
        .rev()
        .take_while(|c| is_any_digit(**c))
        .count();
    if !(1..=3).contains(&before) {
        return false;
    }
    let first = i - before;
    if first > 0 {
        let b = chars[first - 1];
        if b == '.' || b == '．' || (comma(b) && before != 3) {
            return false;
        }
    }
    // The groups after: three digits each, separated by commas; a line
    // may wrap anywhere in the number.
    let wrap = |c: char| c == '\n' || c == '\r';
    let mut j = i + 1;
    let next = |j: &mut usize| -> Option<char> {
        while chars.get(*j).is_some_and(|c| wrap(*c)) {
            *j += 1;
        }
        let c = chars.get(*j).copied();
        *j += 1;
        c
    };
    loop {
        for _ in 0..3 {
            if !next(&mut j).is_some_and(is_any_digit) {
                return false;
            }
        }
        let at = j;
        match next(&mut j) {
            Some(c) if is_any_digit(c) => return false,
            Some(c) if comma(c) => continue,
            Some('.' | '．') => return next(&mut j).is_some_and(is_any_digit),
            _ => {
                return chars[first..at]
                    .iter()
                    .filter(|c| is_any_digit(**c))
                    .all(|c| ('０'..='９').contains(c));
            }
        }
    }
}

/// Columns a character takes: 2 for CJK and full-width forms, else 1.
fn display_width(c: char) -> usize {
    if is_han(c)
        || matches!(c,
            '\u{3000}'..='\u{30FF}' | '\u{FF00}'..='\u{FF60}' | '\u{FFE0}'..='\u{FFE6}'
            | '\u{AC00}'..='\u{D7AF}' | '“' | '”' | '‘' | '’' | '—' | '…')
    {
        2
    } else {
        1
    }
}

pub(super) fn width(s: &str) -> usize {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(display_width)
        .sum()
}
